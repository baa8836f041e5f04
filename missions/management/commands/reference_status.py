"""Print row counts and the source and version of each reference data set."""

import json
from typing import Any

from django.core.management.base import BaseCommand

from missions.models import Jurisdiction, Mission
from safety.geo.models import Country, CountryPiece, Place, ReferenceDataset


class Command(BaseCommand):
    help = "Show what reference data is loaded."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        datasets = {
            d.name: {
                "source": d.source,
                "version": d.version,
                "rows": d.rows,
                "loaded_at": d.loaded_at.isoformat(),
            }
            for d in ReferenceDataset.objects.order_by("name")
        }
        status = {
            "countries": Country.objects.count(),
            "countries_with_boundary": Country.objects.filter(boundary__isnull=False).count(),
            "country_pieces": CountryPiece.objects.count(),
            "places": Place.objects.count(),
            "missions": Mission.objects.filter(is_active=True).count(),
            "jurisdictions": Jurisdiction.objects.count(),
            "jurisdiction_countries": Jurisdiction.objects.values("country").distinct().count(),
            "datasets": datasets,
        }
        if options["json"]:
            self.stdout.write(json.dumps(status, ensure_ascii=False, sort_keys=True))
            return
        for key, value in status.items():
            if key != "datasets":
                self.stdout.write(f"{key:>24}: {value}")
        for name, info in datasets.items():
            self.stdout.write(f"{name:>24}: {info['version']} — {info['source']}")
