"""Logging a case: one transaction with its persons, callers, routing and alert; re-geocoding later."""

from datetime import datetime

from django.contrib.gis.geos import Point
from django.db import connection, transaction
from django.utils import timezone

from incidents.alerts.services import alert_for_routing
from incidents.dispatch import enqueue
from incidents.exceptions import GeocoderStillFailing, IncidentInvalid
from incidents.models import (
    Category,
    Channel,
    EventKind,
    GeocodeStatus,
    Incident,
    Severity,
)
from incidents.services.persons import CallerInput, PersonInput, caller_add, person_add
from incidents.services.placement import (
    Placement,
    incident_place,
    located_data,
    located_message,
    placement_record,
)
from incidents.timeline import timeline_append
from safety.auth.users import User
from safety.geo.models import Country

REGEOCODE_TASK = "incidents.regeocode"


def _next_reference() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('incidents_reference_seq')")
        (number,) = cursor.fetchone()
    year = timezone.localtime().year
    return f"OSC-{year}-{number:06d}"


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
    placement = incident_place(location_text=location_text, location=location, country_iso2=country_iso2)
    incident = _incident_create(
        reported_by=reported_by,
        category=category,
        severity=severity,
        occurred_at=occurred_at,
        summary=summary,
        location_text=location_text,
        placement=placement,
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
    placement: Placement,
    country_iso2: str | None,
    description: str,
    channel: Channel | str,
    persons: list[PersonInput] | None,
    callers: list[CallerInput] | None,
) -> Incident:
    placed = placement.located
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
        description=description,
        channel=channel,
        created_by=reported_by,
    )
    incident.full_clean(exclude=["created_by", "country", "responsible_mission"])
    incident.save()
    timeline_append(
        incident=incident,
        kind=EventKind.CREATED,
        actor=reported_by,
        message=f"{incident.get_category_display()} · severity {incident.severity}",
        data={"channel": incident.channel},
    )
    geocoded_text = placed.status != GeocodeStatus.PIN and location_text.strip()
    placement_record(
        incident=incident,
        placement=placement,
        actor=None,
        located_event=(located_message(placed), located_data(placed)) if geocoded_text else None,
        first=True,
    )
    incident.needs_review = incident.responsible_mission is None or (
        placed.status != GeocodeStatus.PIN and (placed.low_confidence or placed.pending)
    )
    incident.full_clean(exclude=["created_by", "country", "responsible_mission"])
    incident.save()
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
    """Queue `incidents.regeocode` by name; a broker outage is logged and left to the periodic sweep."""
    enqueue(REGEOCODE_TASK, incident_id=incident_id)


@transaction.atomic
def incident_regeocode(*, incident_id: int) -> Incident | None:
    """Geocode a case again whose geocoding failed at intake; idempotent.

    Locks the case; does nothing unless its geocode_status is still `pending` (a second run, or
    a run after an operator set the pin, exits). Raises `GeocoderStillFailing` when a provider
    still fails, so the task retries; a place that is simply not found ends the retry.
    """
    incident = Incident.objects.select_for_update().filter(pk=incident_id).first()
    if incident is None or incident.geocode_status != GeocodeStatus.PENDING:
        return None
    placement = incident_place(
        location_text=incident.location_text,
        location=None,
        country_iso2=incident.country.iso2 if incident.country else None,
    )
    placed = placement.located
    if placed.pending:
        raise GeocoderStillFailing(f"geocoder still failing for {incident.reference}")
    placement_record(
        incident=incident,
        placement=placement,
        actor=None,
        located_event=(located_message(placed), located_data(placed)),
    )
    incident.needs_review = placed.low_confidence or incident.responsible_mission is None
    incident.full_clean(exclude=["created_by", "country", "responsible_mission"])
    incident.save()
    return incident


def incidents_pending_geocode() -> list[int]:
    """Ids of the cases still waiting to be geocoded again (for the sweeper)."""
    return list(Incident.objects.filter(geocode_status=GeocodeStatus.PENDING).values_list("pk", flat=True)[:500])
