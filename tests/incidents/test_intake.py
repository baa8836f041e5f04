"""Intake: geocoding the text, confidence and review, pin correction, mission override, geocoder failure."""

import pytest

from incidents.models import Incident, TimelineEvent
from incidents.services import GEOCODE_PENDING, incident_reassign, incident_regeocode
from incidents.tasks import regeocode, regeocode_sweep
from missions.models import Mission
from tests.factories import log_incident
from tests.safety.geo_servers import nominatim_server, silent_server

ONLY_ONLINE = "Zzyzx Road rest area 7"


def body(**overrides):  # type: ignore[no-untyped-def]
    values = {
        "category": "accident",
        "severity": 3,
        "occurred_at": "2026-11-20T14:30:00+07:00",
        "summary": "Scooter accident",
        "location_text": "태국 파타야",
    }
    values.update(overrides)
    return values


def kinds(incident: Incident) -> list[str]:
    return list(TimelineEvent.objects.filter(incident=incident).order_by("id").values_list("kind", flat=True))


@pytest.mark.django_db
def test_text_only_case_is_geocoded_and_routed_in_the_same_request(api, operator):
    response = api(operator).post("/api/incidents/", body(), format="json")
    assert response.status_code == 201, response.json()
    case = response.json()
    assert case["country"] == "TH" and case["responsible_mission"]["code"] == "emb-th-bangkok"
    assert abs(case["lat"] - 12.93) < 0.05 and abs(case["lon"] - 100.88) < 0.05
    assert case["geocode_source"] == "offline" and case["geocode_confidence"] >= 0.9
    assert case["needs_review"] is False
    incident = Incident.objects.get(reference=case["reference"])
    assert kinds(incident) == ["created", "located", "routed"]
    located = TimelineEvent.objects.get(incident=incident, kind="located")
    assert located.data["source"] == "offline" and "Pattaya" in located.message


@pytest.mark.django_db
def test_a_pin_wins_over_the_text_and_is_not_reviewed(api, operator):
    case = api(operator).post("/api/incidents/", body(lat=35.6595, lon=139.7005), format="json").json()
    assert case["responsible_mission"]["code"] == "emb-jp-tokyo"
    assert case["geocode_source"] == "pin" and case["geocode_confidence"] == 1.0
    assert case["needs_review"] is False


@pytest.mark.django_db
def test_low_confidence_marks_the_case_for_review_without_blocking_it(api, operator):
    response = api(operator).post("/api/incidents/", body(location_text="Springfield"), format="json")
    assert response.status_code == 201
    case = response.json()
    assert case["country"] == "US" and case["responsible_mission"] is not None
    assert case["geocode_confidence"] < 0.6 and case["needs_review"] is True


@pytest.mark.django_db
def test_place_not_found_routes_by_the_country_given(api, operator):
    case = api(operator).post("/api/incidents/", body(location_text="qxqxqzzv", country="LA"), format="json").json()
    assert case["responsible_mission"]["code"].startswith("emb-la-")
    assert case["lat"] is None and case["needs_review"] is True


@pytest.mark.django_db
def test_pin_correction_reroutes_and_goes_to_the_timeline(api, operator, bangkok_staff):
    incident = log_incident(reported_by=operator, location_text="Pattaya, Thailand")
    assert incident.responsible_mission.code == "emb-th-bangkok"
    response = api(operator).post(
        f"/api/incidents/{incident.reference}/location/", {"lat": 34.6937, "lon": 135.5023}, format="json"
    )
    assert response.status_code == 200, response.json()
    case = response.json()
    assert case["responsible_mission"]["code"] == "cg-jp-osaka" and case["country"] == "JP"
    assert case["geocode_source"] == "manual" and case["geocode_confidence"] == 1.0
    assert kinds(incident)[-2:] == ["located", "routed"]
    assert TimelineEvent.objects.filter(incident=incident, kind="located").last().actor == operator
    bad = api(operator).post(f"/api/incidents/{incident.reference}/location/", {"lat": 91, "lon": 0}, format="json")
    assert bad.status_code == 400 and "lat" in bad.json()["fields"]
    # Bangkok staff no longer see the case: the same 404 as a missing one.
    hidden = api(bangkok_staff).post(
        f"/api/incidents/{incident.reference}/location/", {"lat": 13.75, "lon": 100.5}, format="json"
    )
    assert hidden.status_code == 404 and hidden.json()["code"] == "incident_not_found"


@pytest.mark.django_db
def test_mission_override_needs_a_reason_records_it_and_survives_pin_correction(api, operator, presenter):
    incident = log_incident(reported_by=operator, lat=12.9276, lon=100.8771)
    client = api(operator)
    url = f"/api/incidents/{incident.reference}/mission/"
    assert "reason" in client.post(url, {"mission": "emb-la-vientiane"}, format="json").json()["fields"]
    assert "mission" in client.post(url, {"mission": "no-such", "reason": "x"}, format="json").json()["fields"]
    assert api(presenter).post(url, {"mission": "emb-jp-tokyo", "reason": "x"}, format="json").status_code == 404
    assert Incident.objects.get(pk=incident.pk).responsible_mission.code == "emb-th-bangkok"
    code = Mission.objects.filter(code__startswith="emb-la-").get().code
    response = client.post(url, {"mission": code, "reason": "victim crossed into Laos"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["responsible_mission"]["code"] == code
    assert response.json()["routing_reason"] == "manual: victim crossed into Laos"
    event = TimelineEvent.objects.filter(incident=incident, kind="transferred").get()
    assert event.actor == operator and event.data == {
        "from": "emb-th-bangkok",
        "to": code,
        "reason": "victim crossed into Laos",
    }
    assert Incident.objects.get(pk=incident.pk).routing_method == "manual"
    client.post(f"/api/incidents/{incident.reference}/location/", {"lat": 13.75, "lon": 100.5}, format="json")
    assert Incident.objects.get(pk=incident.pk).responsible_mission.code == code
    again = client.post(url, {"mission": code, "reason": "again"}, format="json")
    assert again.status_code == 400


@pytest.mark.django_db
def test_mission_override_service_returns_the_incident(operator):
    incident = log_incident(reported_by=operator, lat=12.9276, lon=100.8771)
    tokyo = Mission.objects.get(code="emb-jp-tokyo")
    changed = incident_reassign(incident=incident, actor=operator, mission=tokyo, reason="test")
    assert isinstance(changed, Incident) and changed.responsible_mission == tokyo


@pytest.mark.django_db
def test_geocoder_failure_never_loses_the_case_and_regeocode_is_idempotent(
    api, operator, online_chain, django_capture_on_commit_callbacks
):
    with silent_server() as (domain, _):
        online_chain(domain, timeout_s=0.3)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = api(operator).post(
                "/api/incidents/", body(location_text=ONLY_ONLINE, country="US"), format="json"
            )
        assert response.status_code == 201
        case = response.json()
        assert case["geocode_source"] == GEOCODE_PENDING and case["needs_review"] is True
        assert case["responsible_mission"]["code"] == "emb-us-washington", "routed by the country given"
        # after commit: the alert delivery (alerts) and incidents.regeocode (this one)
        queued = [cb.__qualname__.split(".")[0] for cb in callbacks]
        assert queued == ["alert_schedule_after_commit", "_incident_create"]
        incident = Incident.objects.get(reference=case["reference"])
        with pytest.raises(Exception, match="still failing"):
            incident_regeocode(incident_id=incident.pk)
    places = {ONLY_ONLINE: {"lat": "35.1419", "lon": "-116.1039", "display_name": "Zzyzx Rd, California"}}
    with nominatim_server(places) as (domain, requests):
        online_chain(domain, timeout_s=0.3)
        first = regeocode.apply(kwargs={"incident_id": incident.pk}).get()
        second = regeocode.apply(kwargs={"incident_id": incident.pk}).get()
    assert first == incident.reference and second is None
    assert requests == [ONLY_ONLINE]
    incident.refresh_from_db()
    assert incident.geocode_source == "nominatim" and incident.location is not None
    assert incident.responsible_mission.code == "cg-us-los-angeles"
    assert kinds(incident).count("located") == 2


@pytest.mark.django_db
def test_geocoder_failure_without_a_country_goes_to_the_duty_officer(api, operator, online_chain):
    with silent_server() as (domain, _):
        online_chain(domain, timeout_s=0.3)
        case = api(operator).post("/api/incidents/", body(location_text=ONLY_ONLINE), format="json").json()
    assert case["responsible_mission"] is None and case["needs_review"] is True
    assert "HQ duty officer" in case["routing_reason"]
    assert Incident.objects.filter(reference=case["reference"]).exists()


@pytest.mark.django_db
def test_text_found_only_outside_the_country_given_is_not_used_for_routing(api, operator):
    case = api(operator).post("/api/incidents/", body(location_text="Sihanoukville", country="TH"), format="json")
    assert case.status_code == 201
    case = case.json()
    assert case["country"] == "TH" and case["responsible_mission"]["code"] == "emb-th-bangkok"
    assert case["lat"] is None and case["needs_review"] is True
    located = TimelineEvent.objects.get(incident__reference=case["reference"], kind="located")
    assert "outside the country given" in located.message


@pytest.fixture
def eager_celery():  # type: ignore[no-untyped-def]
    """Tasks sent by `.delay` run in this process (the sweep's re-geocoding then runs on the test database)."""
    from safety.celery import app

    before = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = before


@pytest.mark.django_db
def test_regeocode_sweep_geocodes_pending_cases_and_is_idempotent(api, operator, online_chain, eager_celery):
    with silent_server() as (domain, _):
        online_chain(domain, timeout_s=0.3)
        response = api(operator).post("/api/incidents/", body(location_text=ONLY_ONLINE, country="US"), format="json")
    incident = Incident.objects.get(reference=response.json()["reference"])
    assert incident.geocode_source == GEOCODE_PENDING
    places = {ONLY_ONLINE: {"lat": "35.1419", "lon": "-116.1039", "display_name": "Zzyzx Rd, California"}}
    with nominatim_server(places) as (domain, requests):
        online_chain(domain, timeout_s=0.3)
        first = regeocode_sweep.apply().get()
        second = regeocode_sweep.apply().get()
    assert first == 1 and second == 0
    assert requests == [ONLY_ONLINE]
    incident.refresh_from_db()
    assert incident.geocode_source == "nominatim" and incident.responsible_mission.code == "cg-us-los-angeles"
    assert kinds(incident).count("located") == 2
