"""Where a case is and which mission has it: geocoding at intake, pin corrections, manual overrides."""

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import DatabaseError, transaction

from incidents.alerts.services import alert_for_reassignment
from incidents.exceptions import IncidentInvalid
from incidents.models import (
    EventKind,
    Incident,
)
from incidents.timeline import timeline_append
from missions.models import Mission
from missions.routing import RoutingDecision, route
from safety.auth.users import User
from safety.geo.chain import geocode
from safety.geo.models import Country

logger = logging.getLogger("incidents.intake")


# geocode_source of a case whose text could not be geocoded because a geocoder failed; the
# `incidents.regeocode` task (and its sweeper) geocode it again later.
GEOCODE_PENDING = "pending"
GEOCODE_SOURCE_PIN = "pin"
GEOCODE_SOURCE_MANUAL = "manual"
MANUAL_REASON_PREFIX = "manual: "


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
        alert_for_reassignment(incident=incident, reason=f"routed again: {decision.reason}")


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
    alert_for_reassignment(incident=incident, reason=f"mission overridden: {reason}")
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
