"""Writes of incidents: logging a case, changing it, adding persons and callers.

Every function runs in one transaction and appends timeline events for what it changed.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.gis.geos import Point
from django.db import connection, transaction
from django.utils import timezone

from incidents.alerts.models import Alert, AlertLevel
from incidents.alerts.services import alert_create, alert_for_routing
from incidents.exceptions import IncidentInvalid
from incidents.models import (
    AffectedPerson,
    Caller,
    Category,
    Channel,
    EventKind,
    Incident,
    PersonStatus,
    Severity,
    Status,
    TimelineEvent,
)
from missions.models import Mission
from missions.routing import RoutingDecision, route
from safety.geo.models import Country


@dataclass(frozen=True)
class PersonInput:
    name: str
    date_of_birth: date | None = None
    nationality: str = "KR"
    passport_number: str = ""
    contact: str = ""
    status: str = PersonStatus.UNKNOWN


@dataclass(frozen=True)
class CallerInput:
    name: str
    phone: str
    relation: str = ""


@dataclass(frozen=True)
class IncidentChanges:
    """Fields an update may change; None means unchanged."""

    values: dict[str, Any] = field(default_factory=dict)


def _next_reference() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('incidents_reference_seq')")
        (number,) = cursor.fetchone()
    year = timezone.localtime().year
    return f"OSC-{year}-{number:06d}"


def timeline_append(
    *,
    incident: Incident,
    kind: EventKind,
    actor: AbstractBaseUser | None,
    message: str = "",
    data: dict[str, Any] | None = None,
) -> TimelineEvent:
    """Append one event to a case's timeline (in the caller's transaction)."""
    return TimelineEvent.objects.create(
        incident=incident, kind=kind, actor=actor, message=message[:500], data=data or {}
    )


def _apply_routing(incident: Incident, decision: RoutingDecision) -> None:
    incident.responsible_mission = decision.mission
    incident.routing_reason = decision.reason[:300]
    if decision.country_iso2 and incident.country is None:
        incident.country = Country.objects.filter(iso2=decision.country_iso2).first()
    if decision.admin1_code and not incident.admin1_code:
        incident.admin1_code = decision.admin1_code
    if decision.mission is None:
        incident.needs_review = True


@transaction.atomic
def incident_log(
    *,
    reported_by: AbstractBaseUser,
    category: Category | str,
    severity: Severity | int,
    occurred_at: datetime,
    summary: str,
    location_text: str = "",
    location: Point | None = None,
    country_iso2: str | None = None,
    description: str = "",
    channel: Channel | str = Channel.PHONE,
    persons: list[PersonInput] | None = None,
    callers: list[CallerInput] | None = None,
) -> Incident:
    """Create a case with its persons and callers, route it, and record it on the timeline."""
    if timezone.is_naive(occurred_at):
        raise IncidentInvalid("occurred_at must carry a time zone.", fields={"occurred_at": ["naive date-time"]})
    country = None
    if country_iso2:
        country = Country.objects.filter(iso2=country_iso2).first()
        if country is None:
            raise IncidentInvalid("Unknown country.", fields={"country": [f"unknown country code {country_iso2!r}"]})
    incident = Incident(
        reference=_next_reference(),
        category=category,
        severity=int(severity),
        occurred_at=occurred_at,
        summary=summary,
        location_text=location_text,
        location=location,
        country=country,
        description=description,
        channel=channel,
        created_by=reported_by,
    )
    decision = route(point=location, country_iso2=country_iso2)
    _apply_routing(incident, decision)
    incident.full_clean(exclude=["created_by", "country", "responsible_mission"])
    incident.save()
    timeline_append(
        incident=incident,
        kind=EventKind.CREATED,
        actor=reported_by,
        message=f"{incident.get_category_display()} · severity {incident.severity}",
        data={"channel": incident.channel},
    )
    timeline_append(
        incident=incident,
        kind=EventKind.ROUTED,
        actor=None,
        message=decision.reason,
        data={
            "mission": decision.mission.code if decision.mission else None,
            "method": decision.method,
            "country": decision.country_iso2,
            "admin1": decision.admin1_code,
        },
    )
    # The alert outbox row commits with the routing decision (or not at all).
    alert_for_routing(incident=incident)
    for person in persons or []:
        person_add(incident=incident, actor=reported_by, person=person)
    for caller in callers or []:
        caller_add(incident=incident, actor=reported_by, caller=caller)
    return incident


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
def incident_update(*, incident: Incident, actor: AbstractBaseUser, changes: dict[str, Any]) -> Incident:
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


@transaction.atomic
def person_add(*, incident: Incident, actor: AbstractBaseUser, person: PersonInput) -> AffectedPerson:
    row = AffectedPerson(
        incident=incident,
        name=person.name,
        date_of_birth=person.date_of_birth,
        nationality=person.nationality,
        passport_number=person.passport_number,
        contact=person.contact,
        status=person.status,
    )
    row.full_clean(exclude=["incident"])
    row.save()
    timeline_append(
        incident=incident,
        kind=EventKind.PERSON_ADDED,
        actor=actor,
        message=f"person #{row.pk} added ({row.status})",
        data={"person": row.pk, "status": row.status},
    )
    return row


@transaction.atomic
def caller_add(*, incident: Incident, actor: AbstractBaseUser, caller: CallerInput) -> Caller:
    row = Caller(incident=incident, name=caller.name, phone=caller.phone, relation=caller.relation)
    row.full_clean(exclude=["incident"])
    row.save()
    timeline_append(
        incident=incident,
        kind=EventKind.CALLER_ADDED,
        actor=actor,
        message=f"caller #{row.pk} added",
        data={"caller": row.pk},
    )
    return row


NOTE_MAX = 500
TRANSFER_REASON_MAX = 250


@transaction.atomic
def note_add(*, incident: Incident, actor: AbstractBaseUser, text: str) -> TimelineEvent:
    """Append a note to the case's timeline (notes are timeline events: never changed, never deleted)."""
    text = text.strip()
    if not text:
        raise IncidentInvalid("A note cannot be empty.", fields={"text": ["empty"]})
    if len(text) > NOTE_MAX:
        raise IncidentInvalid("The note is too long.", fields={"text": [f"at most {NOTE_MAX} characters"]})
    return timeline_append(incident=incident, kind=EventKind.NOTE, actor=actor, message=text)


@transaction.atomic
def person_status_change(
    *, person: AffectedPerson, actor: AbstractBaseUser, status: PersonStatus | str, note: str = ""
) -> AffectedPerson:
    """Set an affected person's status; the change (from, to, note) goes on the case's timeline.

    The person's status history is the sequence of those events (selectors.person_history).
    """
    if status not in PersonStatus.values:
        raise IncidentInvalid("Unknown status.", fields={"status": [f"unknown status {status!r}"]})
    if len(note) > NOTE_MAX:
        raise IncidentInvalid("The note is too long.", fields={"note": [f"at most {NOTE_MAX} characters"]})
    person = AffectedPerson.objects.select_for_update().get(pk=person.pk)
    old = person.status
    if old == status:
        return person
    person.status = status
    person.save(update_fields=["status", "updated_at"])
    timeline_append(
        incident=person.incident,
        kind=EventKind.PERSON_UPDATED,
        actor=actor,
        message=f"person #{person.pk}: {old} → {status}" + (f" ({note.strip()})" if note.strip() else ""),
        data={"person": person.pk, "field": "status", "from": old, "to": str(status), "note": note.strip()},
    )
    return person


@transaction.atomic
def incident_transfer(*, incident: Incident, actor: AbstractBaseUser, mission: Mission, reason: str) -> Incident:
    """Hand the case to another mission, with a reason; recorded as a manual routing decision.

    Locks the case row; transferring to the mission that already has it is refused. The new
    mission is alerted (outbox row in this transaction); earlier unacknowledged alerts of the
    case stop escalating.
    """
    reason = reason.strip()
    if not reason:
        raise IncidentInvalid("Say why the case is transferred.", fields={"reason": ["empty"]})
    if len(reason) > TRANSFER_REASON_MAX:
        raise IncidentInvalid(
            "The reason is too long.", fields={"reason": [f"at most {TRANSFER_REASON_MAX} characters"]}
        )
    if not mission.is_active:
        raise IncidentInvalid("That mission is not active.", fields={"mission": ["inactive mission"]})
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    previous = incident.responsible_mission
    if previous is not None and previous.pk == mission.pk:
        raise IncidentInvalid("The case is already with that mission.", fields={"mission": ["same mission"]})
    incident.responsible_mission = mission
    incident.routing_reason = f"manual: transferred to {mission.code} — {reason}"[:300]
    incident.needs_review = False
    incident.save(update_fields=["responsible_mission", "routing_reason", "needs_review", "updated_at"])
    # The new mission gets its own alert (and deadline); the superseded ones stop escalating.
    Alert.objects.filter(incident=incident, acknowledged_at__isnull=True).exclude(mission=mission).update(
        escalation_token=""
    )
    alert_create(incident=incident, mission=mission, level=AlertLevel.MISSION, reason=f"transferred: {reason}")
    timeline_append(
        incident=incident,
        kind=EventKind.TRANSFERRED,
        actor=actor,
        message=f"{previous.code if previous else '—'} → {mission.code}: {reason}",
        data={"from": previous.code if previous else None, "to": mission.code, "reason": reason},
    )
    return incident
