"""Recompute the dashboard roll-ups from the incidents table."""

import time
from typing import Any

from django.core.management.base import BaseCommand

from maps.rollups import rollups_rebuild


class Command(BaseCommand):
    help = "Rebuild the dashboard roll-ups from scratch (in one transaction; writers wait meanwhile)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        rollups_rebuild()
        self.stdout.write(f"roll-ups rebuilt in {time.perf_counter() - started:.1f} s")
