"""Travel advisories: the selector the case page uses, the API (admins write, signed-in users read), the map layer."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from maps.dashboard import dashboard_build
from maps.filters import filter_parse
from safety.advisories.models import Advisory, Level
from safety.advisories.selectors import advisories_for, advisory_highest_for
from safety.advisories.services import advisory_create
from tests.maps.conftest import PERIOD

T0 = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.fixture
def advisories(db):  # type: ignore[no-untyped-def]
    return {
        "jp": advisory_create(country_iso2="JP", level=Level.CAUTION, valid_from=T0),
        "osaka": advisory_create(
            country_iso2="JP",
            admin1_code="32",
            level=Level.SPECIAL,
            valid_from=T0,
            valid_to=T0 + timedelta(days=30),
            note="Typhoon",
        ),
        "expired": advisory_create(
            country_iso2="TH", level=Level.BAN, valid_from=T0 - timedelta(days=60), valid_to=T0 - timedelta(days=1)
        ),
        "future": advisory_create(country_iso2="TH", level=Level.WITHDRAW, valid_from=T0 + timedelta(days=90)),
    }


@pytest.mark.django_db
def test_advisories_for_region_and_country_most_severe_first(advisories):
    at = T0 + timedelta(days=5)
    assert advisories_for("JP", "32", at) == [advisories["osaka"], advisories["jp"]]
    assert advisories_for("jp", "40", at) == [advisories["jp"]]
    assert advisories_for("JP", "", at) == [advisories["jp"]]
    assert advisory_highest_for("JP", "32", at).level == Level.SPECIAL
    assert advisories_for("JP", "32", T0 + timedelta(days=31)) == [advisories["jp"]]  # special ended


@pytest.mark.django_db
def test_advisories_for_respects_validity_and_unknowns(advisories):
    assert advisories_for("TH", "", T0) == []  # expired before, the next starts later
    assert advisories_for("TH", "", T0 + timedelta(days=91)) == [advisories["future"]]
    assert advisories_for("", "", T0) == [] and advisories_for(None, None, T0) == []
    assert advisories_for("QQ", "", T0) == []


def body(**overrides):  # type: ignore[no-untyped-def]
    return {"country": "FR", "level": "2", "valid_from": "2026-11-01T00:00:00+09:00", **overrides}


@pytest.mark.django_db
def test_advisory_api_admin_writes(api, admin_user):
    client = api(admin_user)
    response = client.post("/api/advisories/", body(admin1="11", note="Protests"), format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert (created["country"], created["admin1"], created["level"]) == ("FR", "11", "2")
    assert created["valid_from"] == "2026-10-31T15:00:00Z"
    response = client.patch(f"/api/advisories/{created['id']}/", {"level": "3"}, format="json")
    assert response.status_code == 200 and response.json()["level"] == "3"
    assert Advisory.objects.get(public_id=created["id"]).level == "3"
    assert client.delete(f"/api/advisories/{created['id']}/").status_code == 204
    assert not Advisory.objects.filter(public_id=created["id"]).exists()


@pytest.mark.django_db
def test_advisory_api_others_read_only(api, presenter, bangkok_staff, advisories):
    for user in (presenter, bangkok_staff):
        client = api(user)
        listed = client.get("/api/advisories/?country=JP")
        assert listed.status_code == 200
        assert {row["level"] for row in listed.json()["results"]} == {"1", "special"}
        in_force = client.get("/api/advisories/?country=JP&admin1=32&at=2026-11-05T00:00:00Z").json()["results"]
        assert [row["level"] for row in in_force] == ["special", "1"]
        assert client.post("/api/advisories/", body(), format="json").status_code == 403
        target = advisories["jp"].public_id
        assert client.patch(f"/api/advisories/{target}/", {"level": "4"}, format="json").status_code == 403
        assert client.delete(f"/api/advisories/{target}/").status_code == 403
    assert api(None).get("/api/advisories/").status_code in (401, 403)
    assert Advisory.objects.get(pk=advisories["jp"].pk).level == "1"


BAD = [
    (body(level="7"), "level"),
    (body(country="QQ"), "country"),
    (body(valid_from="2026-11-01T00:00:00"), "valid_from"),
    (body(valid_to="2026-10-01T00:00:00Z"), "valid_to"),
    (body(level="special"), "valid_to"),
    (body(note="x" * 600), "note"),
    (body(admin1="<b>"), "admin1"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("payload", "field"), BAD)
def test_advisory_api_rejects_bad_input_and_saves_nothing(api, admin_user, payload, field):
    response = api(admin_user).post("/api/advisories/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"
    assert field in response.json()["fields"], response.json()
    assert Advisory.objects.count() == 0


@pytest.mark.django_db
def test_advisory_layer_carries_advisories_in_force(advisories):
    html = dashboard_build(f=filter_parse(PERIOD), at=T0 + timedelta(days=5)).html
    data = json.loads(re.search(r"var OSC_DATA = (\{.*?\});</script>", html, re.S).group(1))
    levels = {(a["country"], a["admin1"]): a["level"] for a in data["advisories"]}
    assert levels == {("JP", ""): "1", ("JP", "32"): "special"}
    assert data["advisory_regions"]["JP/32"]["type"] in ("Polygon", "MultiPolygon")
    assert "Travel advisories" in html


@pytest.mark.django_db
def test_advisory_admin_lists_and_adds(admin_user, advisories):
    from django.test import Client

    client = Client()
    client.force_login(admin_user)
    assert client.get("/admin/advisories/advisory/").status_code == 200
    assert client.get("/admin/advisories/advisory/add/").status_code == 200
    assert client.get(f"/admin/advisories/advisory/{advisories['osaka'].pk}/change/").status_code == 200
