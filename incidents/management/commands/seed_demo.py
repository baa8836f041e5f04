"""Seed synthetic demo cases at scale (marked, removable with --clear)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from incidents.demo.cases import demo_clear, demo_seed


class Command(BaseCommand):
    help = "Write N synthetic cases (places weighted by where Koreans travel and live) with COPY; --clear removes them."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--incidents", type=int, default=0, help="how many cases to write")
        parser.add_argument("--years", type=float, default=4.0, help="spread over the last N years")
        parser.add_argument("--seed", type=int, default=20261201, help="random seed (same seed, same data)")
        parser.add_argument("--clear", action="store_true", help="delete the seeded cases first")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["incidents"] < 0 or options["years"] <= 0:
            raise CommandError("--incidents must be ≥ 0 and --years > 0")
        started = time.perf_counter()
        if options["clear"]:
            self.stdout.write(f"removed {demo_clear():,} seeded cases")
        if options["incidents"]:
            n = demo_seed(
                incidents=options["incidents"],
                years=options["years"],
                seed=options["seed"],
                progress=lambda msg: self.stdout.write(f"[{time.perf_counter() - started:6.1f}s] {msg}"),
            )
            self.stdout.write(f"seeded {n:,} cases in {time.perf_counter() - started:.1f} s")
