"""A case that changes mission (override, pin correction, transfer) alerts the new mission; old alerts stop."""

import pytest
from django.contrib.gis.geos import Point

from incidents.alerts.models import Alert, AlertLevel
from incidents.services import incident_location_correct, incident_reassign
from missions.models import Mission
from tests.factories import log_incident

PATTAYA = {"lat": 12.9276, "lon": 100.8771}


def _alerts(incident):  # type: ignore[no-untyped-def]
    return {(a.mission.code if a.mission else None): a for a in Alert.objects.filter(incident=incident)}


@pytest.mark.django_db
def test_mission_override_alerts_the_new_mission_and_stops_the_old_escalation(operator):
    incident = log_incident(reported_by=operator, **PATTAYA)
    assert _alerts(incident)["emb-th-bangkok"].escalation_token
    vientiane = Mission.objects.get(code__startswith="emb-la-")
    incident_reassign(incident=incident, actor=operator, mission=vientiane, reason="caller is in Laos")
    alerts = _alerts(incident)
    assert set(alerts) == {"emb-th-bangkok", vientiane.code}
    assert alerts[vientiane.code].level == AlertLevel.MISSION and alerts[vientiane.code].escalation_token
    assert alerts["emb-th-bangkok"].escalation_token == ""
    assert alerts[vientiane.code].deliveries.filter(key="inbox").exists()


@pytest.mark.django_db
def test_pin_correction_to_another_country_alerts_the_new_mission(operator):
    incident = log_incident(reported_by=operator, **PATTAYA)
    incident_location_correct(incident=incident, actor=operator, location=Point(x=139.7005, y=35.6595, srid=4326))
    alerts = _alerts(incident)
    assert set(alerts) == {"emb-th-bangkok", "emb-jp-tokyo"}
    assert alerts["emb-th-bangkok"].escalation_token == ""


@pytest.mark.django_db
def test_pin_correction_within_the_district_opens_no_new_alert(operator):
    incident = log_incident(reported_by=operator, **PATTAYA)
    incident_location_correct(incident=incident, actor=operator, location=Point(x=100.50, y=13.75, srid=4326))
    alerts = _alerts(incident)
    assert set(alerts) == {"emb-th-bangkok"}
    assert alerts["emb-th-bangkok"].escalation_token


@pytest.mark.django_db
def test_case_at_sea_goes_to_hq_and_a_pin_on_land_alerts_the_mission(operator):
    incident = log_incident(reported_by=operator, lat=0.0, lon=-140.0, location_text="")
    assert set(_alerts(incident)) == {None}
    assert _alerts(incident)[None].level == AlertLevel.HQ
    incident_location_correct(incident=incident, actor=operator, location=Point(x=100.8771, y=12.9276, srid=4326))
    alerts = _alerts(incident)
    assert set(alerts) == {None, "emb-th-bangkok"}
    assert alerts["emb-th-bangkok"].level == AlertLevel.MISSION and alerts["emb-th-bangkok"].escalation_token


@pytest.mark.django_db
def test_transfer_back_keeps_one_alert_per_recipient(operator):
    incident = log_incident(reported_by=operator, **PATTAYA)
    tokyo = Mission.objects.get(code="emb-jp-tokyo")
    bangkok = Mission.objects.get(code="emb-th-bangkok")
    incident_reassign(incident=incident, actor=operator, mission=tokyo, reason="the person flew to Tokyo")
    incident_reassign(incident=incident, actor=operator, mission=bangkok, reason="back in Thailand")
    assert Alert.objects.filter(incident=incident).count() == 2
    assert _alerts(incident)["emb-jp-tokyo"].escalation_token == ""
