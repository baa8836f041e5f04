"""Geocode place descriptions: one JSON object per line per query, in input order."""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safety.geo.chain import geocode


class Command(BaseCommand):
    help = "Geocode queries (arguments or --file, one per line) through the configured chain; prints JSON lines."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("queries", nargs="*", metavar="QUERY")
        parser.add_argument("--file", type=Path, help="UTF-8 text file, one query per line")
        parser.add_argument("--json", action="store_true", help="JSON lines (the default and only format)")
        parser.add_argument("--country", help="ISO2 country hint for every query")

    def handle(self, *args: Any, **options: Any) -> None:
        queries: list[str] = list(options["queries"])
        if options["file"]:
            try:
                lines = options["file"].read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"cannot read {options['file']}: {exc}") from exc
            queries += [line.rstrip("\r") for line in lines if line.strip()]
        if not queries:
            raise CommandError("give QUERY arguments or --file PATH")
        for query in queries:
            result = geocode(query, country_hint=options.get("country")).result
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
        sys.stdout.flush()
