"""Every API error, 500 included, answers {"code", "message", "fields"}; hostile input is a 400, pages keep HTML."""

import logging

import pytest
from django.test import Client

from incidents.models import Incident

CASE = {
    "category": "crime",
    "severity": 2,
    "occurred_at": "2026-11-20T14:30:00+07:00",
    "summary": "Bag snatched",
    "country": "TH",
}
SHAPE = {"code", "message", "fields"}


def _error_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.levelno >= logging.ERROR]


@pytest.mark.django_db
@pytest.mark.urls("tests.safety.failing_urls")
def test_unhandled_api_exception_is_a_json_500_logged_once(operator, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(operator)
    with caplog.at_level(logging.ERROR):
        response = client.get("/api/boom/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"code": "server_error", "message": "Server error.", "fields": {}}
    assert len(_error_records(caplog)) == 1 and "boom" in _error_records(caplog)[0].getMessage()


@pytest.mark.django_db
@pytest.mark.urls("tests.safety.failing_urls")
def test_unhandled_page_exception_keeps_the_html_500(operator):
    client = Client(raise_request_exception=False)
    client.force_login(operator)
    response = client.get("/boom/")
    assert response.status_code == 500 and response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_unknown_api_route_is_a_json_404_and_unknown_page_html(operator):
    client = Client()
    client.force_login(operator)
    api = client.get("/api/no-such-route/")
    assert api.status_code == 404 and set(api.json()) == SHAPE and api.json()["code"] == "not_found"
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_nul_in_a_query_string_is_a_400_naming_the_field(api, operator):
    response = api(operator).get("/api/geocode/?q=Bangkok&country=T%00H")
    assert response.status_code == 400 and set(response.json()) == SHAPE
    assert response.json()["code"] == "invalid_characters" and "country" in response.json()["fields"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"country": "T\x00H"}, "country"),
        ({"summary": "Bag\x00 snatched"}, "summary"),
        ({"persons": [{"name": "A", "nationality": "K\x00R"}]}, "persons.0.nationality"),
    ],
)
def test_nul_in_a_json_body_is_a_400_naming_the_field(api, operator, change, field):
    response = api(operator).post("/api/incidents/", {**CASE, **change}, format="json")
    assert response.status_code == 400 and set(response.json()) == SHAPE
    assert response.json()["code"] == "invalid_characters" and field in response.json()["fields"]
    assert Incident.objects.count() == 0


@pytest.mark.django_db
def test_nul_in_a_form_body_or_path_is_a_400(operator):
    client = Client()
    client.force_login(operator)
    form = client.post("/api/incidents/", {**CASE, "country": "T\x00H"})
    assert form.status_code == 400 and form.json()["code"] == "invalid_characters"
    assert "country" in form.json()["fields"]
    path = client.get("/api/incidents/OSC%00X/")
    assert path.status_code == 400 and path.json()["code"] == "invalid_characters"
    page = client.get("/cases/%00/")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")
    assert Incident.objects.count() == 0


@pytest.mark.django_db
def test_deeply_nested_json_is_a_400(api, operator):
    body = b'{"summary": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = api(operator).generic("POST", "/api/incidents/", body, content_type="application/json")
    assert response.status_code == 400 and set(response.json()) == SHAPE
    assert response.json()["code"] == "invalid_json"
    assert Incident.objects.count() == 0


@pytest.mark.django_db
def test_dashboard_custom_period_at_the_calendar_edges_is_a_400_naming_the_field(api, presenter):
    response = api(presenter).get("/api/dashboard/aggregates/?period=custom&from=0001-01-01&to=9999-12-31")
    assert response.status_code == 400 and set(response.json()) == SHAPE
    assert set(response.json()["fields"]) & {"from", "to"}
