"""Timeline events: the one writer of a case's history, below the case services and the alerts."""

from typing import Any

from incidents.models import EventKind, Incident, TimelineEvent
from safety.auth.users import User


def timeline_append(
    *,
    incident: Incident,
    kind: EventKind,
    actor: User | None,
    message: str = "",
    data: dict[str, Any] | None = None,
) -> TimelineEvent:
    """Append one event to a case's timeline (in the caller's transaction)."""
    return TimelineEvent.objects.create(
        incident=incident, kind=kind, actor=actor, message=message[:500], data=data or {}
    )
