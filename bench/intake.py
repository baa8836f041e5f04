"""Intake load benchmark: the product served as `make run` serves it (gunicorn, celery workers, sinks).

    .venv/bin/python bench/intake.py [--requests 400] [--levels 1,8,32] [--smoke]

Starts what it needs on free ports and stops it after: its own redis-server, a webhook receiver (the
mission's alert sink), two celery workers, and gunicorn with the Procfile's gunicorn.conf.py. Uses the
database `<DATABASE_URL name>_bench` (created, migrated and loaded on first use; cases accumulate there).
For each level of concurrent clients (bounded loops: a fixed number of requests per level), in the same
run: POST /api/incidents/ (a place as text to geocode, two persons, a caller; alerts flow to the sink) and,
as the baseline, GET /api/me/ (a bare authenticated DRF endpoint, small JSON). Prints requests/s,
p50/p95/p99, errors, the ratio intake/baseline, alerts delivered, and the load average.
"""

import argparse
import json
import os
import signal
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent

from bench.alerts import SECRET, Stack, bench_database_url, percentile, prepare_database, wait_http  # noqa: E402

PLACES = ["Soi Buakhao, Pattaya, Thailand", "Shinjuku, Tokyo, Japan", "Namba, Osaka", "Hanoi, Vietnam", "Paris"]


def payload(i: int) -> dict[str, Any]:
    return {
        "category": "crime",
        "severity": 2,
        "occurred_at": "2026-11-20T14:30:00+07:00",
        "summary": f"Bag snatched (intake bench {i})",
        "location_text": PLACES[i % len(PLACES)],
        "persons": [
            {"name": "홍길동 Bench", "passport_number": "M12345678", "contact": "+821055512345"},
            {"name": "김철수 Bench", "status": "safe"},
        ],
        "callers": [{"name": "Caller Bench", "phone": "+12025550143", "relation": "friend"}],
    }


def load(base: str, token: str, *, path: str, n: int, clients: int, body: Any = None) -> dict[str, Any]:
    """n requests from `clients` threads (bounded); latencies in seconds, errors counted."""
    latencies: list[float] = []
    errors: list[str] = []

    def one(i: int) -> None:
        data = json.dumps(body(i)).encode() if body else None
        request = urllib.request.Request(  # noqa: S310 - loopback
            base + path,
            data=data,
            method="POST" if data else "GET",
            headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
                response.read()
                if response.status >= 300:
                    errors.append(str(response.status))
        except (urllib.error.URLError, OSError) as exc:
            errors.append(str(getattr(exc, "code", exc)))
        latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, range(n)))
    seconds = time.perf_counter() - started
    return {"rps": n / seconds, "lat": latencies, "errors": errors}


def line(label: str, result: dict[str, Any]) -> str:
    lat = result["lat"]
    return (
        f"{label:<34} {result['rps']:7.1f} req/s  p50 {percentile(lat, 50) * 1000:6.0f} ms  "
        f"p95 {percentile(lat, 95) * 1000:6.0f} ms  p99 {percentile(lat, 99) * 1000:6.0f} ms  "
        f"errors {len(result['errors'])}"
    )


def loadavg() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=400, help="requests per level and endpoint")
    parser.add_argument("--levels", default="1,8,32")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--web-threads", type=int, default=4)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes (seconds), for the test suite")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    if args.smoke:
        args.requests, levels = 6, [1, 2]

    url = bench_database_url()
    prepare_database(url)
    from tests.reliability.conftest import RedisServer
    from tests.reliability.receivers import WebhookReceiver, free_port

    broker = RedisServer()
    broker.start()
    web_port = free_port()
    os.environ.update(
        {
            "DJANGO_DEBUG": "0",
            "LOG_LEVEL": "WARNING",
            "DATABASE_URL": url,
            "CELERY_BROKER_URL": broker.url,
            "WEB_BIND": f"127.0.0.1:{web_port}",
            "WEB_WORKERS": str(args.web_workers),
            "WEB_THREADS": str(args.web_threads),
            "WEB_ACCESS_LOG": "",
            # One bench user sends every request: lift the per-user intake throttle (60/min by default).
            "OSC_THROTTLE_INTAKE": "100000/min",
        }
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safety.settings.local")
    import django

    django.setup()
    from bench.alerts import setup_rows
    from incidents.alerts.models import Alert

    receiver = WebhookReceiver(secret=SECRET).start()
    alerts_before = Alert.objects.count()
    token = setup_rows(receiver.url("/ok"))
    workdir = Path(os.environ.get("TMPDIR", "/tmp")) / f"osc-intake-bench-{os.getpid()}"
    workdir.mkdir(parents=True, exist_ok=True)
    stack = Stack(env=dict(os.environ), workdir=workdir, workers=2, concurrency=4)
    for _ in range(2):
        stack.start_worker()
    stack._spawn("web", [str(BIN / "gunicorn"), "safety.wsgi:application", "-c", str(ROOT / "gunicorn.conf.py")])
    base = f"http://127.0.0.1:{web_port}"
    try:
        wait_http(f"{base}/healthz")
        print(
            f"machine: {os.cpu_count()} cores; gunicorn {args.web_workers} workers x {args.web_threads} threads "
            f"(gthread, psycopg pool); 2 celery workers; {args.requests} requests per level; {loadavg()}",
            flush=True,
        )
        load(base, token, path="/api/me/", n=20, clients=4)  # warm every worker
        load(base, token, path="/api/incidents/", n=10, clients=4, body=payload)
        for clients in levels:
            bare = load(base, token, path="/api/me/", n=args.requests, clients=clients)
            intake = load(base, token, path="/api/incidents/", n=args.requests, clients=clients, body=payload)
            print(line(f"[{clients:>2} clients] GET /api/me/ (baseline)", bare), flush=True)
            print(line(f"[{clients:>2} clients] POST /api/incidents/", intake), flush=True)
            print(f"[{clients:>2} clients] intake/baseline {intake['rps'] / bare['rps']:.1%}  {loadavg()}", flush=True)
            for error in sorted(set(intake["errors"] + bare["errors"]))[:5]:
                print(f"    error: {error}")
        deadline = time.monotonic() + 60
        alerts = Alert.objects.count() - alerts_before
        while time.monotonic() < deadline and len(receiver.processed) < alerts:
            time.sleep(0.5)
        print(
            f"alerts: {alerts} created (all missions), {len(receiver.processed)} delivered to the webhook sink "
            f"(emb-th-bangkok's channel); {loadavg()}"
        )
    finally:
        stack.stop()
        receiver.stop()
        broker.stop()


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    main()
