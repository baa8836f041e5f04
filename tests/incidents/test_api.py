"""The case API: intake, validation, visibility per role, filters, GeoJSON, changes."""

import pytest

from incidents.models import AffectedPerson, Caller, Incident, TimelineEvent
from safety.models import AuditEntry
from tests.factories import log_incident

PATTAYA = {"lat": 12.9276, "lon": 100.8771}


def payload(**overrides):  # type: ignore[no-untyped-def]
    body = {
        "category": "crime",
        "severity": 3,
        "occurred_at": "2026-11-20T14:30:00+07:00",
        "summary": "Passport stolen on the beach",
        "location_text": "Pattaya, Thailand",
        **PATTAYA,
        "persons": [
            {
                "name": "김민수",
                "passport_number": "M12345678",
                "contact": "010-1234-5678",
                "status": "safe",
            }
        ],
        "callers": [{"name": "김영희", "phone": "+82 10 9876 5432", "relation": "mother"}],
    }
    body.update(overrides)
    return body


@pytest.mark.django_db
def test_create_routes_saves_persons_and_timeline(api, operator):
    response = api(operator).post("/api/incidents/", payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reference"].startswith("OSC-")
    assert body["country"] == "TH"
    assert body["responsible_mission"]["code"] == "emb-th-bangkok"
    assert "emb-th-bangkok" in body["routing_reason"]
    assert body["occurred_at"] == "2026-11-20T07:30:00Z"
    incident = Incident.objects.get(reference=body["reference"])
    assert incident.persons.get().contact == "+821012345678"
    assert incident.callers.get().phone == "+821098765432"
    kinds = list(TimelineEvent.objects.filter(incident=incident).values_list("kind", flat=True))
    assert kinds == ["created", "routed", "person_added", "caller_added"]


BAD_INPUTS = [
    ({"lat": 91}, "lat"),
    ({"lon": -180.5}, "lon"),
    ({"lat": "NaN"}, "lat"),
    ({"category": "alien_abduction"}, "category"),
    ({"severity": 7}, "severity"),
    ({"description": "x" * 2_000_000}, "description"),
    ({"occurred_at": "2026-11-20T14:30:00"}, "occurred_at"),
    ({"country": "QQ"}, "country"),
    ({"summary": ""}, "summary"),
    ({"lat": 12.9, "lon": None}, "lon"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("override", "field"), BAD_INPUTS)
def test_create_rejects_bad_input_with_field_and_saves_nothing(api, operator, override, field):
    before = (Incident.objects.count(), AffectedPerson.objects.count(), Caller.objects.count())
    response = api(operator).post("/api/incidents/", payload(**override), format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_input"
    assert field in body["fields"], body
    assert (
        Incident.objects.count(),
        AffectedPerson.objects.count(),
        Caller.objects.count(),
    ) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("person", "field"),
    [
        ({"contact": "12345"}, "contact"),
        ({"passport_number": "m-1"}, "passport_number"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"status": "fine"}, "status"),
    ],
)
def test_create_rejects_bad_person_fields(api, operator, person, field):
    response = api(operator).post("/api/incidents/", payload(persons=[{"name": "A", **person}]), format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]["persons"]["0"]
    assert Incident.objects.count() == 0


@pytest.mark.django_db
def test_create_rejects_a_caller_phone_that_is_not_one(api, operator):
    response = api(operator).post(
        "/api/incidents/", payload(callers=[{"name": "B", "phone": "not a phone"}]), format="json"
    )
    assert response.status_code == 400
    assert "phone" in response.json()["fields"]["callers"]["0"]


@pytest.mark.django_db
def test_request_without_login_gets_no_data(api, operator):
    incident = log_incident(reported_by=operator, **PATTAYA)
    for method, url in [
        ("get", "/api/incidents/"),
        ("get", f"/api/incidents/{incident.reference}/"),
        ("post", "/api/incidents/"),
        ("patch", f"/api/incidents/{incident.reference}/"),
    ]:
        response = getattr(api(None), method)(url, {}, format="json")
        assert response.status_code in (401, 403)
        assert incident.reference not in response.content.decode()


@pytest.mark.django_db
def test_visibility_per_role(api, operator, duty_officer, presenter, admin_user, bangkok_staff, tokyo_staff):
    bangkok_case = log_incident(reported_by=operator, **PATTAYA)
    tokyo_case = log_incident(reported_by=operator, lat=35.6595, lon=139.7005, location_text="Shibuya, Tokyo")
    assert tokyo_case.responsible_mission.code == "emb-jp-tokyo"
    for user in (operator, duty_officer, admin_user):
        refs = {row["reference"] for row in api(user).get("/api/incidents/").json()["results"]}
        assert refs == {bangkok_case.reference, tokyo_case.reference}
    refs = {row["reference"] for row in api(bangkok_staff).get("/api/incidents/").json()["results"]}
    assert refs == {bangkok_case.reference}
    assert api(bangkok_staff).get(f"/api/incidents/{bangkok_case.reference}/").status_code == 200
    hidden = api(bangkok_staff).get(f"/api/incidents/{tokyo_case.reference}/")
    missing = api(bangkok_staff).get("/api/incidents/OSC-2026-999999/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert (
        api(tokyo_staff)
        .patch(f"/api/incidents/{bangkok_case.reference}/", {"status": "closed"}, format="json")
        .status_code
        == 404
    )
    assert api(presenter).get("/api/incidents/").status_code == 403
    assert api(presenter).get(f"/api/incidents/{bangkok_case.reference}/").status_code == 404
    assert api(presenter).post("/api/incidents/", payload(), format="json").status_code == 403


@pytest.mark.django_db
def test_embassy_staff_see_their_consulates_cases(api, operator, make_user):
    from safety.auth.roles import Role

    osaka_case = log_incident(reported_by=operator, lat=34.6937, lon=135.5023, location_text="Osaka")
    assert osaka_case.responsible_mission.code == "cg-jp-osaka"
    tokyo = make_user(Role.MISSION_STAFF, "emb-jp-tokyo")
    osaka = make_user(Role.MISSION_STAFF, "cg-jp-osaka")
    nagoya = make_user(Role.MISSION_STAFF, "cg-jp-nagoya")
    assert api(tokyo).get(f"/api/incidents/{osaka_case.reference}/").status_code == 200
    assert api(osaka).get(f"/api/incidents/{osaka_case.reference}/").status_code == 200
    assert api(nagoya).get(f"/api/incidents/{osaka_case.reference}/").status_code == 404


@pytest.mark.django_db
def test_list_filters_and_open_first(api, operator):
    a = log_incident(reported_by=operator, category="crime", severity=1, **PATTAYA)
    b = log_incident(reported_by=operator, category="accident", severity=4, lat=35.6595, lon=139.7005)
    c = log_incident(reported_by=operator, category="accident", severity=4, lat=35.66, lon=139.70)
    api(operator).patch(f"/api/incidents/{c.reference}/", {"status": "closed"}, format="json")
    client = api(operator)

    def refs(query: str) -> list[str]:
        response = client.get(f"/api/incidents/?{query}")
        assert response.status_code == 200, response.json()
        return [row["reference"] for row in response.json()["results"]]

    assert refs("") == [b.reference, a.reference, c.reference]
    assert refs("category=accident") == [b.reference, c.reference]
    assert refs("severity=1") == [a.reference]
    assert refs("country=th") == [a.reference]
    assert refs("mission=emb-jp-tokyo&status=closed") == [c.reference]
    assert refs("occurred_from=2026-11-20T00:00:00Z&occurred_to=2026-11-21T00:00:00Z") == [
        b.reference,
        a.reference,
        c.reference,
    ]
    assert refs("occurred_from=2026-11-21T00:00:00Z") == []
    assert refs(f"q={a.reference}") == [a.reference]
    assert client.get("/api/incidents/?category=nope").status_code == 400
    assert "occurred_from" in client.get("/api/incidents/?occurred_from=2026-01-01T00:00").json()["fields"]


@pytest.mark.django_db
def test_list_query_count_is_constant(api, operator, django_assert_max_num_queries):
    for _ in range(5):
        log_incident(reported_by=operator, **PATTAYA)
    client = api(operator)
    with django_assert_max_num_queries(4):
        response = client.get("/api/incidents/")
    assert response.json()["count"] == 5


@pytest.mark.django_db
def test_list_as_geojson_has_no_personal_data(api, operator):
    response = api(operator).post("/api/incidents/", payload(), format="json")
    geo = api(operator).get("/api/incidents/?format=geojson")
    assert geo.status_code == 200
    assert geo["Content-Type"].startswith("application/geo+json")
    body = geo.json()
    assert body["type"] == "FeatureCollection"
    feature = body["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [PATTAYA["lon"], PATTAYA["lat"]]}
    assert feature["properties"]["reference"] == response.json()["reference"]
    text = geo.content.decode()
    assert "M12345678" not in text and "김민수" not in text and "+8210" not in text


@pytest.mark.django_db
def test_detail_read_of_personal_data_is_audited(api, operator):
    reference = api(operator).post("/api/incidents/", payload(), format="json").json()["reference"]
    body = api(operator).get(f"/api/incidents/{reference}/").json()
    assert body["persons"][0]["name"] == "김민수"
    assert body["persons"][0]["passport_number"] == "M1234****"  # masked; clear only through the reveal action
    # The creating POST is audited too (a write); the read is its own entry.
    entry = AuditEntry.objects.get(object_ref=reference, action="read_personal_data")
    assert entry.actor == operator and entry.action == "read_personal_data"


@pytest.mark.django_db
def test_patch_changes_fields_and_appends_timeline(api, operator):
    incident = log_incident(reported_by=operator, **PATTAYA)
    client = api(operator)
    response = client.patch(
        f"/api/incidents/{incident.reference}/",
        {"status": "in_progress", "severity": 4},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "in_progress" and response.json()["severity"] == 4
    events = list(TimelineEvent.objects.filter(incident=incident).order_by("id").values_list("kind", "data"))
    assert ("status_changed", {"from": "open", "to": "in_progress"}) in events
    assert ("updated", {"field": "severity", "from": 2, "to": 4}) in events
    closed = client.patch(f"/api/incidents/{incident.reference}/", {"status": "closed"}, format="json").json()
    assert closed["closed_at"] is not None
    bad = client.patch(
        f"/api/incidents/{incident.reference}/",
        {"reference": "OSC-1", "severity": 9},
        format="json",
    )
    assert bad.status_code == 400 and {"severity"} <= set(bad.json()["fields"])
    readonly = client.patch(f"/api/incidents/{incident.reference}/", {"responsible_mission": "x"}, format="json")
    assert readonly.status_code == 400 and "responsible_mission" in readonly.json()["fields"]
    timeline = client.get(f"/api/incidents/{incident.reference}/timeline/").json()
    assert [e["kind"] for e in timeline][:2] == ["created", "routed"]


@pytest.mark.django_db
def test_case_without_any_location_is_refused_but_country_alone_routes(api, operator):
    response = api(operator).post("/api/incidents/", payload(location_text="", lat=None, lon=None), format="json")
    assert response.status_code == 400 and "location_text" in response.json()["fields"]
    response = api(operator).post(
        "/api/incidents/",
        payload(location_text="", lat=None, lon=None, country="LA"),
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["responsible_mission"]["code"].startswith("emb-la-")
