"""Writing, reading and exporting the audit log (append-only: a trigger refuses UPDATE and DELETE)."""

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import IO, Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from safety.auth.users import AnyUser
from safety.models import AuditAction, AuditEntry


def client_addr(request: HttpRequest | None) -> str | None:
    """The client address: REMOTE_ADDR, or behind OSC_TRUSTED_PROXY_COUNT proxies the address they saw.

    Each trusted proxy appends the address it received from to X-Forwarded-For, so the client is the
    Nth entry from the right; entries further left are client-supplied and not trusted.
    """
    if request is None:
        return None
    hops = getattr(settings, "OSC_TRUSTED_PROXY_COUNT", 0)
    if hops > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor: AnyUser | None,
    action: AuditAction,
    object_type: str,
    object_ref: str,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
    case_ref: str = "",
) -> AuditEntry:
    """Append one audit entry (in the caller's transaction, if any).

    `case_ref` is the reference of the case the entry concerns (for the per-case view); it
    defaults to `object_ref` when the object is an incident.
    """
    if not case_ref and object_type == "incident":
        case_ref = object_ref
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=object_type,
        object_ref=object_ref[:64],
        case_ref=case_ref[:20],
        remote_addr=client_addr(request),
        detail=detail or {},
    )


def audit_entries(
    *,
    at_from: datetime | None = None,
    at_to: datetime | None = None,
    username: str | None = None,
    case_ref: str | None = None,
) -> QuerySet[AuditEntry]:
    """Entries in [at_from, at_to), of one user and/or one case, oldest first."""
    entries = AuditEntry.objects.select_related("actor").order_by("at", "id")
    if at_from is not None:
        entries = entries.filter(at__gte=at_from)
    if at_to is not None:
        entries = entries.filter(at__lt=at_to)
    if username:
        entries = entries.filter(actor__username=username)
    if case_ref:
        entries = entries.filter(Q(case_ref=case_ref) | Q(object_type="incident", object_ref=case_ref))
    return entries


EXPORT_COLUMNS = ("id", "at", "actor", "action", "object_type", "object_ref", "case_ref", "remote_addr", "detail")


def _row(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "at": entry.at.isoformat(),
        "actor": entry.actor.get_username() if entry.actor else None,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_ref": entry.object_ref,
        "case_ref": entry.case_ref,
        "remote_addr": entry.remote_addr,
        "detail": entry.detail,
    }


def _csv_safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas (CSV injection): a cell starting with = + - @ gets a leading quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def audit_export_write(*, entries: Iterable[AuditEntry], out: IO[str], fmt: str) -> int:
    """Write entries as CSV or JSON lines; returns how many were written."""
    count = 0
    rows: Iterator[dict[str, Any]] = (_row(entry) for entry in entries)
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS)
        writer.writeheader()
        for row in rows:
            row["detail"] = json.dumps(row["detail"], ensure_ascii=False, sort_keys=True)
            writer.writerow({key: _csv_safe(value) for key, value in row.items()})
            count += 1
    elif fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    return count
