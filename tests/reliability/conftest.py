"""Services for the reliability tests: a Redis of their own, real celery workers and beat, SMTP and HTTP receivers.

Rows are committed for real (the workers are other processes) and removed after each test
with TRUNCATE of the case and alert tables only, so the reference data stays.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from django.contrib.auth import get_user_model
from django.db import OperationalError, connection, transaction

from safety.celery import app as celery_app
from tests.reliability.receivers import SMTPSink, WebhookReceiver, free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SECRET = "reliability-hook-secret"
ACK_SEV4_MINUTES = 0.05  # 3 s: escalation steps within a test's patience

WORKER_ENV = {
    "DJANGO_SETTINGS_MODULE": "safety.settings.local",
    "DJANGO_DEBUG": "0",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_TIMEOUT_S": "5",
    "ALERT_ACK_WITHIN_MINUTES_SEV4": str(ACK_SEV4_MINUTES),
    "ALERT_MAX_ATTEMPTS": "4",
    "ALERT_RETRY_BASE_S": "0.2",
    "ALERT_RETRY_MAX_S": "2",
    "ALERT_WEBHOOK_TIMEOUT_S": "1",
    "ALERT_SWEEP_EVERY_S": "1",
    "ALERT_SWEEP_AFTER_S": "3",
    "ALERT_ESCALATION_AUDIT_EVERY_S": "1",
    "ALERT_ESCALATION_GRACE_S": "1",
    "LOG_LEVEL": "WARNING",
}


def wait_until(predicate: Callable[[], Any], *, timeout_s: float, every_s: float = 0.2) -> Any:
    """Poll until predicate() is truthy; return it, or its last value after timeout_s (a bound, not a goal)."""
    deadline = time.monotonic() + timeout_s
    value = predicate()
    while not value and time.monotonic() < deadline:
        time.sleep(every_s)
        value = predicate()
    return value


class RedisServer:
    """A redis-server of the test's own on a free port (the machine's Redis is never touched)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        assert wait_until(lambda: _ping(client), timeout_s=10), "redis-server did not start"

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def _ping(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


class CeleryStack:
    """Real `celery -A safety worker` processes and one `celery beat`, on the test database and Redis."""

    def __init__(self, *, env: dict[str, str], workdir: Path) -> None:
        self.env = env
        self.workdir = workdir
        self.workers: dict[str, subprocess.Popen[bytes]] = {}
        self.beat: subprocess.Popen[bytes] | None = None
        self.counter = 0

    def start_worker(self, *, concurrency: int = 4) -> str:
        self.counter += 1
        name = f"w{self.counter}"
        log = open(self.workdir / f"{name}.log", "wb")  # noqa: SIM115 - kept open for the process's life
        self.workers[name] = subprocess.Popen(
            [
                str(BIN / "celery"),
                "-A",
                "safety",
                "worker",
                "-P",
                "threads",
                "-c",
                str(concurrency),
                "-n",
                f"{name}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        return name

    def start_beat(self) -> None:
        log = open(self.workdir / "beat.log", "wb")  # noqa: SIM115 - kept open for the process's life
        self.beat = subprocess.Popen(
            [
                str(BIN / "celery"),
                "-A",
                "safety",
                "beat",
                "-s",
                str(self.workdir / "beat-schedule"),
                "--max-interval",
                "1",
                "-l",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def kill(self, name: str) -> None:
        """SIGKILL: no warm shutdown, no acknowledgment, in-flight work dies with the process."""
        process = self.workers.pop(name)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self) -> None:
        for process in [*self.workers.values(), *([self.beat] if self.beat else [])]:
            process.send_signal(signal.SIGKILL)
        for process in [*self.workers.values(), *([self.beat] if self.beat else [])]:
            process.wait(timeout=10)
        self.workers.clear()
        self.beat = None


def point_celery_at(url: str) -> None:
    """Make this process publish to `url` (the web side of the tests logs incidents in-process)."""
    os.environ["CELERY_BROKER_URL"] = url  # celery reads this variable before its own setting
    celery_app.conf.broker_url = url
    celery_app._pool = None  # kombu keeps one pool per URL: drop ours, the next publish picks the new URL
    celery_app.amqp._producer_pool = None


@pytest.fixture(scope="module")
def services(django_db_setup, django_db_blocker) -> Iterator[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Redis, SMTP sink, webhook receiver, two workers and beat, shared by a module's tests."""
    broker = RedisServer()
    broker.start()
    smtp = SMTPSink().start()
    hooks = WebhookReceiver(secret=SECRET, hang_s=5).start()
    database = connection.settings_dict
    env = {
        **os.environ,
        **WORKER_ENV,
        "DATABASE_URL": (
            f"postgis://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/"
            f"{database['NAME']}"
        ),
        "CELERY_BROKER_URL": broker.url,
        "EMAIL_PORT": str(smtp.port),
    }
    if database.get("PASSWORD"):
        env["DATABASE_URL"] = env["DATABASE_URL"].replace(
            f"//{database['USER']}@", f"//{database['USER']}:{database['PASSWORD']}@"
        )
    previous_url = celery_app.conf.broker_url
    point_celery_at(broker.url)
    workdir = Path(tempfile.mkdtemp(prefix="osc-reliability-"))
    stack = CeleryStack(env=env, workdir=workdir)
    stack.start_worker()
    stack.start_worker()
    stack.start_beat()
    try:
        yield {"broker": broker, "smtp": smtp, "hooks": hooks, "stack": stack, "workdir": workdir}
    finally:
        stack.stop()
        hooks.stop()
        smtp.stop()
        broker.stop()
        point_celery_at(previous_url)
        shutil.rmtree(workdir, ignore_errors=True)


def _truncate() -> None:
    # Workers may still be finishing a step (an escalation, a sweep): a deadlock with them is retried.
    for attempt in range(5):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "TRUNCATE incidents_deliveryattempt, incidents_delivery, incidents_alert, incidents_timelineevent, "
                    "incidents_affectedperson, incidents_caller, incidents_incident, missions_missionchannel CASCADE"
                )
            break
        except OperationalError:
            if attempt == 4:
                raise
            time.sleep(0.5)
    get_user_model().objects.filter(username__startswith="rel-").delete()


@pytest.fixture
def committed_db(django_db_setup, django_db_blocker, services, settings):  # type: ignore[no-untyped-def]
    """Autocommit access to the test database (workers see every row); the test's rows are removed after."""
    settings.ALERT_ACK_WITHIN_MINUTES = {**settings.ALERT_ACK_WITHIN_MINUTES, 4: ACK_SEV4_MINUTES}
    with django_db_blocker.unblock():
        _truncate()
        services["smtp"].messages.clear()
        services["hooks"].requests.clear()
        services["hooks"].seen_per_key.clear()
        services["hooks"].processed.clear()
        try:
            yield
        finally:
            _truncate()
