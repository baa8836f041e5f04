"""`manage.py person_match --file PAIRS.csv [--json]`: the inquiry matcher on a CSV of pairs."""

from __future__ import annotations

import csv
import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from incidents.crises.matching import Identity, match

HEADER = ["pair_id", "a_name", "a_dob", "a_passport", "b_name", "b_dob", "b_passport"]


def _dob(value: str, *, line: int, column: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise CommandError(f"line {line}: {column} is not an ISO date: {value!r}") from exc


class Command(BaseCommand):
    help = "Compare the pairs of a CSV (pair_id,a_name,a_dob,a_passport,b_name,b_dob,b_passport)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", required=True, help="CSV with the header " + ",".join(HEADER))
        parser.add_argument("--json", action="store_true", help="one JSON object per line (the default)")

    def handle(self, *args: Any, **options: Any) -> None:
        with open(options["file"], newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames is None or [f.strip() for f in reader.fieldnames] != HEADER:
                raise CommandError("the header must be " + ",".join(HEADER))
            for line, row in enumerate(reader, start=2):
                if not (row["a_name"] or "").strip() or not (row["b_name"] or "").strip():
                    raise CommandError(f"line {line}: a_name and b_name are required")
                a = Identity(
                    name=row["a_name"],
                    dob=_dob(row["a_dob"] or "", line=line, column="a_dob"),
                    passport=row["a_passport"] or "",
                )
                b = Identity(
                    name=row["b_name"],
                    dob=_dob(row["b_dob"] or "", line=line, column="b_dob"),
                    passport=row["b_passport"] or "",
                )
                result = match(a, b)
                self.stdout.write(
                    json.dumps(
                        {
                            "pair_id": row["pair_id"],
                            "score": result.score,
                            "verdict": result.verdict.value,
                            "reasons": [r.value for r in result.reasons],
                        },
                        ensure_ascii=False,
                    )
                )
