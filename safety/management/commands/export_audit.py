"""Export the audit log to CSV or JSON lines; the export itself is written to the audit log."""

import getpass
import sys
from datetime import UTC, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime

from safety.models import AuditAction
from safety.privacy.audit import audit_entries, audit_export_write, audit_record


def _moment(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    day = parse_date(value) if len(value) == 10 else None
    if day is not None:  # a bare date is midnight UTC
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    parsed = parse_datetime(value)
    if parsed is None:
        raise CommandError(f"{option}: give a date (2026-11-01) or an ISO date-time with offset")
    if parsed.tzinfo is None:
        raise CommandError(f"{option}: give the time zone offset (e.g. 2026-11-01T09:00:00+09:00)")
    return parsed


class Command(BaseCommand):
    help = "Export audit entries in [--from, --to), optionally of one --user and/or one --case."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="at_from", help="start (inclusive): date or ISO date-time")
        parser.add_argument("--to", dest="at_to", help="end (exclusive): date or ISO date-time")
        parser.add_argument("--user", help="username of the actor")
        parser.add_argument("--case", help="case reference (OSC-YYYY-NNNNNN)")
        parser.add_argument("--format", choices=["csv", "jsonl"], default="jsonl")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        at_from = _moment(options["at_from"], "--from")
        at_to = _moment(options["at_to"], "--to")
        filters = {
            "from": at_from.isoformat() if at_from else None,
            "to": at_to.isoformat() if at_to else None,
            "user": options["user"],
            "case": options["case"],
            "format": options["format"],
        }
        with transaction.atomic():
            entries = audit_entries(
                at_from=at_from, at_to=at_to, username=options["user"], case_ref=options["case"]
            ).iterator(chunk_size=2000)
            if options["output"]:
                with open(options["output"], "w", encoding="utf-8", newline="") as out:
                    count = audit_export_write(entries=entries, out=out, fmt=options["format"])
            else:
                count = audit_export_write(entries=entries, out=sys.stdout, fmt=options["format"])
            audit_record(
                actor=None,
                action=AuditAction.EXPORT,
                object_type="audit_log",
                object_ref=options["case"] or options["user"] or "all",
                case_ref=options["case"] or "",
                detail={**filters, "rows": count, "os_user": getpass.getuser(), "output": options["output"]},
            )
        self.stderr.write(f"exported {count} audit entries")
