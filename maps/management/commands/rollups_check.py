"""Compare the dashboard roll-ups with the incidents table; exit 1 on any difference."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from maps.rollups import rollups_differences


class Command(BaseCommand):
    help = "Compare the roll-ups with a fresh aggregation of the incidents table (exit status 1 if they differ)."

    def handle(self, *args: Any, **options: Any) -> None:
        differences = rollups_differences()
        if differences:
            detail = ", ".join(f"{table}: {n} rows" for table, n in sorted(differences.items()))
            raise CommandError(f"roll-ups differ from the incidents table ({detail}); run rollups_rebuild")
        self.stdout.write("roll-ups identical to the incidents table")
