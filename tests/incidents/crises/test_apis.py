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


def test_crisis_persons_masked_audited_and_notes(api, duty_officer, bangkok_staff, tokyo_staff, operator) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from incidents.crises.services import PersonInput, person_record
    from safety.models import AuditEntry

    created = api(duty_officer).post("/api/crises/", body(polygon=SQUARE), format="json").json()
    event = CrisisEvent.objects.get(public_id=created["id"])
    person = person_record(
        event=event,
        actor=operator,
        data=PersonInput(name_hangul="김민준", dob=date(1990, 3, 4), passport="M12345678"),
    ).person
    listed = api(bangkok_staff).get(f"/api/crises/{created['id']}/persons/")
    assert listed.status_code == 200
    row = listed.json()[0]
    assert row["dob"] == "****-**-**"
    assert "12345678" not in row["passport"]
    assert AuditEntry.objects.filter(object_type="crisis", object_ref=created["id"]).count() == 1
    url = f"/api/crises/{created['id']}/persons/{person.pk}/notes/"
    assert api(tokyo_staff).post(url, {"source": "self", "claimed_status": "safe"}, format="json").status_code == 404
    bad = api(bangkok_staff).post(url, {"source": "rumour", "claimed_status": "safe"}, format="json")
    assert bad.status_code == 400
    assert "source" in bad.json()["fields"]
    family = api(bangkok_staff).post(url, {"source": "family", "claimed_status": "deceased"}, format="json")
    assert family.status_code == 201
    assert family.json()["status"] == "unconfirmed"
    own = api(bangkok_staff).post(url, {"source": "self", "claimed_status": "safe"}, format="json")
    assert own.json()["status"] == "safe"


def test_crisis_inquiry_proposal_callback_flow(api, duty_officer, bangkok_staff, tokyo_staff, operator) -> None:  # type: ignore[no-untyped-def]
    from incidents.crises.services import PersonInput, person_record

    created = api(duty_officer).post("/api/crises/", body(polygon=SQUARE), format="json").json()
    base = f"/api/crises/{created['id']}"
    event = CrisisEvent.objects.get(public_id=created["id"])
    person = person_record(event=event, actor=operator, data=PersonInput(name_hangul="김민준")).person
    client = api(bangkok_staff)
    bad = client.post(
        f"{base}/inquiries/",
        {"caller_name": "김영희", "callback_number": "010", "sought_name": "김민준"},
        format="json",
    )
    assert bad.status_code == 400
    assert "callback_number" in bad.json()["fields"]
    inquiry = client.post(
        f"{base}/inquiries/",
        {"caller_name": "김영희", "callback_number": "+821012345678", "sought_name": "Kim Minjun"},
        format="json",
    ).json()
    assert inquiry["callback_number"] != "+821012345678"
    [proposal] = inquiry["proposals"]
    assert proposal["candidate"] == person.pk
    decide = f"{base}/proposals/{proposal['id']}/decide/"
    assert api(tokyo_staff).post(decide, {"decision": "confirm"}, format="json").status_code == 404
    assert client.post(decide, {"decision": "confirm"}, format="json").json()["state"] == "confirmed"
    client.post(f"{base}/persons/{person.pk}/notes/", {"source": "self", "claimed_status": "safe"}, format="json")
    [task] = client.get(f"{base}/callbacks/").json()
    done = f"{base}/callbacks/{task['id']}/done/"
    refused = client.post(done, {"outcome": ""}, format="json")
    assert refused.status_code == 400
    assert "outcome" in refused.json()["fields"]
    assert client.post(done, {"outcome": "Told her he is safe."}, format="json").json()["done_at"] is not None
    assert client.get(base + "/").json()["counts"]["callbacks_due"] == 0


def test_crisis_declare_with_an_idempotency_key_twice_makes_one_crisis(api, duty_officer) -> None:  # type: ignore[no-untyped-def]
    client = api(duty_officer)
    first = client.post("/api/crises/", body(polygon=SQUARE), format="json", HTTP_IDEMPOTENCY_KEY="crisis-1")
    again = client.post("/api/crises/", body(polygon=SQUARE), format="json", HTTP_IDEMPOTENCY_KEY="crisis-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert CrisisEvent.objects.count() == 1
