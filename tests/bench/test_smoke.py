"""Every bench script runs in --smoke mode (tiny sizes) and prints its figures."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(script: str, timeout: int) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), "--smoke"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_bench_routing_smoke_prints_route_file_throughput():  # type: ignore[no-untyped-def]
    out = _run("routing.py", 600)
    assert "route --file" in out and "points/s" in out and "p99" in out


def test_bench_intake_smoke_prints_both_endpoints():  # type: ignore[no-untyped-def]
    out = _run("intake.py", 900)
    assert "POST /api/incidents/" in out and "GET /api/me/ (baseline)" in out and "errors 0" in out


def test_bench_maps_smoke_prints_build_and_rollup_check():  # type: ignore[no-untyped-def]
    out = _run("maps.py", 900)
    assert "roll-ups vs raw tables" in out and "identical" in out and "build, all cases" in out
