"""Alert delivery benchmark: outbox vs naive `on_commit(task.delay)`, and a fault run.

    .venv/bin/python bench/alerts.py [--n 1000] [--fault-n 200]

Starts what it needs and stops it after: its own redis-server on a free port, a webhook
receiver that checks signatures, celery workers and beat, and two web servers (the product,
and the same product with the naive dispatch patched in). Uses the database
`<DATABASE_URL name>_bench` (created, migrated and loaded on first use; case tables are emptied
before each run). Prints commit→delivery latency p50/p95/p99 for the inbox and the webhook,
time to drain, the ratio outbox/naive, and a fault run (broker stopped, worker SIGKILLed)
printing lost= and duplicated=.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
SECRET = "bench-hook-secret"
MISSION = "emb-th-bangkok"
PAYLOAD = {
    "category": "crime",
    "severity": 2,
    "occurred_at": "2026-11-20T14:30:00+07:00",
    "summary": "Bag snatched (bench)",
    "location_text": "Pattaya, Thailand",
    "lat": 12.9276,
    "lon": 100.8771,
}
TUNING = {
    "DJANGO_DEBUG": "0",
    "LOG_LEVEL": "WARNING",
    "ALERT_SWEEP_EVERY_S": "2",
    "ALERT_SWEEP_AFTER_S": "5",
    "ALERT_WEBHOOK_TIMEOUT_S": "5",
    "DATABASE_CONN_MAX_AGE": "60",
}


def bench_database_url() -> str:
    import dj_database_url

    url = os.environ.get("DATABASE_URL", "postgis://postgres@127.0.0.1:5432/osc")
    name = dj_database_url.parse(url)["NAME"]
    return url.rsplit("/", 1)[0] + f"/{name}_bench"


def prepare_database(url: str) -> None:
    import dj_database_url
    import psycopg

    conf = dj_database_url.parse(url)
    admin = f"host={conf['HOST'] or '127.0.0.1'} port={conf['PORT'] or 5432} user={conf['USER']} dbname=postgres"
    if conf.get("PASSWORD"):
        admin += f" password={conf['PASSWORD']}"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [conf["NAME"]]).fetchone()
        if not exists:
            print(f"creating {conf['NAME']} (first run: migrate and load reference data, ~1-2 min)", flush=True)
            conn.execute(f'CREATE DATABASE "{conf["NAME"]}"')
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "safety.settings.local"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    if not exists:
        subprocess.run([sys.executable, "manage.py", "load_reference_data"], cwd=ROOT, env=env, check=True)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(values: list[float]) -> str:
    return f"p50={percentile(values, 50) * 1000:7.0f} ms  p95={percentile(values, 95) * 1000:7.0f} ms  " + (
        f"p99={percentile(values, 99) * 1000:7.0f} ms  (n={len(values)})"
    )


class Stack:
    def __init__(self, *, env: dict[str, str], workdir: Path, workers: int, concurrency: int) -> None:
        self.env = env
        self.workdir = workdir
        self.workers_wanted = workers
        self.concurrency = concurrency
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.count = 0

    def _spawn(self, name: str, args: list[str], env: dict[str, str] | None = None) -> None:
        log = open(self.workdir / f"{name}.log", "wb")  # noqa: SIM115 - open for the process's life
        self.procs[name] = subprocess.Popen(args, cwd=ROOT, env=env or self.env, stdout=log, stderr=subprocess.STDOUT)

    def start_worker(self) -> str:
        self.count += 1
        name = f"worker{self.count}"
        self._spawn(
            name,
            [str(BIN / "celery"), "-A", "safety", "worker", "-I", "bench.naive_tasks", "-P", "threads"]
            + ["-c", str(self.concurrency), "-n", f"{name}@%h", "--without-gossip", "--without-mingle"]
            + ["--without-heartbeat", "-l", "warning"],
        )
        return name

    def start(self, *, outbox_port: int, naive_port: int) -> None:
        for _ in range(self.workers_wanted):
            self.start_worker()
        self._spawn(
            "beat",
            [str(BIN / "celery"), "-A", "safety", "beat", "-s", str(self.workdir / "beat"), "--max-interval", "1"]
            + ["-l", "warning"],
        )
        # runserver starts a thread per request: persistent connections would pile up, one per thread.
        web_env = {**self.env, "DATABASE_CONN_MAX_AGE": "0"}
        self._spawn(
            "web-outbox", [sys.executable, "manage.py", "runserver", f"127.0.0.1:{outbox_port}", "--noreload"], web_env
        )
        self._spawn("web-naive", [sys.executable, __file__, "--serve-naive", str(naive_port)], web_env)

    def kill(self, name: str) -> None:
        process = self.procs.pop(name)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def workers(self) -> list[str]:
        return [name for name in self.procs if name.startswith("worker")]

    def stop(self) -> None:
        for process in self.procs.values():
            process.send_signal(signal.SIGTERM)
        for process in self.procs.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        self.procs.clear()


def wait_http(url: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - loopback
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not come up")


def post_burst(base: str, token: str, n: int, clients: int, *, on_progress: Any = None) -> dict[str, Any]:
    body = json.dumps(PAYLOAD).encode()
    done = Counter[str]()
    lock = threading.Lock()

    def post(i: int) -> None:
        request = urllib.request.Request(  # noqa: S310 - loopback
            f"{base}/api/incidents/",
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
                outcome = "ok" if response.status == 201 else f"http{response.status}"
        except urllib.error.HTTPError as exc:
            outcome = f"http{exc.code}"
        except OSError as exc:
            outcome = type(exc).__name__
        with lock:
            done[outcome] += 1
            if on_progress is not None:
                on_progress(sum(done.values()))

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(post, range(n)))
    return {"seconds": time.monotonic() - started, "outcomes": dict(done)}


def wait_for(predicate: Any, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    return bool(predicate())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--fault-n", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--serve-naive", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_naive:
        serve_naive(args.serve_naive)
        return

    url = bench_database_url()
    prepare_database(url)
    from tests.reliability.conftest import RedisServer
    from tests.reliability.receivers import WebhookReceiver, free_port

    broker = RedisServer()
    broker.start()
    os.environ.update({**TUNING, "DATABASE_URL": url, "CELERY_BROKER_URL": broker.url})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safety.settings.local")
    import django

    django.setup()
    from django.db.models import Max, Min

    from incidents.alerts.models import Alert, Delivery, DeliveryStatus
    from tests.reliability.conftest import _truncate

    receiver = WebhookReceiver(secret=SECRET).start()
    token = setup_rows(receiver.url("/ok"))
    workdir = Path(os.environ.get("TMPDIR", "/tmp")) / f"osc-bench-{os.getpid()}"
    workdir.mkdir(parents=True, exist_ok=True)
    outbox_port, naive_port = free_port(), free_port()
    stack = Stack(env=dict(os.environ), workdir=workdir, workers=args.workers, concurrency=args.concurrency)
    stack.start(outbox_port=outbox_port, naive_port=naive_port)
    outbox, naive = f"http://127.0.0.1:{outbox_port}", f"http://127.0.0.1:{naive_port}"
    try:
        wait_http(f"{outbox}/healthz")
        wait_http(f"{naive}/healthz")
        time.sleep(3)  # workers connected
        print(
            f"machine: {os.cpu_count()} cores; {args.workers} workers x {args.concurrency} threads; "
            f"{args.clients} concurrent clients; N={args.n}",
            flush=True,
        )
        # The machine is shared: the two paths alternate in rounds so that load elsewhere hits both alike.
        results: dict[str, tuple[list[float], list[float], float]] = {"outbox": ([], [], 0.0), "naive": ([], [], 0.0)}
        per_round = max(1, args.n // args.rounds)
        for round_number in range(1, args.rounds + 1):
            for mode, base in (("outbox", outbox), ("naive", naive)):
                clean(_truncate, receiver)
                token = setup_rows(receiver.url("/ok"))
                burst = post_burst(base, token, per_round, args.clients)
                if mode == "outbox":
                    drained = wait_for(
                        lambda: (
                            not Delivery.objects.filter(status=DeliveryStatus.PENDING).exists()
                            and len(receiver.delivered()) >= per_round
                        ),
                        300,
                    )
                    inbox, hook, drain_s = outbox_latencies(receiver)
                else:
                    drained = wait_for(
                        lambda: Alert.objects.count() >= per_round and len(receiver.delivered()) >= per_round, 300
                    )
                    inbox, hook, drain_s = naive_latencies(receiver)
                total = results[mode]
                results[mode] = (total[0] + inbox, total[1] + hook, total[2] + drain_s)
                span = Alert.objects.aggregate(first=Min("incident__created_at"), last=Max("incident__created_at"))
                print(
                    f"[round {round_number} {mode}] {per_round} posted in {burst['seconds']:.1f} s "
                    f"{burst['outcomes']}, drained={drained}, drain {drain_s:.1f} s, commits spanned "
                    f"{(span['last'] - span['first']).total_seconds():.1f} s",
                    flush=True,
                )
        for mode in ("outbox", "naive"):
            inbox, hook, drain_s = results[mode]
            print(f"\n[{mode}] burst of {per_round * args.rounds} ({args.rounds} rounds), commit → delivery:")
            print(f"  inbox   {summary(inbox)}")
            print(f"  webhook {summary(hook)}")
            print(f"  time to drain (first commit → last delivery, summed over rounds): {drain_s:.1f} s")
        for i, name in enumerate(("inbox", "webhook")):
            o, b = percentile(results["outbox"][i], 95), percentile(results["naive"][i], 95)
            print(f"ratio outbox/naive p95 {name}: {o / b:.2f}x")
        print(f"ratio outbox/naive drain: {results['outbox'][2] / results['naive'][2]:.2f}x")
        fault_run(args, stack, broker, receiver, outbox, naive, _truncate)
    finally:
        stack.stop()
        receiver.stop()
        broker.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def setup_rows(hook_url: str) -> str:
    from django.contrib.auth import get_user_model

    from missions.models import ChannelKind, Mission, MissionChannel
    from safety.auth.roles import Role, role_groups_ensure, user_role_grant

    role_groups_ensure()
    user, _ = get_user_model().objects.get_or_create(username="rel-bench-operator")
    user_role_grant(user=user, role=Role.OPERATOR)
    mission = Mission.objects.get(code=MISSION)
    MissionChannel.objects.filter(mission=mission).delete()
    MissionChannel.objects.create(mission=mission, kind=ChannelKind.WEBHOOK, url=hook_url, secret=SECRET)
    from safety.auth.tokens import token_issue
    from safety.models import TokenScope

    return token_issue(user=user, scope=TokenScope.WRITE, name="bench")[1]


def clean(truncate: Any, receiver: Any) -> None:
    truncate()
    with receiver.lock:
        receiver.requests.clear()
        receiver.seen_per_key.clear()
        receiver.processed.clear()


def outbox_latencies(receiver: Any) -> tuple[list[float], list[float], float]:
    from incidents.alerts.models import Delivery

    rows = Delivery.objects.filter(kind="inbox").values_list(
        "alert__public_id", "alert__incident__created_at", "delivered_at"
    )
    created = {str(pid): at.timestamp() for pid, at, _ in rows}
    inbox = [d.timestamp() - at.timestamp() for _, at, d in rows if d is not None]
    hooks = {}
    for hit in receiver.delivered():
        hooks.setdefault(hit.alert, hit.at)
    hook = [t - created[a] for a, t in hooks.items() if a in created]
    last = max([d.timestamp() for _, _, d in rows if d is not None] + list(hooks.values()))
    return inbox, hook, last - min(created.values())


def naive_latencies(receiver: Any) -> tuple[list[float], list[float], float]:
    from incidents.alerts.models import Alert

    rows = list(Alert.objects.values_list("incident__reference", "incident__created_at", "created_at"))
    created = {ref: at.timestamp() for ref, at, _ in rows}
    inbox = [a.timestamp() - at.timestamp() for _, at, a in rows]
    hooks = {}
    for hit in receiver.delivered():
        hooks.setdefault(hit.body["incident"]["reference"], hit.at)
    hook = [t - created[r] for r, t in hooks.items() if r in created]
    last = max([a.timestamp() for _, _, a in rows] + list(hooks.values()))
    return inbox, hook, last - min(created.values())


def fault_run(args: Any, stack: Stack, broker: Any, receiver: Any, outbox: str, naive: str, truncate: Any) -> None:
    from incidents.alerts.models import Alert, Delivery, DeliveryStatus
    from incidents.models import Incident

    for mode, base in (("outbox", outbox), ("naive", naive)):
        clean(truncate, receiver)
        token = setup_rows(receiver.url("/ok"))
        third = max(1, args.fault_n // 3)
        fired = threading.Event()

        def progress(count: int, third: int = third, fired: threading.Event = fired) -> None:
            if count == third and not fired.is_set():
                fired.set()
                threading.Thread(target=fault, daemon=True).start()

        def fault() -> None:
            broker.stop()
            time.sleep(3)
            stack.kill(stack.workers()[0])
            broker.start()
            stack.start_worker()

        started = time.monotonic()
        burst = post_burst(base, token, args.fault_n, args.clients, on_progress=progress)
        time.sleep(1)
        if mode == "outbox":
            wait_for(
                lambda: (
                    not Delivery.objects.filter(status=DeliveryStatus.PENDING).exists()
                    and len(receiver.processed) >= Incident.objects.count()
                ),
                240,
            )
        else:
            wait_for(lambda: len(receiver.processed) >= Incident.objects.count(), 30)
        incidents = Incident.objects.count()
        alerts = set(Alert.objects.values_list("public_id", flat=True))
        per_alert_keys: defaultdict[str, set[str]] = defaultdict(set)
        raw = Counter[str]()
        for hit in receiver.delivered():
            ref = hit.body["incident"]["reference"]
            per_alert_keys[ref].add(hit.key)
            raw[hit.key] += 1
        references = set(Incident.objects.values_list("reference", flat=True))
        lost_hooks = len(references - set(per_alert_keys))
        lost_inbox = incidents - (
            Delivery.objects.filter(kind="inbox", status=DeliveryStatus.DELIVERED).count()
            if mode == "outbox"
            else len(alerts)
        )
        duplicated = sum(1 for keys in per_alert_keys.values() if len(keys) > 1)
        resent_same_key = sum(n - 1 for n in raw.values())
        print(
            f"\n[fault {mode}] {args.fault_n} posts, broker stopped 3 s at 1/3 and a worker SIGKILLed: "
            f"{burst['outcomes']}, {incidents} incidents saved, settled in {time.monotonic() - started:.1f} s"
        )
        print(
            f"  lost={lost_inbox + lost_hooks} duplicated={duplicated} "
            f"(inbox lost {lost_inbox}, webhook lost {lost_hooks}, same-key resends deduplicated {resent_same_key})"
        )


def serve_naive(port: int) -> None:
    """The product's web server with the naive dispatch patched in (no outbox rows, on_commit(delay))."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safety.settings.local")
    import django

    django.setup()
    from django.core.management import call_command

    import incidents.services.intake
    from bench.naive_tasks import naive_alert_for_routing

    incidents.services.intake.alert_for_routing = naive_alert_for_routing  # type: ignore[assignment]
    call_command("runserver", f"127.0.0.1:{port}", "--noreload")


if __name__ == "__main__":
    main()
