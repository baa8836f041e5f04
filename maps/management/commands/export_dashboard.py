"""Write the dashboard as one self-contained HTML file (and optionally CSV/GeoJSON of the aggregates)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from maps.dashboard import dashboard_build
from maps.exports import aggregates_csv, geojson_text
from maps.filters import PERIOD_PRESETS, FilterInvalid, filter_parse


class Command(BaseCommand):
    help = "Export the plenary dashboard to one HTML file that opens with no server and no network."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--out", required=True, help="HTML file to write")
        parser.add_argument("--from", dest="from", help="first day (YYYY-MM-DD)")
        parser.add_argument("--to", help="last day, inclusive (YYYY-MM-DD)")
        parser.add_argument("--period", choices=sorted(PERIOD_PRESETS), help="period preset (default 12m)")
        parser.add_argument("--category")
        parser.add_argument("--severity")
        parser.add_argument("--region")
        parser.add_argument("--country")
        parser.add_argument("--mission")
        parser.add_argument("--csv", help="also write the aggregates as CSV to this file")
        parser.add_argument("--geojson", help="also write the aggregated points as GeoJSON to this file")

    def handle(self, *args: Any, **options: Any) -> None:
        params = {
            k: options[k] for k in ("from", "to", "period", "category", "severity", "region", "country", "mission")
        }
        try:
            f = filter_parse({k: v for k, v in params.items() if v})
        except FilterInvalid as exc:
            raise CommandError(f"{exc.message} {exc.fields}") from exc
        built = dashboard_build(f=f, export=True)
        out = Path(options["out"])
        out.write_text(built.html, encoding="utf-8")
        if options["csv"]:
            Path(options["csv"]).write_text(aggregates_csv(built.aggregates), encoding="utf-8")
        if options["geojson"]:
            Path(options["geojson"]).write_text(geojson_text(built.aggregates), encoding="utf-8")
        size_kb = out.stat().st_size / 1024
        self.stdout.write(
            f"wrote {out} ({size_kb:,.0f} KB, {built.aggregates.total:,} cases, {f.describe()}) "
            f"in {built.timings_s['total']:.2f} s"
        )
