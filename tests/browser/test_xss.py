"""Hostile text in every field a user can enter, shown in Chromium: nothing runs.

Each payload sets `window.__xss` (and opens a dialog) if the browser ever runs it: a script tag,
an image with onerror, a javascript: link. The pages where the text lands are opened in Debian's
Chromium (CSP there still allows inline scripts, so escaping is what stops them): the case page,
the mission inbox, the dashboard, and the alert e-mail the alert code builds.
"""

from datetime import UTC, datetime

import pytest

from incidents.alerts.messages import email_compose
from incidents.alerts.models import Alert
from incidents.services import CallerInput, PersonInput, incident_reassign, note_add, person_status_change
from missions.models import Mission
from safety.advisories.models import Advisory
from safety.advisories.services import advisory_create
from safety.auth.roles import Role
from tests.factories import log_incident

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAYLOAD = '"><script>__xss=1</script><img src=x onerror=__xss=1;alert(1)><a href=javascript:__xss=1>j</a>'
LINK = "javascript:__xss=1"
POISONED = ("emb-th-bangkok", "emb-jp-tokyo")


@pytest.fixture
def poisoned_missions(transactional_db):  # type: ignore[no-untyped-def]
    """Mission names and cities as an administrator could type them; restored afterwards."""
    saved = list(Mission.objects.filter(code__in=POISONED).values("pk", "name_en", "name_ko", "city"))
    Mission.objects.filter(code__in=POISONED).update(name_en=f"E{PAYLOAD}", name_ko=f"K{PAYLOAD}", city=PAYLOAD)
    yield
    for row in saved:
        Mission.objects.filter(pk=row.pop("pk")).update(**row)


@pytest.fixture
def hostile_advisory(transactional_db):  # type: ignore[no-untyped-def]
    advisory = advisory_create(country_iso2="TH", level="2", valid_from=datetime(2026, 1, 1, tzinfo=UTC), note=PAYLOAD)
    yield advisory
    Advisory.objects.filter(pk=advisory.pk).delete()


def _trap(page) -> list[str]:  # type: ignore[no-untyped-def]
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return dialogs


def _assert_inert(page, dialogs: list[str], where: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # let any onerror fire
    assert page.evaluate("() => window.__xss") is None, where
    assert dialogs == [], where
    assert page.locator("a[href^='javascript:' i]").count() == 0, where
    assert page.locator("img[src='x']").count() == 0, where


def test_hostile_text_runs_nowhere(open_session, browser_user, poisoned_missions, hostile_advisory):
    operator = browser_user(Role.OPERATOR)
    tokyo = browser_user(Role.MISSION_STAFF, "emb-jp-tokyo")
    presenter = browser_user(Role.PRESENTER)
    incident = log_incident(
        reported_by=operator,
        lat=12.9276,
        lon=100.8771,
        summary=PAYLOAD,
        description=f"{PAYLOAD}\n{LINK}",
        location_text=PAYLOAD,
        persons=[PersonInput(name=PAYLOAD, passport_number="M12345678", contact="+821012345678")],
        callers=[CallerInput(name=PAYLOAD, phone="+821098765432", relation=PAYLOAD)],
    )
    note_add(incident=incident, actor=operator, text=PAYLOAD)
    person_status_change(person=incident.persons.get(), actor=operator, status="injured", note=PAYLOAD)
    incident = incident_reassign(
        incident=incident, actor=operator, mission=Mission.objects.get(code="emb-jp-tokyo"), reason=PAYLOAD
    )

    case_session = open_session()
    case_session.login(operator.username)
    page = case_session.page
    dialogs = _trap(page)
    page.goto(f"/cases/{incident.reference}/")
    _assert_inert(page, dialogs, "case page")
    assert page.locator("h1").first.inner_text()  # the page rendered
    assert PAYLOAD in page.locator("body").inner_text()  # shown as text, not markup
    with page.expect_navigation():
        page.locator("button.reveal").first.click()  # the audited reveal renders the clear values as text too
    assert "*" not in page.locator("td[data-field=passport_number]").first.inner_text()
    _assert_inert(page, dialogs, "case page, revealed")
    page.goto("/cases/")
    _assert_inert(page, dialogs, "case list")

    inbox_session = open_session()
    inbox_session.login(tokyo.username)
    page = inbox_session.page
    dialogs = _trap(page)
    page.goto("/inbox/")
    _assert_inert(page, dialogs, "inbox")
    assert incident.reference in page.content() and PAYLOAD in page.locator("body").inner_text()
    alert = Alert.objects.get(incident=incident, mission__code="emb-jp-tokyo")
    page.goto(f"/alerts/{alert.public_id}/")
    _assert_inert(page, dialogs, "alert page")

    dashboard_session = open_session()
    dashboard_session.login(presenter.username)
    page = dashboard_session.page
    dialogs = _trap(page)
    page.goto("/maps/")
    _assert_inert(page, dialogs, "dashboard")
    assert PAYLOAD in page.locator("body").inner_text()  # the hostile mission name, as text
    exported = page.request.get("/maps/export.html")  # a download: opened as the room opens the file
    assert exported.ok
    page.set_content(exported.text())
    _assert_inert(page, dialogs, "dashboard export")


def test_alert_email_shows_hostile_text_as_text(chromium, browser_user, poisoned_missions):
    """The alert e-mail is plain text only (no HTML part a mail client could run); opened in Chromium
    as a mail client shows it, nothing runs."""
    operator = browser_user(Role.OPERATOR)
    incident = log_incident(reported_by=operator, lat=12.9276, lon=100.8771, summary=PAYLOAD, location_text=PAYLOAD)
    alert = Alert.objects.get(incident=incident, mission__code="emb-th-bangkok")
    subject, body = email_compose(alert=alert, recipient="duty@emb-th.example")
    assert PAYLOAD in body
    context = chromium.new_context()
    try:
        page = context.new_page()
        dialogs = _trap(page)
        page.route(
            "http://mail.invalid/message",
            lambda route: route.fulfill(
                status=200, content_type="text/plain; charset=utf-8", body=f"{subject}\n\n{body}"
            ),
        )
        page.goto("http://mail.invalid/message")
        _assert_inert(page, dialogs, "alert e-mail")
        assert PAYLOAD in page.locator("body").inner_text()
    finally:
        context.close()


def test_the_trap_catches_a_payload_that_runs(chromium):
    """The checks above could fail: the same payload, unescaped, is caught."""
    context = chromium.new_context()
    try:
        page = context.new_page()
        dialogs = _trap(page)
        page.set_content(f"<p>{PAYLOAD}</p>")
        page.wait_for_timeout(300)
        assert page.evaluate("() => window.__xss") == 1 and dialogs == ["1"]
    finally:
        context.close()
