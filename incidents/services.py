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

from incidents.alerts.services import alert_for_routing
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
