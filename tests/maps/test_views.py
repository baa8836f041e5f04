"""The dashboard page, its exports and API: who may see them, and that no personal data ever leaves."""

import csv
import io
import json

import pytest
from django.test import Client

from safety.models import AuditEntry
from tests.maps.conftest import PERIOD, SECRETS

URLS = ["/maps/", "/maps/export.html", "/maps/export.csv", "/maps/export.geojson", "/api/dashboard/aggregates/"]


def browser(user):  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
def test_dashboard_outputs_hold_no_personal_data(cases, presenter, url):
    response = browser(presenter).get(url, PERIOD)
    assert response.status_code == 200
    text = response.content.decode()
    assert text
    for secret in SECRETS:
        assert secret not in text, (url, secret)
    for incident in cases.incidents:
        assert incident.reference not in text


@pytest.mark.django_db
def test_dashboard_page_shows_the_figures(cases, presenter):
    html = browser(presenter).get("/maps/", PERIOD).content.decode()
    assert '<b id="kpi-total">7</b>' in html
    assert '<b id="kpi-open">5</b>' in html and '<b id="kpi-breaches">3</b>' in html
    assert "<svg" in html and "Crime: 4" in html
    assert "/static/vendor/leaflet/dist/leaflet.js" in html
    assert "cdn" not in html.lower() and "unpkg" not in html and "jquery" not in html.lower()
    assert 'href="/maps/export.html?period=custom&amp;from=2026-11-01&amp;to=2026-11-30"' in html


@pytest.mark.django_db
def test_dashboard_export_is_self_contained(cases, presenter):
    html = browser(presenter).get("/maps/export.html", PERIOD).content.decode()
    assert "<script src=" not in html and 'rel="stylesheet"' not in html
    assert "L.markerClusterGroup" in html and "simpleheat" in html
    assert AuditEntry.objects.filter(action="export", object_ref="html").count() == 1


@pytest.mark.django_db
def test_exports_carry_the_aggregates(cases, presenter):
    client = browser(presenter)
    rows = list(csv.DictReader(io.StringIO(client.get("/maps/export.csv", PERIOD).content.decode())))
    by_category = {r["key"]: int(r["value"]) for r in rows if r["figure"] == "by_category"}
    assert by_category == {"crime": 4, "health": 2, "accident": 1}
    geo = json.loads(client.get("/maps/export.geojson", PERIOD).content)
    assert geo["type"] == "FeatureCollection"
    assert sum(f["properties"]["count"] for f in geo["features"]) == 7
    assert geo["properties"]["by_country"] == {"TH": 4, "JP": 3}
    api = client.get("/api/dashboard/aggregates/", PERIOD).json()
    assert (api["total"], api["open"], api["closed"]) == (7, 5, 2)


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
def test_dashboard_refuses_mission_staff_and_anonymous(cases, bangkok_staff, url):
    assert browser(bangkok_staff).get(url).status_code == 403
    assert Client().get(url).status_code in (302, 401, 403)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["operator", "duty_officer", "admin_user", "presenter"])
def test_dashboard_open_to_hq_roles(cases, request, role):
    assert browser(request.getfixturevalue(role)).get("/maps/", PERIOD).status_code == 200


@pytest.mark.django_db
def test_dashboard_bad_filter_is_a_400_with_the_field(presenter):
    response = browser(presenter).get("/maps/", {"period": "custom", "from": "yesterday"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input" and "from" in response.json()["fields"]


@pytest.mark.django_db
def test_labels_are_escaped_in_the_page(cases, presenter):
    from missions.models import Mission

    Mission.objects.filter(code="emb-th-bangkok").update(name_en="<script>alert(1)</script>Bangkok")
    html = browser(presenter).get("/maps/", PERIOD).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Bangkok" in html  # the acknowledgment table
    assert "\\u003cscript\\u003ealert(1)" in html  # the map data


@pytest.mark.django_db
def test_export_dashboard_command_writes_html_csv_geojson(cases, tmp_path):
    from django.core.management import call_command

    out, agg_csv, agg_geo = tmp_path / "room.html", tmp_path / "agg.csv", tmp_path / "agg.geojson"
    call_command(
        "export_dashboard",
        out=str(out),
        csv=str(agg_csv),
        geojson=str(agg_geo),
        **{"from": "2026-11-01"},
        to="2026-11-30",
        country="JP",
    )
    html = out.read_text(encoding="utf-8")
    assert '<b id="kpi-total">3</b>' in html
    assert "<script src=" not in html
    assert "by_country,JP,Japan,3," in agg_csv.read_text(encoding="utf-8")
    assert json.loads(agg_geo.read_text(encoding="utf-8"))["properties"]["total"] == 3
    for text in (html, agg_csv.read_text(encoding="utf-8"), agg_geo.read_text(encoding="utf-8")):
        for secret in SECRETS:
            assert secret not in text


@pytest.mark.django_db
def test_dashboard_speaks_korean_by_default(cases, presenter):
    client = Client()
    client.force_login(presenter)
    html = client.get("/maps/", PERIOD).content.decode()
    assert '<html lang="ko">' in html
    assert "범죄: 4" in html
