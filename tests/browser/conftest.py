"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

The live server answers from its own thread and connection (and a celery worker from its own
process), so a browser test's data must be committed. pytest-django's `transactional_db`
would flush every table after each test and so wipe the reference data (places, countries,
missions) that tests/conftest.py loads once per session. Here `transactional_db` is replaced:
the database is unblocked, everything commits, and teardown removes what a test may have
created: cases and all that hangs off them, audit entries, sessions, and the users added
during the test. Reference data is never touched.
"""

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import connection

from missions.models import Membership, Mission
from safety.auth.roles import Role, user_role_grant
from tests.factories import UserFactory

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct-horse-battery"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
CASE_TABLE_PREFIXES = ("incidents_",)
ALSO_CLEARED = ("safety_auditentry", "django_session", "authtoken_token", "django_admin_log")


def _case_tables() -> list[str]:
    existing = set(connection.introspection.table_names())
    tables = [t for t in existing if t.startswith(CASE_TABLE_PREFIXES)]
    tables += [t for t in ALSO_CLEARED if t in existing]
    return sorted(tables)


@pytest.fixture
def transactional_db(django_db_setup, django_db_blocker) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Committed data for the live server; teardown clears case data and new users only."""
    from django.contrib.auth import get_user_model

    with django_db_blocker.unblock():
        user_model = get_user_model()
        last_user = user_model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        yield
        connection.close_if_unusable_or_obsolete()
        with connection.cursor() as cursor:
            tables = ", ".join(connection.ops.quote_name(t) for t in _case_tables())
            cursor.execute(f"TRUNCATE {tables} CASCADE")  # noqa: S608 - names come from introspection
        user_model.objects.filter(pk__gt=last_user).delete()


@pytest.fixture
def browser_user(transactional_db) -> Callable[..., AbstractUser]:  # type: ignore[no-untyped-def]
    """A committed user with a role (and a mission), password PASSWORD."""

    def make(role: Role, mission_code: str | None = None, **kwargs: object) -> AbstractUser:
        user = UserFactory(password=PASSWORD, **kwargs)
        user_role_grant(user=user, role=role)
        if mission_code:
            Membership.objects.create(user=user, mission=Mission.objects.get(code=mission_code))
        return user

    return make


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """Debian's Chromium, headless, through Playwright (no browser is ever downloaded)."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make setup` installs Debian's chromium")
    # Playwright's sync API keeps an asyncio loop in this thread; the ORM calls the tests make
    # between browser steps are still plain synchronous calls, so Django's guard is lifted here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Session:
    """One browser context (one person), recording every request its pages make."""

    def __init__(self, browser: object, base_url: str) -> None:
        self.base_url = base_url
        self.context = browser.new_context(  # type: ignore[attr-defined]
            base_url=base_url, locale="ko-KR", timezone_id="Asia/Seoul", viewport={"width": 1360, "height": 1000}
        )
        self.requests: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)

    def login(self, username: str, password: str = PASSWORD) -> None:
        page = self.page
        page.goto("/accounts/login/")
        page.get_by_label(re.compile("사용자 이름|User name")).fill(username)
        page.get_by_label(re.compile("비밀번호|Password")).fill(password)
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))

    def external_requests(self) -> list[str]:
        outside = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if parts.hostname not in LOCAL_HOSTS:
                outside.append(url)
        return outside

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_session(chromium, live_server) -> Iterator[Callable[[], Session]]:  # type: ignore[no-untyped-def]
    """Open browser sessions (one per person); every one must stay on the local server."""
    sessions: list[Session] = []

    def open_one() -> Session:
        session = Session(chromium, live_server.url)
        sessions.append(session)
        return session

    yield open_one
    outside = [url for session in sessions for url in session.external_requests()]
    for session in sessions:
        session.close()
    assert outside == [], f"requests outside the local server: {outside}"


@pytest.fixture(scope="module")
def celery_worker_process(django_db_setup, tmp_path_factory) -> Iterator[subprocess.Popen[bytes]]:  # type: ignore[no-untyped-def]
    """A real `celery -A safety worker` on the test database and the configured Redis (CELERY_BROKER_URL).

    Module-scoped: it is gone before other modules' tests start workers of their own on the same database.
    """
    database = connection.settings_dict
    auth = database["USER"] + (f":{database['PASSWORD']}" if database.get("PASSWORD") else "")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "safety.settings.test",
        "DATABASE_URL": f"postgis://{auth}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/"
        f"{database['NAME']}",
        "CELERY_BROKER_URL": str(settings.CELERY_BROKER_URL),
        "LOG_LEVEL": "WARNING",
    }
    log_path = tmp_path_factory.mktemp("celery") / "worker.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "celery"), "-A", "safety", "worker", "-P", "threads", "-c", "2"]
            + ["--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning"],
            cwd=Path(__file__).resolve().parents[2],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
    if process.returncode not in (0, -15):
        print(log_path.read_text(errors="replace")[-4000:])


def wait_until(predicate: Callable[[], object], *, timeout_s: float, every_s: float = 0.25) -> object:
    """Poll until predicate() is truthy (a bound on patience, not a speed goal); return its last value."""
    deadline = time.monotonic() + timeout_s
    value = predicate()
    while not value and time.monotonic() < deadline:
        time.sleep(every_s)
        value = predicate()
    return value


@pytest.fixture(scope="module", autouse=True)
def _celery_pools_released() -> Iterator[None]:
    """After the browser tests, drop the broker connections they opened (through the live server and
    on_commit publishes), so later tests that repoint the celery app start from fresh pools."""
    yield
    from kombu import pools

    from safety.celery import app as celery_app

    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    pools.reset()
