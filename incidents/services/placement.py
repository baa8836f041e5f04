"""Where a case is and which mission has it, in public steps: locate, place (locate + route), record.

`incident_place` decides a `Placement` outside any transaction; `placement_record` is the one
writer of a placement onto a case (intake, re-geocoding and pin corrections all call it);
`incident_reassign` is the one act that gives a case to a mission by hand (page and API).
"""

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import DatabaseError, transaction

from incidents.alerts.services import alert_for_reassignment
from incidents.exceptions import IncidentInvalid
from incidents.models import EventKind, GeocodeStatus, Incident
from incidents.timeline import timeline_append
from missions.models import Mission, RoutingMethod
from missions.routing import RoutingDecision, route
from safety.auth.users import User
from safety.geo.chain import geocode
from safety.geo.models import Country

logger = logging.getLogger("incidents.intake")


# geocode_source values that are not provider names (the state itself is `geocode_status`). A case
# whose geocoding failed is `pending`: the `incidents.regeocode` task (and its sweeper) retry it.
GEOCODE_PENDING = "pending"
GEOCODE_SOURCE_PIN = "pin"
GEOCODE_SOURCE_MANUAL = "manual"
# routing_reason of a mission chosen by hand starts with this (for people; code reads routing_method).
MANUAL_REASON_PREFIX = "manual: "
REASSIGN_REASON_MAX = 300 - len(MANUAL_REASON_PREFIX)


@dataclass(frozen=True)
class IntakeLocation:
    """Where intake placed a case: the point (pin or geocoded), confidence, source, and whether to retry."""

    point: Point | None
    confidence: float | None
    source: str
    status: GeocodeStatus
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
        return IntakeLocation(location, 1.0, GEOCODE_SOURCE_PIN, GeocodeStatus.PIN)
    if not location_text.strip():
        return IntakeLocation(None, None, "", GeocodeStatus.NONE, country_iso2=country_iso2)
    try:
        with transaction.atomic():
            found = geocode(location_text, country_hint=country_iso2)
    except DatabaseError as exc:
        logger.warning("offline geocoder failed for a new case (%s); it will be geocoded again later", exc)
        return IntakeLocation(
            None, None, GEOCODE_PENDING, GeocodeStatus.PENDING, country_iso2=country_iso2, pending=True
        )
    result = found.result
    if not result.found or result.lat is None or result.lon is None:
        if found.provider_failed:
            return IntakeLocation(
                None, None, GEOCODE_PENDING, GeocodeStatus.PENDING, country_iso2=country_iso2, pending=True
            )
        return IntakeLocation(None, None, result.source, GeocodeStatus.NOT_FOUND, country_iso2=country_iso2)
    if country_iso2 and result.country and result.country != country_iso2:
        return IntakeLocation(
            None,
            None,
            result.source,
            GeocodeStatus.NOT_FOUND,
            result.display_name,
            country_iso2,
            elsewhere=result.country,
        )
    return IntakeLocation(
        Point(x=result.lon, y=result.lat, srid=4326),
        result.confidence,
        result.source,
        GeocodeStatus.GEOCODED,
        result.display_name,
        result.country,
    )


def located_message(placed: IntakeLocation) -> str:
    """The timeline text of a geocoding result."""
    if placed.pending:
        return "geocoder unavailable; the case will be geocoded again"
    if placed.elsewhere:
        return f"found only outside the country given ({placed.display_name}, {placed.elsewhere}); not used"
    if placed.point is None:
        return "place not found; routed without a point"
    return f"{placed.display_name} ({placed.source}, confidence {placed.confidence:.2f})"


def located_data(placed: IntakeLocation) -> dict[str, Any]:
    """The timeline data of a geocoding result."""
    return {
        "source": placed.source,
        "confidence": placed.confidence,
        "lat": placed.point.y if placed.point else None,
        "lon": placed.point.x if placed.point else None,
        "display_name": placed.display_name,
        "pending": placed.pending,
    }


@dataclass(frozen=True)
class Placement:
    """Where a case is (`located`) and which mission that gives (`decision`)."""

    located: IntakeLocation
    decision: RoutingDecision


def incident_place(*, location_text: str, location: Point | None, country_iso2: str | None) -> Placement:
    """Locate a case (`incident_locate`) and route the result; reads only, outside any transaction."""
    located = incident_locate(location_text=location_text, location=location, country_iso2=country_iso2)
    return Placement(located, route(point=located.point, country_iso2=country_iso2))


def _routed_append(incident: Incident, decision: RoutingDecision, *, actor: User | None) -> None:
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


def placement_record(
    *,
    incident: Incident,
    placement: Placement,
    actor: User | None,
    located_event: tuple[str, dict[str, Any]] | None,
    first: bool = False,
) -> None:
    """Write a placement onto a case in the caller's transaction (the case is new, or locked by the caller).

    Sets the point, confidence, source and status; appends `located_event` (message, data) when
    given; then the routing. The first placement of a new case (`first`, the case already saved)
    always appends `routed`; a later one keeps a mission chosen by hand (`routing_method`
    manual), routes only when there is a point, and when the mission changes appends `routed`
    and alerts the new mission (`alert_for_reassignment`). The caller saves the case.
    """
    located, decision = placement.located, placement.decision
    incident.location = located.point
    incident.geocode_confidence = located.confidence
    incident.geocode_source = located.source
    incident.geocode_status = located.status
    if located_event is not None:
        message, data = located_event
        timeline_append(incident=incident, kind=EventKind.LOCATED, actor=actor, message=message, data=data)
    if first:
        _routing_set(incident, decision)
        if decision.country_iso2 and incident.country is None:
            incident.country = Country.objects.filter(iso2=decision.country_iso2).first()
        if decision.admin1_code and not incident.admin1_code:
            incident.admin1_code = decision.admin1_code
        _routed_append(incident, decision, actor=actor)
        return
    if located.point is None:
        return
    if decision.country_iso2:
        incident.country = Country.objects.filter(iso2=decision.country_iso2).first()
    incident.admin1_code = decision.admin1_code
    if incident.routing_method == RoutingMethod.MANUAL:
        return
    changed = decision.mission != incident.responsible_mission
    _routing_set(incident, decision)
    if changed:
        _routed_append(incident, decision, actor=actor)
        alert_for_reassignment(incident=incident, reason=f"routed again: {decision.reason}")


def _routing_set(incident: Incident, decision: RoutingDecision) -> None:
    incident.responsible_mission = decision.mission
    incident.routing_reason = decision.reason[:300]
    incident.routing_method = decision.method


@transaction.atomic
def incident_location_correct(*, incident: Incident, actor: User, location: Point) -> Incident:
    """Set the pin an operator gave (confidence 1, status manual) and route again, on the timeline.

    A mission chosen by hand (`incident_reassign`) stays; otherwise the case moves to the
    mission of the new point, with a `routed` event.
    """
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    old = incident.location
    located = IntakeLocation(location, 1.0, GEOCODE_SOURCE_MANUAL, GeocodeStatus.MANUAL)
    decision = route(point=location, country_iso2=incident.country.iso2 if incident.country else None)
    placement_record(
        incident=incident,
        placement=Placement(located, decision),
        actor=actor,
        located_event=(
            f"pin corrected to {location.y:.5f}, {location.x:.5f}",
            {
                "source": GEOCODE_SOURCE_MANUAL,
                "from": [old.y, old.x] if old else None,
                "to": [location.y, location.x],
            },
        ),
    )
    incident.needs_review = incident.responsible_mission is None
    incident.full_clean(exclude=["created_by", "country", "responsible_mission"])
    incident.save()
    return incident


def reassign_reason_clean(reason: str) -> str:
    """The reason of a reassignment, stripped; `IncidentInvalid` (field `reason`) when empty or too long."""
    reason = reason.strip()
    if not reason:
        raise IncidentInvalid("Say why the case is given to another mission.", fields={"reason": ["required"]})
    if len(reason) > REASSIGN_REASON_MAX:
        raise IncidentInvalid(
            "The reason is too long.", fields={"reason": [f"at most {REASSIGN_REASON_MAX} characters"]}
        )
    return reason


@transaction.atomic
def incident_reassign(*, incident: Incident, actor: User, mission: Mission, reason: str) -> Incident:
    """Give the case to another mission by hand, with a reason: the transfer (page) and override (API).

    Locks the case row; an inactive mission or the mission that already has it is refused
    (`IncidentInvalid`, field `mission`). Sets `routing_method` manual (later pin corrections
    and re-geocoding keep this mission), alerts the new mission (outbox row in this
    transaction; earlier unacknowledged alerts of the case stop escalating), and appends one
    `transferred` event. Returns the changed Incident.
    """
    reason = reassign_reason_clean(reason)
    if not mission.is_active:
        raise IncidentInvalid("That mission is not active.", fields={"mission": [f"{mission.code} is not active"]})
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    previous = incident.responsible_mission
    if previous is not None and previous.pk == mission.pk:
        raise IncidentInvalid("The case is already with that mission.", fields={"mission": ["unchanged"]})
    incident.responsible_mission = mission
    incident.routing_reason = f"{MANUAL_REASON_PREFIX}{reason}"
    incident.routing_method = RoutingMethod.MANUAL
    incident.needs_review = False
    incident.save(
        update_fields=["responsible_mission", "routing_reason", "routing_method", "needs_review", "updated_at"]
    )
    alert_for_reassignment(incident=incident, reason=f"transferred: {reason}")
    timeline_append(
        incident=incident,
        kind=EventKind.TRANSFERRED,
        actor=actor,
        message=f"{previous.code if previous else '—'} → {mission.code}: {reason}",
        data={"from": previous.code if previous else None, "to": mission.code, "reason": reason},
    )
    return incident
