"""Browser pages through Django's test client: start pages, logging a case, case work, lists, access."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.models import Incident, TimelineEvent
from safety.auth.roles import Role
from safety.models import AuditEntry
from tests.factories import log_incident

PATTAYA = {"lat": "12.92760", "lon": "100.87710"}


def log_form(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "category": "crime",
        "severity": "3",
        "occurred_at": "2026-11-20T14:30",
        "time_basis": "local",
        "location_text": "Pattaya, Chon Buri, Thailand",
        **PATTAYA,
        "country": "",
        "summary": "Passport stolen on the beach",
        "description": "",
        "channel": "phone",
        "persons-TOTAL_FORMS": "3",
        "persons-INITIAL_FORMS": "0",
        "persons-MIN_NUM_FORMS": "0",
        "persons-MAX_NUM_FORMS": "200",
        "persons-0-name": "김민수",
        "persons-0-nationality": "KR",
        "persons-0-status": "safe",
        "persons-0-contact": "010-1234-5678",
        "persons-0-passport_number": "m12345678",
        "persons-1-name": "이지은",
        "persons-1-nationality": "kr",
        "persons-1-status": "injured",
        "persons-2-name": "",
        "persons-2-nationality": "KR",
        "persons-2-status": "unknown",
        "callers-TOTAL_FORMS": "1",
        "callers-INITIAL_FORMS": "0",
        "callers-MIN_NUM_FORMS": "0",
        "callers-MAX_NUM_FORMS": "20",
        "callers-0-name": "김영희",
        "callers-0-phone": "+82 10 9876 5432",
        "callers-0-relation": "mother",
    }
    data.update(overrides)
    return data


@pytest.fixture
def browser_client(client):  # type: ignore[no-untyped-def]
    def login(user):  # type: ignore[no-untyped-def]
        client.force_login(user)
        return client

    return login


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "mission", "start"),
    [
        (Role.OPERATOR, None, "/cases/"),
        (Role.DUTY_OFFICER, None, "/duty/"),
        (Role.MISSION_STAFF, "emb-th-bangkok", "/inbox/"),
        (Role.PRESENTER, None, "/maps/"),
        (Role.ADMIN, None, "/admin/"),
    ],
)
def test_landing_sends_each_role_to_its_start_page(client, make_user, role, mission, start):
    user = make_user(role, mission, is_staff=role == Role.ADMIN)
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == start


@pytest.mark.django_db
def test_login_form_logs_in_and_lands_on_the_start_page(client, make_user):
    make_user(Role.MISSION_STAFF, "emb-th-bangkok", username="bkk-staff")
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<label for="id_username">' in html and '<label for="id_password">' in html
    response = client.post("/accounts/login/", {"username": "bkk-staff", "password": "correct-horse-battery"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/")["Location"] == "/inbox/"
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/inbox/").status_code == 302  # back to the login page


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    for url in ("/", "/cases/", "/cases/new/", "/inbox/", "/duty/", "/cases/OSC-2026-000001/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


@pytest.mark.django_db
def test_log_form_saves_case_in_place_local_time_with_several_persons(browser_client, operator):
    client = browser_client(operator)
    response = client.post("/cases/new/", log_form())
    assert response.status_code == 302, response.context and [
        response.context["form"].errors,
        [f.errors for f in response.context["persons"]],
        [f.errors for f in response.context["callers"]],
    ]
    incident = Incident.objects.get(reference=response["Location"].split("/")[2])
    assert incident.occurred_at.isoformat() == "2026-11-20T07:30:00+00:00"  # 14:30 in Bangkok (UTC+7)
    assert incident.responsible_mission.code == "emb-th-bangkok"
    assert incident.country.iso2 == "TH"
    persons = list(incident.persons.order_by("id"))
    assert [(p.name, p.status, p.nationality) for p in persons] == [
        ("김민수", "safe", "KR"),
        ("이지은", "injured", "KR"),
    ]
    assert persons[0].contact == "+821012345678" and persons[0].passport_number == "M12345678"
    assert incident.callers.get().phone == "+821098765432"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "주태국 대한민국 대사관" in html and "태국" in html
    assert "2026-11-20 16:30 KST" in html  # shown in the viewer's zone (Seoul by default), zone named


@pytest.mark.django_db
def test_log_form_korea_time_basis(browser_client, operator):
    response = browser_client(operator).post("/cases/new/", log_form(time_basis="kst"))
    incident = Incident.objects.get(reference=response["Location"].split("/")[2])
    assert incident.occurred_at.isoformat() == "2026-11-20T05:30:00+00:00"


@pytest.mark.django_db
def test_log_form_text_only_is_geocoded_and_read_in_the_place_time(browser_client, operator):
    response = browser_client(operator).post("/cases/new/", log_form(lat="", lon="", location_text="Pattaya"))
    incident = Incident.objects.get(reference=response["Location"].split("/")[2])
    assert incident.occurred_at.isoformat() == "2026-11-20T07:30:00+00:00"  # Asia/Bangkok, found from the text
    assert incident.country.iso2 == "TH" and incident.responsible_mission.code == "emb-th-bangkok"


@pytest.mark.django_db
def test_log_form_local_time_from_candidate_country_without_pin(browser_client, operator):
    response = browser_client(operator).post("/cases/new/", log_form(lat="", lon="", location_text="", country="JP"))
    incident = Incident.objects.get(reference=response["Location"].split("/")[2])
    assert incident.occurred_at.isoformat() == "2026-11-20T05:30:00+00:00"  # Asia/Tokyo, UTC+9


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"lon": ""}, "lon"),
        ({"lat": "91"}, "lat"),
        ({"severity": "9"}, "severity"),
        ({"category": "alien"}, "category"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"occurred_at": "2099-01-01T10:00"}, "occurred_at"),
        ({"summary": ""}, "summary"),
        ({"location_text": "", "lat": "", "lon": ""}, "location_text"),
        ({"location_text": "Xqzvw Qqjjk", "lat": "", "lon": ""}, "time_basis"),
        ({"country": "QQ"}, "country"),
    ],
)
def test_log_form_bad_input_saves_nothing(browser_client, operator, overrides, field):
    before = Incident.objects.count()
    response = browser_client(operator).post("/cases/new/", log_form(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Incident.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "formset", "field"),
    [
        ({"persons-0-contact": "12"}, "persons", "contact"),
        ({"persons-0-passport_number": "x!"}, "persons", "passport_number"),
        ({"persons-1-nationality": "ZZ"}, "persons", "nationality"),
        ({"callers-0-phone": "not a phone"}, "callers", "phone"),
    ],
)
def test_log_form_bad_person_or_caller_saves_nothing(browser_client, operator, overrides, formset, field):
    before = Incident.objects.count()
    response = browser_client(operator).post("/cases/new/", log_form(**overrides))
    assert response.status_code == 200
    assert any(field in form.errors for form in response.context[formset])
    assert Incident.objects.count() == before


@pytest.mark.django_db
def test_log_form_page_has_a_label_for_every_field(browser_client, operator):
    html = browser_client(operator).get("/cases/new/").content.decode()
    ids = set(re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html))
    ids = {i for i in ids if "__prefix__" not in i and not i.startswith("id_country")}
    ids -= {i for i in ids if re.search(r'type="hidden"[^>]*id="' + re.escape(i) + '"', html)}
    labelled = set(re.findall(r'<label for="([^"]+)"', html))
    assert "id_location_text" in ids and "id_persons-0-name" in ids
    assert ids - labelled == set()


@pytest.mark.django_db
def test_case_page_audits_reading_personal_data(browser_client, operator):
    incident = log_incident(reported_by=operator, lat=12.9276, lon=100.8771)
    client = browser_client(operator)
    client.post(
        f"/cases/{incident.reference}/persons/",
        {"new-name": "박서준", "new-nationality": "KR", "new-status": "missing"},
    )
    before = AuditEntry.objects.filter(object_ref=incident.reference).count()
    html = client.get(f"/cases/{incident.reference}/").content.decode()
    assert "박서준" in html
    assert AuditEntry.objects.filter(object_ref=incident.reference).count() == before + 1


@pytest.mark.django_db
def test_case_work_actions_go_on_the_timeline_with_who(browser_client, bangkok_staff, operator):
    incident = log_incident(reported_by=operator, lat=12.9276, lon=100.8771)
    client = browser_client(bangkok_staff)
    url = f"/cases/{incident.reference}"
    client.post(f"{url}/persons/", {"new-name": "박서준", "new-nationality": "KR", "new-status": "missing"})
    person = incident.persons.get()
    assert client.post(f"{url}/note/", {"text": "Called the police station"}).status_code == 302
    assert client.post(f"{url}/status/", {"status": "in_progress"}).status_code == 302
    assert client.post(f"{url}/persons/{person.pk}/status/", {"status": "safe", "note": "found"}).status_code == 302
    events = list(TimelineEvent.objects.filter(incident=incident).order_by("id").values_list("kind", "actor_id"))
    assert events[-4:] == [
        ("person_added", bangkok_staff.pk),
        ("note", bangkok_staff.pk),
        ("status_changed", bangkok_staff.pk),
        ("person_updated", bangkok_staff.pk),
    ]
    html = client.get(f"{url}/").content.decode()
    assert "Called the police station" in html
    assert "실종 → 안전 — found" in html  # the history, in the viewer's language
    assert bangkok_staff.username in html


@pytest.mark.django_db
def test_transfer_moves_the_case_and_the_old_mission_loses_it(browser_client, bangkok_staff, tokyo_staff, operator):
    incident = log_incident(reported_by=operator, lat=12.9276, lon=100.8771)
    client = browser_client(bangkok_staff)
    url = f"/cases/{incident.reference}/"
    refused = client.post(f"{url}transfer/", {"mission": "emb-jp-tokyo", "reason": ""})
    assert refused.status_code == 302
    incident.refresh_from_db()
    assert incident.responsible_mission.code == "emb-th-bangkok"
    done = client.post(f"{url}transfer/", {"mission": "emb-jp-tokyo", "reason": "The person is now in Tokyo"})
    assert done.status_code == 302 and done["Location"] == "/"
    incident.refresh_from_db()
    assert incident.responsible_mission.code == "emb-jp-tokyo"
    assert incident.routing_reason.startswith("manual:")
    assert client.get(url).status_code == 404
    client.force_login(tokyo_staff)
    assert "The person is now in Tokyo" in client.get(url).content.decode()


@pytest.mark.django_db
def test_other_mission_and_presenter_cannot_open_or_change_a_case(browser_client, tokyo_staff, presenter, operator):
    incident = log_incident(reported_by=operator, lat=12.9276, lon=100.8771)
    url = f"/cases/{incident.reference}/"
    client = browser_client(tokyo_staff)
    assert client.get(url).status_code == 404
    assert client.get("/cases/OSC-2026-999999/").status_code == 404  # same answer as a missing case
    assert client.post(f"{url}note/", {"text": "sneaky"}).status_code == 404
    assert client.post(f"{url}status/", {"status": "closed"}).status_code == 404
    assert client.post(f"{url}transfer/", {"mission": "emb-jp-tokyo", "reason": "mine"}).status_code == 404
    assert incident.reference not in client.get("/cases/").content.decode()
    assert incident.reference not in client.get("/inbox/").content.decode()
    client.force_login(presenter)
    assert client.get(url).status_code == 403
    assert client.get("/cases/").status_code == 403
    incident.refresh_from_db()
    assert incident.status == "open" and incident.responsible_mission.code == "emb-th-bangkok"
    assert not TimelineEvent.objects.filter(incident=incident, kind="note").exists()


@pytest.mark.django_db
def test_case_list_filters_search_and_open_first(browser_client, operator):
    closed = log_incident(reported_by=operator, lat=12.9276, lon=100.8771, summary="Old theft")
    Incident.objects.filter(pk=closed.pk).update(status="resolved")
    tokyo = log_incident(
        reported_by=operator, lat=35.68, lon=139.76, summary="Lost in Shinjuku", category="missing_person"
    )
    bangkok = log_incident(reported_by=operator, lat=13.75, lon=100.5, summary="Scam", location_text="Khao San Road")
    client = browser_client(operator)
    html = client.get("/cases/").content.decode()
    order = [html.index(i.reference) for i in (bangkok, tokyo, closed)]
    assert order == sorted(order)  # open first, newest first
    only_jp = client.get("/cases/", {"country": "jp"}).content.decode()
    assert tokyo.reference in only_jp and bangkok.reference not in only_jp
    by_category = client.get("/cases/", {"category": "missing_person"}).content.decode()
    assert tokyo.reference in by_category and bangkok.reference not in by_category
    by_mission = client.get("/cases/", {"mission": "emb-th-bangkok", "status": "open"}).content.decode()
    assert bangkok.reference in by_mission and closed.reference not in by_mission and tokyo.reference not in by_mission
    by_place = client.get("/cases/", {"q": "khao san"}).content.decode()
    assert bangkok.reference in by_place and tokyo.reference not in by_place
    by_ref = client.get("/cases/", {"q": tokyo.reference}).content.decode()
    assert tokyo.reference in by_ref and bangkok.reference not in by_ref
    period = client.get("/cases/", {"occurred_from": "2026-11-21"}).content.decode()
    assert tokyo.reference not in period
    partial = client.get("/cases/", {"partial": "1"}).content.decode()
    assert "<html" not in partial and bangkok.reference in partial


@pytest.mark.django_db
def test_case_list_query_count_does_not_grow_with_rows(browser_client, operator):
    client = browser_client(operator)
    log_incident(reported_by=operator, lat=12.9276, lon=100.8771)
    client.get("/cases/")
    with CaptureQueriesContext(connection) as few:
        client.get("/cases/")
    for _ in range(5):
        log_incident(reported_by=operator, lat=35.68, lon=139.76)
    with CaptureQueriesContext(connection) as many:
        client.get("/cases/")
    assert len(many) == len(few)


@pytest.mark.django_db
def test_inbox_lists_own_open_cases_and_duty_queue_the_unroutable(
    browser_client, bangkok_staff, duty_officer, operator
):
    mine = log_incident(reported_by=operator, lat=12.9276, lon=100.8771)
    lost = log_incident(reported_by=operator, location_text="somewhere unknown")
    assert lost.needs_review and lost.responsible_mission is None
    client = browser_client(bangkok_staff)
    inbox = client.get("/inbox/").content.decode()
    assert mine.reference in inbox and lost.reference not in inbox
    assert client.get("/duty/").status_code == 403
    client.force_login(duty_officer)
    queue = client.get("/duty/").content.decode()
    assert lost.reference in queue and mine.reference not in queue
    assert client.get("/inbox/").status_code == 403


@pytest.mark.django_db
def test_language_switch_and_korean_default(browser_client, operator):
    client = browser_client(operator)
    assert "사건 접수" in client.get("/cases/new/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/cases/new/"})
    html = client.get("/cases/new/").content.decode()
    assert "Log a case" in html and "사건 접수" not in html
    assert '<html lang="en">' in html


@pytest.mark.django_db
def test_time_zone_switch_shows_times_in_the_chosen_zone(browser_client, operator):
    incident = log_incident(reported_by=operator, lat=12.9276, lon=100.8771)  # 2026-11-20 09:30 UTC
    client = browser_client(operator)
    assert client.post("/prefs/timezone/", {"timezone": "Not/AZone"}).status_code == 400
    response = client.post("/prefs/timezone/", {"timezone": "America/New_York", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    html = client.get(f"/cases/{incident.reference}/").content.decode()
    assert "2026-11-20 04:30 EST" in html
    assert "America/New_York" in html


@pytest.mark.django_db
def test_inbox_shows_alerts_unacknowledged_first_and_acknowledges_in_one_click(browser_client, bangkok_staff, operator):
    older = log_incident(reported_by=operator, lat=12.9276, lon=100.8771, summary="First case")
    newer = log_incident(reported_by=operator, lat=13.75, lon=100.5, summary="Second case", severity=4)
    first_alert = older.alerts.get()
    client = browser_client(bangkok_staff)
    client.post(f"/alerts/{first_alert.public_id}/acknowledge/", {"next": "/inbox/"})
    html = client.get("/inbox/").content.decode()
    assert html.index(newer.reference) < html.index(older.reference)  # unacknowledged first
    assert "min left" in html or "분 남음" in html
    alert = newer.alerts.get()
    response = client.post(f"/alerts/{alert.public_id}/acknowledge/", {"next": "/inbox/"})
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    alert.refresh_from_db()
    newer.refresh_from_db()
    assert alert.acknowledged_by == bangkok_staff and alert.acknowledged_via == "inbox"
    assert newer.acknowledged_at is not None
    again = client.post(f"/alerts/{alert.public_id}/acknowledge/", {"next": "https://evil.example/"})
    assert again["Location"] == "/"  # idempotent, and no open redirect
    client.force_login(operator)
    page = client.get(f"/cases/{newer.reference}/").content.decode()
    assert bangkok_staff.username in page and 'id="case-ack"' in page
    assert TimelineEvent.objects.filter(incident=newer, kind="acknowledged").count() == 1


@pytest.mark.django_db
def test_other_mission_cannot_open_or_acknowledge_the_alert(browser_client, tokyo_staff, operator):
    incident = log_incident(reported_by=operator, lat=12.9276, lon=100.8771)
    alert = incident.alerts.get()
    client = browser_client(tokyo_staff)
    assert client.get(f"/alerts/{alert.public_id}/").status_code == 404
    assert client.post(f"/alerts/{alert.public_id}/acknowledge/").status_code == 404
    assert str(alert.public_id) not in client.get("/inbox/").content.decode()
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


@pytest.mark.django_db
def test_case_page_shows_alerts_with_deliveries_per_channel(browser_client, bangkok_staff, operator):
    incident = log_incident(reported_by=operator, lat=12.9276, lon=100.8771)
    alert = incident.alerts.get()
    client = browser_client(bangkok_staff)
    page = client.get(f"/cases/{incident.reference}/").content.decode()
    assert f'data-alert="{alert.public_id}"' in page
    for delivery in alert.deliveries.all():
        assert delivery.get_kind_display() in page or delivery.kind in page
    assert "alert-acknowledge-page" not in page and f"/alerts/{alert.public_id}/acknowledge/" in page
    client.force_login(operator)  # operators follow cases but do not acknowledge for a mission
    assert f"/alerts/{alert.public_id}/acknowledge/" not in client.get(f"/cases/{incident.reference}/").content.decode()


@pytest.mark.django_db
def test_duty_queue_shows_hq_alerts_of_unroutable_cases(browser_client, duty_officer, operator):
    lost = log_incident(reported_by=operator, location_text="somewhere unknown")
    alert = lost.alerts.get()
    assert alert.mission is None
    client = browser_client(duty_officer)
    html = client.get("/duty/").content.decode()
    assert f'data-alert="{alert.public_id}"' in html
    client.post(f"/alerts/{alert.public_id}/acknowledge/", {"next": "/duty/"})
    alert.refresh_from_db()
    assert alert.acknowledged_by == duty_officer


@pytest.mark.django_db
def test_transfer_alerts_the_new_mission(browser_client, bangkok_staff, operator):
    incident = log_incident(reported_by=operator, lat=12.9276, lon=100.8771)
    client = browser_client(bangkok_staff)
    client.post(f"/cases/{incident.reference}/transfer/", {"mission": "emb-jp-tokyo", "reason": "Now in Tokyo"})
    alerts = {a.mission.code: a for a in incident.alerts.select_related("mission")}
    assert set(alerts) == {"emb-th-bangkok", "emb-jp-tokyo"}
    assert alerts["emb-th-bangkok"].escalation_token == ""  # superseded: no longer escalates
    assert alerts["emb-jp-tokyo"].escalation_token != ""


@pytest.mark.django_db
def test_pages_reference_only_local_assets(browser_client, operator, bangkok_staff):
    incident = log_incident(reported_by=operator, lat=12.9276, lon=100.8771)
    client = browser_client(operator)
    pages = [client.get(url).content.decode() for url in ("/cases/", "/cases/new/", f"/cases/{incident.reference}/")]
    client.force_login(bangkok_staff)
    pages.append(client.get("/inbox/").content.decode())
    for html in pages:
        links = re.findall(r'(?:src|href|action)="([^"]+)"', html)
        assert links and all(link.startswith(("/", "#", "?", "data:")) for link in links), links
    assert '/static/vendor/leaflet/dist/leaflet.js"' in pages[1]


@pytest.mark.django_db
def test_pin_correction_routes_again_and_goes_on_the_timeline(browser_client, bangkok_staff, operator):
    incident = log_incident(reported_by=operator, lat=12.9276, lon=100.8771)
    client = browser_client(operator)
    url = f"/cases/{incident.reference}/"
    assert 'name="pin-lat"' in client.get(url).content.decode()
    assert client.post(f"{url}pin/", {"pin-lat": "95", "pin-lon": "100"}).status_code == 302
    incident.refresh_from_db()
    assert incident.location.y == pytest.approx(12.9276)  # refused: nothing changed
    assert client.post(f"{url}pin/", {"pin-lat": "35.6895", "pin-lon": "139.6917"}).status_code == 302
    incident.refresh_from_db()
    assert incident.responsible_mission.code == "emb-jp-tokyo"
    assert incident.geocode_source == "manual"
    assert TimelineEvent.objects.filter(incident=incident, kind="located", actor=operator).exists()
    client.force_login(bangkok_staff)
    assert client.get(url).status_code == 404
