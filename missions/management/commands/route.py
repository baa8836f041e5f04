"""Route points to the responsible mission: one JSON object per point, in input order."""

import csv
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from missions.routing import route_points


def _coordinate(value: str, low: float, high: float, name: str) -> float:
    try:
        number = float(value)
    except ValueError as exc:
        raise CommandError(f"{name} {value!r} is not a number") from exc
    if not (low <= number <= high):
        raise CommandError(f"{name} {number} is outside {low}..{high}")
    return number


class Command(BaseCommand):
    help = "Route LAT LON (or --file CSV with a header row lat,lon) to missions; prints JSON lines."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("coordinates", nargs="*", metavar="LAT LON")
        parser.add_argument("--file", type=Path, help="CSV with a header row lat,lon")
        parser.add_argument("--json", action="store_true", help="JSON lines (the default and only format)")

    def handle(self, *args: Any, **options: Any) -> None:
        values: list[str] = options["coordinates"]
        if len(values) % 2:
            raise CommandError("give LAT LON pairs")
        points = [
            (_coordinate(values[i], -90, 90, "lat"), _coordinate(values[i + 1], -180, 180, "lon"))
            for i in range(0, len(values), 2)
        ]
        if options["file"]:
            try:
                with options["file"].open(encoding="utf-8", newline="") as handle:
                    reader = csv.DictReader(handle)
                    if not reader.fieldnames or not {"lat", "lon"} <= {f.strip() for f in reader.fieldnames}:
                        raise CommandError("the CSV needs a header row lat,lon")
                    for row in reader:
                        row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
                        points.append(
                            (_coordinate(row["lat"], -90, 90, "lat"), _coordinate(row["lon"], -180, 180, "lon"))
                        )
            except OSError as exc:
                raise CommandError(f"cannot read {options['file']}: {exc}") from exc
        if not points:
            raise CommandError("give LAT LON or --file CSV")
        for start in range(0, len(points), 1000):
            chunk = points[start : start + 1000]
            for (lat, lon), decision in zip(chunk, route_points([(lon, lat) for lat, lon in chunk]), strict=True):
                body = decision.as_dict(lat=lat, lon=lon)
                body.pop("method")
                self.stdout.write(json.dumps(body, ensure_ascii=False))
