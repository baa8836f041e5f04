"""Crisis API: declare, list and detail scoped by role and mission, bad input as 400 with fields."""

import pytest

from incidents.crises.models import CrisisEvent

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[100.4, 13.6], [100.7, 13.6], [100.7, 13.9], [100.4, 13.9], [100.4, 13.6]]],
}
BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[100.4, 13.6], [100.7, 13.9], [100.7, 13.6], [100.4, 13.9], [100.4, 13.6]]],
}


def body(**extra):  # type: ignore[no-untyped-def]
    return {
        "name_ko": "방콕 폭발",
        "name_en": "Bangkok blast",
        "kind": "attack",
        "starts_at": "2026-11-30T08:00:00+07:00",
        "missions": ["emb-th-bangkok"],
        **extra,
    }


def test_crisis_declare_and_scoped_reads(api, duty_officer, bangkok_staff, tokyo_staff, presenter) -> None:  # type: ignore[no-untyped-def]
    created = api(duty_officer).post("/api/crises/", body(polygon=SQUARE), format="json")
    assert created.status_code == 201, created.json()
    public_id = created.json()["id"]
    assert created.json()["counts"]["persons_known"] == 0
    assert created.json()["missions"] == ["emb-th-bangkok"]
    listed = api(bangkok_staff).get("/api/crises/")
    assert [e["id"] for e in listed.json()] == [public_id]
    assert api(bangkok_staff).get(f"/api/crises/{public_id}/").status_code == 200
    assert api(tokyo_staff).get("/api/crises/").json() == []
    other = api(tokyo_staff).get(f"/api/crises/{public_id}/")
    assert other.status_code == 404
    assert other.json()["code"] == "crisis_not_found"
    assert api(presenter).get("/api/crises/").status_code == 403


def test_crisis_declare_circle(api, duty_officer) -> None:  # type: ignore[no-untyped-def]
    created = api(duty_officer).post("/api/crises/", body(centre=[100.5, 13.75], radius_km=10), format="json")
    assert created.status_code == 201
    assert created.json()["radius_km"] == 10
    assert created.json()["area"]["type"] == "MultiPolygon"


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"polygon": BOWTIE}, "area"),
        ({"centre": [100.5, 13.75], "radius_km": -1}, "radius_km"),
        ({"polygon": SQUARE, "kind": "volcano"}, "kind"),
        ({"polygon": SQUARE, "missions": ["nowhere"]}, "missions"),
    ],
)
def test_crisis_declare_bad_input_400(api, duty_officer, extra, field) -> None:  # type: ignore[no-untyped-def]
    response = api(duty_officer).post("/api/crises/", body(**extra), format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not CrisisEvent.objects.exists()


def test_crisis_declare_refused_to_mission_staff(api, bangkok_staff) -> None:  # type: ignore[no-untyped-def]
    response = api(bangkok_staff).post("/api/crises/", body(polygon=SQUARE), format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "crisis_denied"
