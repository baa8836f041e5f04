"""Placement steps, the one reassignment act behind page and API, and the typed states with their migrations."""

import importlib

import pytest
from django.db import IntegrityError, transaction

from incidents.exceptions import IncidentInvalid
from incidents.models import GeocodeStatus, Incident, TimelineEvent
from incidents.services import REASSIGN_REASON_MAX, incident_place, incident_reassign
from missions.models import Mission, RoutingMethod
from tests.factories import log_incident

PATTAYA = {"lat": 12.9276, "lon": 100.8771}
states = importlib.import_module("incidents.migrations.0006_typed_geocode_status_and_routing_method")


@pytest.mark.django_db
def test_incident_place_locates_and_routes_a_pin():
    from django.contrib.gis.geos import Point

    placement = incident_place(location_text="", location=Point(x=100.8771, y=12.9276, srid=4326), country_iso2=None)
    assert placement.located.status == GeocodeStatus.PIN
    assert placement.decision.mission.code == "emb-th-bangkok"
    assert placement.decision.method == RoutingMethod.DISTRICT


@pytest.mark.django_db
def test_incident_log_stores_the_routing_method_and_geocode_status(operator):
    incident = log_incident(reported_by=operator, **PATTAYA)
    assert incident.geocode_status == GeocodeStatus.PIN and incident.routing_method == RoutingMethod.DISTRICT


@pytest.mark.django_db
def test_incident_reassign_refuses_a_too_long_reason_and_changes_nothing(operator):
    incident = log_incident(reported_by=operator, **PATTAYA)
    tokyo = Mission.objects.get(code="emb-jp-tokyo")
    with pytest.raises(IncidentInvalid) as refused:
        incident_reassign(incident=incident, actor=operator, mission=tokyo, reason="x" * (REASSIGN_REASON_MAX + 1))
    assert "reason" in refused.value.fields
    assert Incident.objects.get(pk=incident.pk).responsible_mission.code == "emb-th-bangkok"


@pytest.mark.django_db
def test_reassign_page_and_api_write_the_same_event(api, client, operator):
    by_api = log_incident(reported_by=operator, **PATTAYA)
    by_page = log_incident(reported_by=operator, **PATTAYA)
    body = {"mission": "emb-jp-tokyo", "reason": "flew to Tokyo"}
    assert api(operator).post(f"/api/incidents/{by_api.reference}/mission/", body, format="json").status_code == 200
    client.force_login(operator)
    assert client.post(f"/cases/{by_page.reference}/transfer/", body).status_code == 302
    for incident in (by_api, by_page):
        incident.refresh_from_db()
        assert incident.routing_method == RoutingMethod.MANUAL
        assert incident.routing_reason == "manual: flew to Tokyo"
        event = TimelineEvent.objects.filter(incident=incident, kind="transferred").get()
        assert event.data == {"from": "emb-th-bangkok", "to": "emb-jp-tokyo", "reason": "flew to Tokyo"}


@pytest.mark.django_db
def test_incident_constraints_refuse_unknown_states(operator):
    incident = log_incident(reported_by=operator, **PATTAYA)
    for field in ("geocode_status", "routing_method"):
        with pytest.raises(IntegrityError), transaction.atomic():
            Incident.objects.filter(pk=incident.pk).update(**{field: "provider-x"})


def test_geocode_status_of_maps_the_old_sources():
    assert states.geocode_status_of(source="pending", has_point=False) == "pending"
    assert states.geocode_status_of(source="pin", has_point=True) == "pin"
    assert states.geocode_status_of(source="manual", has_point=True) == "manual"
    assert states.geocode_status_of(source="seed_demo", has_point=True) == "demo"
    assert states.geocode_status_of(source="offline", has_point=True) == "geocoded"
    assert states.geocode_status_of(source="offline", has_point=False) == "not_found"
    assert states.geocode_status_of(source="", has_point=False) == "none"


def test_routing_method_of_maps_the_old_reasons():
    assert states.routing_method_of(reason="manual: moved", has_mission=True) == "manual"
    assert states.routing_method_of(reason="location unknown; HQ duty officer", has_mission=False) == "unroutable"
    assert states.routing_method_of(reason="inside: in district area 'LA' of cg-us-la", has_mission=True) == (
        "district_area"
    )
    assert (
        states.routing_method_of(
            reason="inside: LA has no resident mission; concurrent accreditation of emb-th-bangkok", has_mission=True
        )
        == "concurrent_accreditation"
    )
    assert (
        states.routing_method_of(
            reason="by the country given: TH is in the district of x (host country)", has_mission=True
        )
        == "country_given"
    )
    assert states.routing_method_of(reason="off every boundary, nearest country TH at 3 km: x", has_mission=True) == (
        "nearest_country"
    )
    assert states.routing_method_of(reason="inside: no district row for TH/*, embassy x", has_mission=True) == (
        "embassy_fallback"
    )
    assert states.routing_method_of(reason="inside: TH is in the district of x (host country)", has_mission=True) == (
        "district"
    )
