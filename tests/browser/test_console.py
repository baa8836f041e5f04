"""The operator console, the mission inbox and case work in a real browser (Chromium via Playwright)."""

import re
import time

import pytest

from incidents.models import Incident
from safety.roles import Role
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
    page.keyboard.type("범")  # select by typing: 범죄 (crime)
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
