"""Writes of incidents: logging a case, changing it, adding persons and callers.

Every function runs in one transaction and appends timeline events for what it changed.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from incidents.alerts.models import Alert, AlertLevel
from incidents.alerts.services import alert_create, alert_for_routing
from incidents.exceptions import GeocoderStillFailing, IncidentInvalid
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
from safety.geo.chain import geocode
from safety.geo.models import Country
from safety.users import User

logger = logging.getLogger("incidents.intake")

# geocode_source of a case whose text could not be geocoded because a geocoder failed; the
# `incidents.regeocode` task (and its sweeper) geocode it again later.
GEOCODE_PENDING = "pending"
GEOCODE_SOURCE_PIN = "pin"
GEOCODE_SOURCE_MANUAL = "manual"
MANUAL_REASON_PREFIX = "manual: "


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
    actor: User | None,
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


@dataclass(frozen=True)
class IntakeLocation:
    """Where intake placed a case: the point (pin or geocoded), confidence, source, and whether to retry."""

    point: Point | None
    confidence: float | None
    source: str
    display_name: str = ""
    country_iso2: str | None = None
    pending: bool = False
    # The text was found only outside the country the operator gave: not used for routing.
    elsewhere: str | None = None

    @property
    def low_confidence(self) -> bool:
        return self.confidence is None or self.confidence < settings.GEOCODER_REVIEW_BELOW


def incident_locate(*, location_text: str, location: Point | None, country_iso2: str | None) -> IntakeLocation:
    """Place a case: a pin wins; else the text through the geocoder chain (never raises for a geocoder failure).

    Runs outside any transaction (an online provider may take its timeout). A provider that is
    down, or a failing gazetteer query, gives `pending=True`: the case is saved and geocoded later.
    """
    if location is not None:
        return IntakeLocation(location, 1.0, GEOCODE_SOURCE_PIN)
    if not location_text.strip():
        return IntakeLocation(None, None, "", country_iso2=country_iso2)
    try:
        with transaction.atomic():
            found = geocode(location_text, country_hint=country_iso2)
    except DatabaseError as exc:
        logger.warning("offline geocoder failed for a new case (%s); it will be geocoded again later", exc)
        return IntakeLocation(None, None, GEOCODE_PENDING, country_iso2=country_iso2, pending=True)
    result = found.result
    if not result.found or result.lat is None or result.lon is None:
        pending = found.provider_failed
        return IntakeLocation(
            None, None, GEOCODE_PENDING if pending else result.source, country_iso2=country_iso2, pending=pending
        )
    if country_iso2 and result.country and result.country != country_iso2:
        return IntakeLocation(None, None, result.source, result.display_name, country_iso2, elsewhere=result.country)
    return IntakeLocation(
        Point(x=result.lon, y=result.lat, srid=4326),
        result.confidence,
        result.source,
        result.display_name,
        result.country,
    )


def incident_log(
    *,
    reported_by: User,
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
    """Geocode (no pin: the text), route, and create the case with its persons and callers, on the timeline.

    Geocoding runs before the transaction. Low confidence marks the case for review without
    blocking it; a geocoder failure saves it routed by the country given (else to the duty
    officer) and queues `incidents.regeocode` after commit (a periodic sweep re-queues what the
    broker never got).
    """
    if timezone.is_naive(occurred_at):
        raise IncidentInvalid("occurred_at must carry a time zone.", fields={"occurred_at": ["naive date-time"]})
    if country_iso2 and not Country.objects.filter(iso2=country_iso2).exists():
        raise IncidentInvalid("Unknown country.", fields={"country": [f"unknown country code {country_iso2!r}"]})
    placed = incident_locate(location_text=location_text, location=location, country_iso2=country_iso2)
    incident = _incident_create(
        reported_by=reported_by,
        category=category,
        severity=severity,
        occurred_at=occurred_at,
        summary=summary,
        location_text=location_text,
        placed=placed,
        country_iso2=country_iso2,
        description=description,
        channel=channel,
        persons=persons,
        callers=callers,
    )
    return incident


@transaction.atomic
def _incident_create(
    *,
    reported_by: User,
    category: Category | str,
    severity: Severity | int,
    occurred_at: datetime,
    summary: str,
    location_text: str,
    placed: IntakeLocation,
    country_iso2: str | None,
    description: str,
    channel: Channel | str,
    persons: list[PersonInput] | None,
    callers: list[CallerInput] | None,
) -> Incident:
    country = Country.objects.filter(iso2=country_iso2).first() if country_iso2 else None
    incident = Incident(
        reference=_next_reference(),
        category=category,
        severity=int(severity),
        occurred_at=occurred_at,
        summary=summary,
        location_text=location_text,
        location=placed.point,
        country=country,
        geocode_confidence=placed.confidence,
        geocode_source=placed.source,
        description=description,
        channel=channel,
        created_by=reported_by,
    )
    decision = route(point=placed.point, country_iso2=country_iso2)
    _apply_routing(incident, decision)
    if placed.source != GEOCODE_SOURCE_PIN and (placed.low_confidence or placed.pending):
        incident.needs_review = True
    incident.full_clean(exclude=["created_by", "country", "responsible_mission"])
    incident.save()
    timeline_append(
        incident=incident,
        kind=EventKind.CREATED,
        actor=reported_by,
        message=f"{incident.get_category_display()} · severity {incident.severity}",
        data={"channel": incident.channel},
    )
    if placed.source != GEOCODE_SOURCE_PIN and location_text.strip():
        timeline_append(
            incident=incident,
            kind=EventKind.LOCATED,
            actor=None,
            message=_located_message(placed),
            data=_located_data(placed),
        )
    _append_routed(incident, decision, actor=None)
    # The alert outbox row commits with the routing decision (or not at all).
    alert_for_routing(incident=incident)
    for person in persons or []:
        person_add(incident=incident, actor=reported_by, person=person)
    for caller in callers or []:
        caller_add(incident=incident, actor=reported_by, caller=caller)
    if placed.pending:
        incident_id = incident.pk
        transaction.on_commit(lambda: _regeocode_enqueue(incident_id))
    return incident


def _regeocode_enqueue(incident_id: int) -> None:
    from incidents.tasks import regeocode

    try:
        regeocode.delay(incident_id=incident_id)
    except KombuOperationalError as exc:  # broker down: the periodic sweep re-queues pending cases
        logger.warning("could not queue incidents.regeocode for incident %s (%s); the sweep will", incident_id, exc)


def _located_message(placed: IntakeLocation) -> str:
    if placed.pending:
        return "geocoder unavailable; the case will be geocoded again"
    if placed.elsewhere:
        return f"found only outside the country given ({placed.display_name}, {placed.elsewhere}); not used"
    if placed.point is None:
        return "place not found; routed without a point"
    return f"{placed.display_name} ({placed.source}, confidence {placed.confidence:.2f})"


def _located_data(placed: IntakeLocation) -> dict[str, Any]:
    return {
        "source": placed.source,
        "confidence": placed.confidence,
        "lat": placed.point.y if placed.point else None,
        "lon": placed.point.x if placed.point else None,
        "display_name": placed.display_name,
        "pending": placed.pending,
    }


def _append_routed(incident: Incident, decision: RoutingDecision, *, actor: User | None) -> None:
    timeline_append(
        incident=incident,
        kind=EventKind.ROUTED,
        actor=actor,
        message=decision.reason,
        data={
            "mission": decision.mission.code if decision.mission else None,
            "method": decision.method,
            "country": decision.country_iso2,
            "admin1": decision.admin1_code,
        },
    )


def _is_manual(incident: Incident) -> bool:
    return incident.routing_reason.startswith(MANUAL_REASON_PREFIX)


def _reroute(incident: Incident, *, actor: User | None) -> None:
    """Route again from the case's point (a manual mission override stays); timeline when the mission changes."""
    decision = route(point=incident.location, country_iso2=incident.country.iso2 if incident.country else None)
    if decision.country_iso2:
        incident.country = Country.objects.filter(iso2=decision.country_iso2).first()
    incident.admin1_code = decision.admin1_code
    if _is_manual(incident):
        return
    changed = decision.mission != incident.responsible_mission
    incident.responsible_mission = decision.mission
    incident.routing_reason = decision.reason[:300]
    if changed:
        _append_routed(incident, decision, actor=actor)


@transaction.atomic
def incident_location_correct(*, incident: Incident, actor: User, location: Point) -> Incident:
    """Set the pin an operator gave (confidence 1, source manual) and route again, on the timeline.

    A mission chosen by hand (`incident_mission_override`) stays; otherwise the case moves to the
    mission of the new point, with a `routed` event.
    """
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    old = incident.location
    incident.location = location
    incident.geocode_confidence = 1.0
    incident.geocode_source = GEOCODE_SOURCE_MANUAL
    timeline_append(
        incident=incident,
        kind=EventKind.LOCATED,
        actor=actor,
        message=f"pin corrected to {location.y:.5f}, {location.x:.5f}",
        data={
            "source": GEOCODE_SOURCE_MANUAL,
            "from": [old.y, old.x] if old else None,
            "to": [location.y, location.x],
        },
    )
    _reroute(incident, actor=actor)
    incident.needs_review = incident.responsible_mission is None
    incident.full_clean(exclude=["created_by", "country", "responsible_mission"])
    incident.save()
    return incident


MANUAL_REASON_MAX = 300 - len(MANUAL_REASON_PREFIX)


@transaction.atomic
def incident_mission_override(*, incident: Incident, actor: User, mission: Mission, reason: str) -> Incident:
    """Give the case to another mission by hand, with a reason; a `routed` event (method manual) records it.

    Later pin corrections and re-geocoding keep this mission. Returns the changed Incident.
    """
    reason = reason.strip()
    if not reason:
        raise IncidentInvalid("Say why the mission is overridden.", fields={"reason": ["required"]})
    if len(reason) > MANUAL_REASON_MAX:
        raise IncidentInvalid("The reason is too long.", fields={"reason": [f"at most {MANUAL_REASON_MAX} characters"]})
    if not mission.is_active:
        raise IncidentInvalid("That mission is not active.", fields={"mission": [f"{mission.code} is not active"]})
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.responsible_mission_id == mission.pk:
        raise IncidentInvalid("That mission is already responsible.", fields={"mission": ["unchanged"]})
    previous = incident.responsible_mission
    incident.responsible_mission = mission
    incident.routing_reason = f"{MANUAL_REASON_PREFIX}{reason}"
    incident.needs_review = False
    incident.save()
    timeline_append(
        incident=incident,
        kind=EventKind.ROUTED,
        actor=actor,
        message=f"mission overridden: {previous.code if previous else 'HQ duty officer'} → {mission.code}: {reason}",
        data={
            "mission": mission.code,
            "method": "manual",
            "from": previous.code if previous else None,
            "reason": reason,
        },
    )
    return incident


@transaction.atomic
def incident_regeocode(*, incident_id: int) -> Incident | None:
    """Geocode a case again whose geocoding failed at intake; idempotent.

    Locks the case; does nothing unless its geocode_source is still `pending` (a second run, or
    a run after an operator set the pin, exits). Raises `GeocoderStillFailing` when a provider
    still fails, so the task retries; a place that is simply not found ends the retry.
    """
    incident = Incident.objects.select_for_update().filter(pk=incident_id).first()
    if incident is None or incident.geocode_source != GEOCODE_PENDING:
        return None
    placed = incident_locate(
        location_text=incident.location_text,
        location=None,
        country_iso2=incident.country.iso2 if incident.country else None,
    )
    if placed.pending:
        raise GeocoderStillFailing(f"geocoder still failing for {incident.reference}")
    incident.location = placed.point
    incident.geocode_confidence = placed.confidence
    incident.geocode_source = placed.source
    timeline_append(
        incident=incident,
        kind=EventKind.LOCATED,
        actor=None,
        message=_located_message(placed),
        data=_located_data(placed),
    )
    if placed.point is not None:
        _reroute(incident, actor=None)
    incident.needs_review = placed.low_confidence or incident.responsible_mission is None
    incident.full_clean(exclude=["created_by", "country", "responsible_mission"])
    incident.save()
    return incident


def incidents_pending_geocode() -> list[int]:
    """Ids of the cases still waiting to be geocoded again (for the sweeper)."""
    return list(Incident.objects.filter(geocode_source=GEOCODE_PENDING).values_list("pk", flat=True)[:500])


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


@transaction.atomic
def person_add(*, incident: Incident, actor: User, person: PersonInput) -> AffectedPerson:
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
def caller_add(*, incident: Incident, actor: User, caller: CallerInput) -> Caller:
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
def note_add(*, incident: Incident, actor: User, text: str) -> TimelineEvent:
    """Append a note to the case's timeline (notes are timeline events: never changed, never deleted)."""
    text = text.strip()
    if not text:
        raise IncidentInvalid("A note cannot be empty.", fields={"text": ["empty"]})
    if len(text) > NOTE_MAX:
        raise IncidentInvalid("The note is too long.", fields={"text": [f"at most {NOTE_MAX} characters"]})
    return timeline_append(incident=incident, kind=EventKind.NOTE, actor=actor, message=text)


@transaction.atomic
def person_status_change(
    *, person: AffectedPerson, actor: User, status: PersonStatus | str, note: str = ""
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
def incident_transfer(*, incident: Incident, actor: User, mission: Mission, reason: str) -> Incident:
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
