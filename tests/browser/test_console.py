"""The operator console, the mission inbox and case work in a real browser (Chromium via Playwright)."""

import re
import time

import pytest

from incidents.models import Incident
from safety.auth.roles import Role
from tests.browser.conftest import wait_until
from tests.factories import log_incident

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BANGKOK = "emb-th-bangkok"


def log_pattaya_case(session) -> str:  # type: ignore[no-untyped-def]
    """Log a case with the keyboard: type 파타야, take the first suggestion; returns the reference."""
    page = session.page
    page.goto("/cases/new/")
    page.wait_for_function("() => window.L !== undefined && document.querySelector('#map .leaflet-pane')")
    started = time.monotonic()
    page.locator("#id_category").focus()
    page.keyboard.press("ArrowDown")  # the first category: 범죄 (crime)
    page.locator("#id_severity").focus()
    page.keyboard.type("3")
    page.locator("#id_occurred_at").fill("2026-11-20T14:30")
    page.locator("#id_location_text").focus()
    page.keyboard.type("파타야", delay=40)
    first = page.locator("#location-candidates [role=option]").first
    first.wait_for(state="visible")
    assert first.get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#id_lat').value !== ''")
    assert page.locator("#id_country").input_value() == "TH"
    page.locator("#id_summary").focus()
    page.keyboard.type("여권 도난 (해변)")
    page.locator("#id_persons-0-name").focus()
    page.keyboard.type("김민수")
    page.locator("#id_persons-1-name").focus()
    page.keyboard.type("이지은")
    page.locator("#id_callers-0-name").focus()
    page.keyboard.type("김영희")
    page.keyboard.press("Tab")
    page.keyboard.type("010-9876-5432")
    session.shot("01-case-log-filled")
    page.locator("#case-log-form button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/cases/OSC-\d{4}-\d{6,}/$"))
    assert Incident.objects.filter(reference=page.url.rstrip("/").rsplit("/", 1)[-1], category="crime").exists()
    print(f"keyboard-only case logging took {time.monotonic() - started:.1f} s (goal: well under 60 s)")
    return page.url.rstrip("/").rsplit("/", 1)[-1]


def test_operator_logs_a_case_by_typing_pattaya(open_session, browser_user):
    operator = browser_user(Role.OPERATOR)
    session = open_session()
    session.login(operator.username)
    assert session.page.url.endswith("/cases/")
    reference = log_pattaya_case(session)
    page = session.page
    assert "태국" in page.locator("#case-country").inner_text()
    assert "주태국 대한민국 대사관" in page.locator("#case-mission").inner_text()
    incident = Incident.objects.select_related("responsible_mission", "country").get(reference=reference)
    assert incident.country.iso2 == "TH"
    assert incident.responsible_mission.code == BANGKOK
    assert incident.occurred_at.isoformat() == "2026-11-20T07:30:00+00:00"  # 14:30 in Pattaya (UTC+7)
    assert incident.persons.count() == 2 and incident.callers.get().phone == "+821098765432"
    assert page.locator(".leaflet-marker-icon").count() == 1
    session.shot("02-case-page")


def test_other_mission_cannot_open_the_case(open_session, browser_user):
    operator = browser_user(Role.OPERATOR)
    tokyo = browser_user(Role.MISSION_STAFF, "emb-jp-tokyo")
    incident = log_incident(reported_by=operator, lat=12.9276, lon=100.8771)
    session = open_session()
    session.login(tokyo.username)
    assert session.page.url.endswith("/inbox/")
    assert incident.reference not in session.page.content()
    response = session.page.goto(f"/cases/{incident.reference}/")
    assert response.status == 404
    assert incident.summary not in session.page.content()
    session.page.goto(f"/cases/?q={incident.reference}")
    assert incident.reference not in session.page.locator("#case-table").inner_text()
    session.shot("03-other-mission-404")


def test_pages_make_no_request_outside_the_local_server(open_session, browser_user):
    operator = browser_user(Role.OPERATOR)
    duty = browser_user(Role.DUTY_OFFICER)
    staff = browser_user(Role.MISSION_STAFF, BANGKOK)
    incident = log_incident(reported_by=operator, lat=12.9276, lon=100.8771)
    log_incident(reported_by=operator, location_text="nowhere known")
    session = open_session()
    session.login(operator.username)
    page = session.page
    page.goto("/cases/new/")
    page.locator("#id_location_text").press_sequentially("Pattaya", delay=30)
    page.wait_for_timeout(800)
    page.goto(f"/cases/{incident.reference}/")
    page.wait_for_function("() => document.querySelector('#map path.leaflet-interactive, #map svg path')")
    session.shot("04-case-page-basemap")
    page.goto("/cases/")
    assert page.locator("h1").first.inner_text().startswith("사건 목록")
    page.select_option("#pref-language", "en")  # the language switch
    page.get_by_role("button", name="변경").click()
    page.wait_for_load_state()
    assert page.locator("h1").first.inner_text().startswith("Cases")
    session.shot("05-case-list-en")
    duty_session = open_session()
    duty_session.login(duty.username)
    assert duty_session.page.url.endswith("/duty/")
    duty_session.shot("06-duty-queue")
    staff_session = open_session()
    staff_session.login(staff.username)
    assert staff_session.page.url.endswith("/inbox/")
    staff_session.shot("07-inbox")
    requested = session.requests + duty_session.requests + staff_session.requests
    assert any("/static/vendor/leaflet/dist/leaflet.js" in url for url in requested)
    assert any("/geo/basemap.geojson" in url for url in requested)
    assert any("/api/geocode/" in url for url in requested)
    # the open_session fixture asserts at teardown that none of these left the local server


def test_embassy_staff_acknowledge_in_the_inbox_and_the_operator_sees_it(
    open_session, browser_user, celery_worker_process
):
    operator = browser_user(Role.OPERATOR)
    staff = browser_user(Role.MISSION_STAFF, BANGKOK)
    desk = open_session()
    desk.login(operator.username)
    page = desk.page
    page.goto("/cases/new/")
    page.locator("#id_category").select_option("accident")
    page.locator("#id_severity").select_option("4")
    page.locator("#id_occurred_at").fill("2026-11-20T09:05")
    page.locator("#id_location_text").fill("Sukhumvit Soi 11, Bangkok")
    page.locator("#id_lat").fill("13.74230")  # the pin typed in, the keyboard way to place it
    page.locator("#id_lon").fill("100.55640")
    page.locator("#id_lon").press("Tab")
    page.locator("#id_summary").fill("교통사고, 2명 부상")
    page.locator("#id_persons-0-name").fill("박서준")
    page.locator("#id_persons-0-status").select_option("injured")
    page.locator("#case-log-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/cases/OSC-\d{4}-\d{6,}/$"))
    reference = page.url.rstrip("/").rsplit("/", 1)[-1]
    incident = Incident.objects.get(reference=reference)
    assert incident.responsible_mission.code == BANGKOK
    alert = incident.alerts.get()
    inbox_delivery = alert.deliveries.get(kind="inbox")
    delivered = wait_until(
        lambda: type(inbox_delivery).objects.filter(pk=inbox_delivery.pk, status="delivered").exists(), timeout_s=60
    )
    assert delivered, "the celery worker did not deliver the alert to the inbox"

    embassy = open_session()
    embassy.login(staff.username)
    assert embassy.page.url.endswith("/inbox/")
    row = embassy.page.locator(f'tr[data-alert="{alert.public_id}"]')
    assert reference in row.inner_text()
    assert re.search(r"\d+분 남음", row.inner_text())  # time left before escalation
    embassy.shot("08-inbox-alert")
    row.get_by_role("button", name=re.compile("확인")).click()
    embassy.page.wait_for_load_state()
    row = embassy.page.locator(f'tr[data-alert="{alert.public_id}"]')
    assert staff.username in row.locator(".ack-state").inner_text()
    embassy.shot("09-inbox-acknowledged")
    embassy.page.goto(f"/alerts/{alert.public_id}/")
    assert staff.username in embassy.page.locator(".ack-state").inner_text()
    embassy.shot("09b-alert-page")

    page.reload()
    assert "아직" not in page.locator("#case-ack").inner_text()
    alert_row = page.locator(f'tr[data-alert="{alert.public_id}"]')
    assert staff.username in alert_row.locator(".ack-state").inner_text()
    assert "수신함: 전달됨" in alert_row.inner_text()  # the inbox delivery, made by the worker
    assert "확인" in page.locator(".timeline").inner_text()
    desk.shot("10-case-page-acknowledged")
    alert.refresh_from_db()
    assert alert.acknowledged_by == staff and alert.acknowledged_via == "inbox"


def test_other_mission_cannot_open_the_alert(open_session, browser_user):
    operator = browser_user(Role.OPERATOR)
    tokyo = browser_user(Role.MISSION_STAFF, "emb-jp-tokyo")
    incident = log_incident(reported_by=operator, lat=12.9276, lon=100.8771)
    alert = incident.alerts.get()
    session = open_session()
    session.login(tokyo.username)
    assert str(alert.public_id) not in session.page.content()
    assert session.page.goto(f"/alerts/{alert.public_id}/").status == 404
    assert session.page.goto(f"/api/alerts/{alert.public_id}/").status == 404
    status = session.page.evaluate(
        """async (url) => {
            const token = document.cookie.split('; ').find(c => c.startsWith('csrftoken='))?.split('=')[1];
            const r = await fetch(url, {method: 'POST', headers: {'X-CSRFToken': token}, credentials: 'same-origin'});
            return r.status;
        }""",
        f"/alerts/{alert.public_id}/acknowledge/",
    )
    assert status == 404
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_log_form_fields_are_labelled_and_focus_is_visible(open_session, browser_user):
    operator = browser_user(Role.OPERATOR)
    session = open_session()
    session.login(operator.username)
    page = session.page
    page.goto("/cases/new/")
    page.locator("[data-formset-add=persons]").click()  # a row added by the script is labelled too
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea')]
            .filter(el => el.type !== 'hidden' && el.offsetParent !== null)
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
            .map(el => el.name || el.id)"""
    )
    assert unlabelled == []
    assert page.evaluate("document.activeElement.id") == "id_persons-2-name"  # focus moved to the new row
    for selector in ("#id_category", "#id_location_text", "#case-log-form button[type=submit]"):
        page.locator(selector).focus()
        outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
        assert outline not in ("none", ""), selector


def test_map_click_places_the_pin_and_dragging_corrects_it(open_session, browser_user):
    operator = browser_user(Role.OPERATOR)
    session = open_session()
    session.login(operator.username)
    page = session.page
    page.goto("/cases/new/")
    page.wait_for_function("() => window.L !== undefined && document.querySelector('#map .leaflet-pane')")
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    first = (float(page.locator("#id_lat").input_value()), float(page.locator("#id_lon").input_value()))
    assert -90 <= first[0] <= 90 and -180 <= first[1] <= 180
    marker = page.locator(".leaflet-marker-icon").bounding_box()
    x, y = marker["x"] + marker["width"] / 2, marker["y"] + marker["height"] - 4
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 60, y + 40, steps=8)
    page.mouse.up()
    second = (float(page.locator("#id_lat").input_value()), float(page.locator("#id_lon").input_value()))
    assert second[0] < first[0] and second[1] > first[1]  # dragged south-east
    page.locator("#id_lat").fill("13.75")
    page.locator("#id_lon").fill("100.5")
    page.locator("#id_lon").dispatch_event("change")
    assert page.locator(".leaflet-marker-icon").count() == 1
