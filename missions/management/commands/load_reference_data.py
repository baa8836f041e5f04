"""Load every reference data set (places, countries, missions) idempotently, with progress."""

import time
from typing import Any

from django.core.management.base import BaseCommand

from missions.loaders import missions_load
from safety.auth.roles import role_groups_ensure
from safety.geo.loaders import countries_load, destinations_load, places_load


class Command(BaseCommand):
    help = "Load GeoNames places, Natural Earth countries, and the missions with their districts."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="reload even when a source is unchanged")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()

        def progress(message: str) -> None:
            self.stdout.write(f"[{time.monotonic() - started:6.1f}s] {message}")
            self.stdout.flush()

        role_groups_ensure()
        places_load(progress=progress, force=options["force"])
        countries_load(progress=progress, force=options["force"])
        destinations_load(progress=progress, force=options["force"])
        missions_load(progress=progress, force=options["force"])
        progress("reference data loaded")
