"""Benchmark of the plenary dashboard at scale; prints its figures (not a test).

    DATABASE_URL=... .venv/bin/python bench/maps.py [--incidents 200000] [--runs 3] [--skip-naive] [--skip-browser]

Uses the database of DATABASE_URL (never the test database): seeds demo cases with seed_demo until it holds
--incidents cases, then measures, in the same run:
  * the server-side build of the dashboard (aggregates + folium map + page), cold and warm, for all cases and
    for the default period (last 12 months); the size of the page and of the self-contained export;
  * the naive folium map with one marker per case (folium.Marker, local assets): build time and size;
  * headless Chromium (Debian's /usr/bin/chromium): time until the dashboard is interactive (the map, every
    layer and the clusters built: window.oscMapReady), for the served page and for the exported file.
Goals (issue 6): build ≤ 1.5 s, page ≤ 1.5 MB, ≥ 50× smaller than naive, interactive ≤ 3 s.
"""

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safety.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def line(label: str, value: str) -> None:
    print(f"  {label:<58} {value}", flush=True)


def ensure_incidents(n: int) -> int:
    from incidents.demo.cases import demo_seed

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM incidents_incident")
        have = cursor.fetchone()[0]
    if have < n:
        t = time.perf_counter()
        demo_seed(incidents=n - have)
        line(f"seed_demo --incidents {n - have:,}", f"{time.perf_counter() - t:.1f} s")
        have = n
    return int(have)


def build(preset: str, runs: int, export: bool = False) -> tuple[list[float], dict[str, float], int]:
    from maps.dashboard import dashboard_build
    from maps.filters import filter_parse

    times: list[float] = []
    html = ""
    timings: dict[str, float] = {}
    for _ in range(runs):
        t = time.perf_counter()
        built = dashboard_build(f=filter_parse({"period": preset}), export=export)
        times.append(time.perf_counter() - t)
        html, timings = built.html, built.timings_s
    return times, timings, len(html.encode())


def naive_map() -> tuple[float, int, int]:
    """One folium.Marker per incident, as a first attempt would do (assets local, so it is comparable)."""
    import folium

    from maps.assets import offline

    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_Y(location), ST_X(location) FROM incidents_incident WHERE location IS NOT NULL")
        rows = cursor.fetchall()
    m = offline(folium.Map(location=[25, 60], zoom_start=2, tiles=None))
    for lat, lon in rows:
        folium.Marker([lat, lon]).add_to(m)
    html = m.get_root().render()
    return time.perf_counter() - t, len(html.encode()), len(rows)


def serve() -> tuple[str, object]:
    """The project's WSGI app (with static files) on a free loopback port, in a thread."""
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    class Threaded(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    app = StaticFilesHandler(get_wsgi_application())
    server = make_server("127.0.0.1", 0, app, server_class=Threaded, handler_class=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


def session_cookie(base: str) -> dict[str, str]:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from incidents.demo.users import demo_users_ensure

    user = get_user_model().objects.filter(username="presenter").first()
    if user is None:
        demo_users_ensure(password="osc-demo-2026")
        user = get_user_model().objects.get(username="presenter")
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return {"name": settings.SESSION_COOKIE_NAME, "value": store.session_key, "url": base}


def browser_tti(targets: list[tuple[str, str, dict[str, str] | None]], runs: int) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            for label, url, cookie in targets:
                ready, loaded, first_byte = [], [], []
                for _ in range(runs):
                    # bypass_csp: the page's CSP forbids eval, which Playwright's readiness probe needs.
                    context = browser.new_context(
                        viewport={"width": 1600, "height": 1000}, offline=cookie is None, bypass_csp=True
                    )
                    if cookie:
                        context.add_cookies([cookie])
                    page = context.new_page()
                    page.goto(url, wait_until="commit")
                    page.wait_for_function("window.oscMapReady === true", timeout=60_000)
                    ready.append(page.evaluate("performance.now()") / 1000)
                    page.wait_for_load_state("load")
                    first_byte.append(
                        page.evaluate("performance.getEntriesByType('navigation')[0].responseStart") / 1000
                    )
                    loaded.append(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000)
                    context.close()
                line(f"Chromium: {label}: first byte (server build)", f"{statistics.median(first_byte):.2f} s")
                line(f"Chromium: {label}: interactive (median of {runs})", f"{statistics.median(ready):.2f} s")
                line(
                    f"Chromium: {label}: interactive after first byte",
                    f"{statistics.median(r - b for r, b in zip(ready, first_byte, strict=True)):.2f} s",
                )
                line(f"Chromium: {label}: load event (median)", f"{statistics.median(loaded):.2f} s")
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--incidents", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes (seconds), for the test suite")
    args = parser.parse_args()
    if args.smoke:
        args.incidents, args.runs, args.skip_naive, args.skip_browser = 300, 1, True, True

    print(f"maps bench · database {settings.DATABASES['default']['NAME']} · load average {os.getloadavg()}")
    t = time.perf_counter()
    total = ensure_incidents(args.incidents)
    from maps.rollups import rollups_differences

    differences = rollups_differences()
    line(
        "roll-ups vs raw tables", f"{'identical' if not differences else differences} ({time.perf_counter() - t:.1f} s)"
    )
    line("incidents in the database", f"{total:,}")
    from maps.shapes import map_shapes_ensure

    map_shapes_ensure()

    results = {}
    for preset, label in (("all", "all cases"), ("12m", "last 12 months (default)")):
        times, timings, size = build(preset, args.runs + 1)
        cold, warm = times[0], statistics.median(times[1:])
        results[preset] = (warm, size)
        line(f"build, {label}: first / median of {args.runs}", f"{cold:.2f} s / {warm:.2f} s")
        line(
            "  of which aggregates / map / page (last run)",
            f"{timings['aggregates']:.2f} / {timings['map']:.2f} / {timings['page']:.2f} s",
        )
        line(f"page HTML, {label}", f"{size / 1e6:.2f} MB")
        line("  load average", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    times, _, export_size = build("all", 1, export=True)
    line("export (self-contained, all assets inlined), all cases", f"{export_size / 1e6:.2f} MB in {times[0]:.2f} s")

    if not args.skip_naive:
        naive_s, naive_size, markers = naive_map()
        line(
            f"naive folium map, one Marker per case ({markers:,} markers)",
            f"{naive_size / 1e6:.1f} MB in {naive_s:.1f} s",
        )
        warm, size = results["all"]
        line("naive / dashboard: HTML size", f"{naive_size / size:.0f}× smaller")
        line("naive / dashboard: build time", f"{naive_s / warm:.0f}× faster")

    if not args.skip_browser:
        from maps.dashboard import dashboard_build
        from maps.filters import filter_parse

        base, server = serve()
        cookie = session_cookie(base)
        with tempfile.TemporaryDirectory() as tmp:
            exported = Path(tmp) / "dashboard.html"
            exported.write_text(dashboard_build(f=filter_parse({"period": "all"}), export=True).html, encoding="utf-8")
            browser_tti(
                [
                    ("served page, all cases", f"{base}/maps/?period=all", cookie),
                    ("exported file, offline, all cases", exported.as_uri(), None),
                ],
                args.runs,
            )
        server.shutdown()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
