"""(Re)build the cached map shapes: simplified countries, approximate admin-1 regions, mission districts."""

from typing import Any

from django.core.management.base import BaseCommand

from maps.shapes import map_shapes_build


class Command(BaseCommand):
    help = "Rebuild maps.MapShape from the reference data (idempotent; the dashboard builds missing shapes itself)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = map_shapes_build()
        self.stdout.write(", ".join(f"{n} {kind}" for kind, n in counts.items()))
