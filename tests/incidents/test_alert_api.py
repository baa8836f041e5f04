"""Alert API: the inbox per mission, not-found alike for other missions, acknowledgment, signed links."""

import uuid

import pytest
from django.test import Client

from incidents.alerts.links import ack_url
from incidents.alerts.models import Alert
from incidents.models import Incident, TimelineEvent
from tests.factories import log_incident

PATTAYA = {"lat": 12.9276, "lon": 100.8771}
TOKYO = {"lat": 35.6895, "lon": 139.69171}


@pytest.fixture
def two_alerts(operator):  # type: ignore[no-untyped-def]
    bangkok = log_incident(reported_by=operator, **PATTAYA)
    tokyo = log_incident(reported_by=operator, location_text="Tokyo", **TOKYO)
    return Alert.objects.get(incident=bangkok), Alert.objects.get(incident=tokyo)


@pytest.mark.django_db
def test_inbox_lists_only_the_users_missions(api, bangkok_staff, two_alerts, django_assert_num_queries):
    bangkok, _tokyo = two_alerts
    for _ in range(3):
        log_incident(reported_by=bangkok_staff, **PATTAYA)
    client = api(bangkok_staff)
    client.get("/api/alerts/")  # warm the user's caches (roles, missions)
    with django_assert_num_queries(3):  # count, page, deliveries
        response = client.get("/api/alerts/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    assert {row["mission"]["code"] for row in body["results"]} == {"emb-th-bangkok"}
    row = next(r for r in body["results"] if r["id"] == str(bangkok.public_id))
    assert row["incident"]["reference"] == bangkok.incident.reference
    assert row["deliveries"][0]["kind"] == "inbox"


@pytest.mark.django_db
def test_other_missions_alert_is_not_found_like_a_missing_one(api, bangkok_staff, two_alerts):
    _bangkok, tokyo = two_alerts
    client = api(bangkok_staff)
    for url in [f"/api/alerts/{tokyo.public_id}/", f"/api/alerts/{tokyo.public_id}/cap.xml"]:
        hidden, missing = client.get(url), client.get(url.replace(str(tokyo.public_id), str(uuid.uuid4())))
        assert hidden.status_code == missing.status_code == 404
        assert hidden.json() == missing.json()
        assert hidden.json()["code"] == "alert_not_found"
    response = client.post(f"/api/alerts/{tokyo.public_id}/acknowledge/")
    assert response.status_code == 404
    tokyo.refresh_from_db()
    assert tokyo.acknowledged_at is None
    assert client.get("/api/alerts/not-a-uuid/").json()["code"] == "alert_not_found"


@pytest.mark.django_db
def test_acknowledge_from_the_inbox_records_who_and_when(api, bangkok_staff, two_alerts):
    bangkok, _ = two_alerts
    response = api(bangkok_staff).post(f"/api/alerts/{bangkok.public_id}/acknowledge/")
    assert response.status_code == 200
    body = response.json()
    assert body["acknowledged_by"] == bangkok_staff.username
    assert body["acknowledged_via"] == "inbox"
    incident = Incident.objects.get(pk=bangkok.incident_id)
    assert incident.acknowledged_at is not None
    assert body["acknowledged_at"].startswith(incident.acknowledged_at.strftime("%Y-%m-%dT%H:%M:%S"))
    again = api(bangkok_staff).post(f"/api/alerts/{bangkok.public_id}/acknowledge/")
    assert again.json()["acknowledged_at"] == body["acknowledged_at"]
    assert TimelineEvent.objects.filter(incident_id=bangkok.incident_id, kind="acknowledged").count() == 1
    unacked = api(bangkok_staff).get("/api/alerts/?acknowledged=false").json()
    assert str(bangkok.public_id) not in {row["id"] for row in unacked["results"]}


@pytest.mark.django_db
def test_duty_officer_sees_every_alert_and_the_hq_queue(api, duty_officer, operator, two_alerts):
    log_incident(reported_by=operator, location_text="nowhere known")
    body = api(duty_officer).get("/api/alerts/").json()
    assert body["count"] == 3
    hq = api(duty_officer).get("/api/alerts/?hq=true").json()
    assert hq["count"] == 1 and hq["results"][0]["mission"] is None


@pytest.mark.django_db
def test_presenter_and_anonymous_get_no_alerts(api, presenter, two_alerts):
    assert api(presenter).get("/api/alerts/").json()["code"] == "case_access_denied"
    assert api(None).get("/api/alerts/").status_code in (401, 403)
    bangkok, _ = two_alerts
    assert api(presenter).get(f"/api/alerts/{bangkok.public_id}/").status_code == 404


@pytest.mark.django_db
def test_signed_link_acknowledges_only_on_post(two_alerts):
    bangkok, _ = two_alerts
    url = ack_url(alert_public_id=str(bangkok.public_id), recipient="desk@bangkok.example")
    path = url.split("8000", 1)[1] if "8000" in url else url
    client = Client(enforce_csrf_checks=True)
    page = client.get(path)
    assert page.status_code == 200 and bangkok.incident.reference in page.content.decode()
    bangkok.refresh_from_db()
    assert bangkok.acknowledged_at is None  # a link scanner's GET acknowledges nothing
    csrf = client.cookies["csrftoken"].value
    done = client.post(path, {"csrfmiddlewaretoken": csrf})
    assert done.status_code == 200
    bangkok.refresh_from_db()
    assert bangkok.acknowledged_via == "link"
    assert bangkok.acknowledged_by_label == "desk@bangkok.example"
    event = TimelineEvent.objects.get(incident_id=bangkok.incident_id, kind="acknowledged")
    assert event.data["by"] == "desk@bangkok.example"


@pytest.mark.django_db
def test_tampered_link_is_refused(two_alerts):
    bangkok, _ = two_alerts
    url = ack_url(alert_public_id=str(bangkok.public_id), recipient="desk@bangkok.example")
    token = url.rstrip("/").rsplit("/", 1)[1]
    client = Client()
    response = client.post(f"/alerts/ack/{token[:-3]}xyz/")
    assert response.status_code == 400
    bangkok.refresh_from_db()
    assert bangkok.acknowledged_at is None


@pytest.mark.django_db
def test_admin_shows_alerts_and_deliveries_read_only(admin_user, two_alerts):
    bangkok, _ = two_alerts
    client = Client()
    client.force_login(admin_user)
    assert client.get("/admin/incidents/alert/").status_code == 200
    page = client.get(f"/admin/incidents/alert/{bangkok.pk}/change/")
    assert page.status_code == 200 and "inbox" in page.content.decode()
    delivery = bangkok.deliveries.get()
    assert client.get(f"/admin/incidents/delivery/{delivery.pk}/change/").status_code == 200
    assert client.get("/admin/incidents/alert/add/").status_code == 403
