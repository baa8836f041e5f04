"""Import district area polygons from a GeoJSON FeatureCollection (all or nothing)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from missions.exceptions import DistrictAreaInvalid
from missions.services import district_areas_import_geojson


class Command(BaseCommand):
    help = "Import district areas (properties: name, mission, country, admin1, priority, note, source)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--replace", action="store_true", help="delete the areas that are not in the file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            areas = district_areas_import_geojson(path=options["path"], replace=options["replace"])
        except DistrictAreaInvalid as exc:
            raise CommandError(exc.message) from exc
        for area in areas:
            self.stdout.write(f"{area.name}: {area.mission.code} ({area.pieces.count()} pieces)")
