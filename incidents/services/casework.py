"""Working a case: field changes and notes (giving it to another mission is `placement.incident_reassign`)."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from incidents.exceptions import IncidentInvalid
from incidents.models import (
    EventKind,
    Incident,
    Status,
    TimelineEvent,
)
from incidents.timeline import timeline_append
from safety.auth.users import User

UPDATABLE_FIELDS = (
    "category",
    "severity",
    "status",
    "summary",
    "description",
    "location_text",
    "occurred_at",
    "channel",
)


@transaction.atomic
def incident_update(*, incident: Incident, actor: User, changes: dict[str, Any]) -> Incident:
    """Change the given fields; one timeline event per changed field (status has its own kind)."""
    unknown = set(changes) - set(UPDATABLE_FIELDS)
    if unknown:
        raise IncidentInvalid(
            "These fields cannot be changed.",
            fields={name: ["read-only"] for name in sorted(unknown)},
        )
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    changed: list[tuple[str, Any, Any]] = []
    for name, value in changes.items():
        old = getattr(incident, name)
        if old != value:
            setattr(incident, name, value)
            changed.append((name, old, value))
    if not changed:
        return incident
    if any(name == "status" for name, _, _ in changed):
        incident.closed_at = timezone.now() if incident.status == Status.CLOSED else None
    incident.full_clean(exclude=["created_by", "country", "responsible_mission"])
    incident.save()
    for name, old, new in changed:
        if name == "status":
            timeline_append(
                incident=incident,
                kind=EventKind.STATUS_CHANGED,
                actor=actor,
                message=f"{old} → {new}",
                data={"from": old, "to": new},
            )
        elif name in ("description", "summary"):
            timeline_append(
                incident=incident,
                kind=EventKind.UPDATED,
                actor=actor,
                message=f"{name} changed",
                data={"field": name},
            )
        else:
            timeline_append(
                incident=incident,
                kind=EventKind.UPDATED,
                actor=actor,
                message=f"{name} changed",
                data={"field": name, "from": _plain(old), "to": _plain(new)},
            )
    return incident


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


NOTE_MAX = 500


@transaction.atomic
def note_add(*, incident: Incident, actor: User, text: str) -> TimelineEvent:
    """Append a note to the case's timeline (notes are timeline events: never changed, never deleted)."""
    text = text.strip()
    if not text:
        raise IncidentInvalid("A note cannot be empty.", fields={"text": ["empty"]})
    if len(text) > NOTE_MAX:
        raise IncidentInvalid("The note is too long.", fields={"text": [f"at most {NOTE_MAX} characters"]})
    return timeline_append(incident=incident, kind=EventKind.NOTE, actor=actor, message=text)
