"""Every browser page × every role: who gets what. Add a row to PAGES for each new page.

The same world as the API matrix (a case routed to Bangkok, with a person and a caller). Anonymous
visitors are sent to the login page; roles without the page get 403; another mission's case or
alert is a 404 identical to a missing one; no refused answer carries the case's personal data.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from incidents.alerts.links import ack_token_make
from safety.models import AuditEntry
from tests.security.test_access_matrix import MISSING, MISSING_UUID, PASSPORT, ROLES, World, world  # noqa: F401

PERSON_NAME = "김민수"
CALLER_NAME = "김영희"


@dataclass(frozen=True)
class Page:
    name: str
    method: str
    path: Callable[[World], str]
    expected: dict[str, int]
    body: Callable[[World], dict[str, Any]] = field(default=lambda w: {})
    missing_path: Callable[[World], str] | None = None
    audited: bool = True  # a signed-in write that is carried out leaves an audit entry by its user
    reveals: bool = False  # the audited reveal action: its 200 answer holds the clear passport or phone


def everyone(status: int) -> dict[str, int]:
    return {role: status for role in ROLES}


def signed_in(ok: int = 200) -> dict[str, int]:
    return {**everyone(ok), "anonymous": 302}


def case_workers(ok: int = 200) -> dict[str, int]:
    return {**signed_in(ok), "presenter": 403}


def case_access(ok: int = 200) -> dict[str, int]:
    """A page of one case: its workers get `ok`, another mission 404 (as if missing), presenters 403."""
    return {**case_workers(ok), "mission_staff_other": 404}


def alert_access(ok: int = 200) -> dict[str, int]:
    """A page of one alert of the Bangkok mission: that mission's staff, duty officers, admins."""
    return {**case_access(ok), "operator": 404}


def dashboard(ok: int = 200) -> dict[str, int]:
    return {**signed_in(ok), "mission_staff_own": 403, "mission_staff_other": 403}


def hq(ok: int = 200) -> dict[str, int]:
    return {**case_workers(ok), "mission_staff_own": 403, "mission_staff_other": 403}


def mission_staff_only(ok: int = 200) -> dict[str, int]:
    return {**hq(403), "mission_staff_own": ok, "mission_staff_other": ok}


def case(w: World, tail: str = "") -> str:
    return f"/cases/{w.incident.reference}/{tail}"


def missing_case(tail: str = "") -> Callable[[World], str]:
    return lambda w: f"/cases/{MISSING}/{tail}"


PAGES = [
    Page("landing", "get", lambda w: "/", everyone(302)),
    Page("no-role", "get", lambda w: "/no-role/", signed_in(403)),
    Page(
        "timezone-set",
        "post",
        lambda w: "/prefs/timezone/",
        everyone(302),
        body=lambda w: {"timezone": "Asia/Seoul"},
        audited=False,
    ),
    Page("case-list", "get", lambda w: "/cases/", case_workers()),
    Page("case-log", "get", lambda w: "/cases/new/", case_workers()),
    Page("case-page", "get", lambda w: case(w), case_access(), missing_path=missing_case()),
    Page(
        "case-note",
        "post",
        lambda w: case(w, "note/"),
        case_access(302),
        body=lambda w: {"text": "called back"},
        missing_path=missing_case("note/"),
    ),
    Page(
        "case-status",
        "post",
        lambda w: case(w, "status/"),
        case_access(302),
        body=lambda w: {"status": "in_progress"},
        missing_path=missing_case("status/"),
    ),
    Page(
        "case-transfer",
        "post",
        lambda w: case(w, "transfer/"),
        case_access(302),
        body=lambda w: {"mission": "emb-jp-tokyo", "reason": "now in Tokyo"},
        missing_path=missing_case("transfer/"),
    ),
    Page(
        "case-pin",
        "post",
        lambda w: case(w, "pin/"),
        case_access(302),
        body=lambda w: {"lat": "12.93", "lon": "100.88"},
        missing_path=missing_case("pin/"),
    ),
    Page(
        "case-person-add",
        "post",
        lambda w: case(w, "persons/"),
        case_access(302),
        body=lambda w: {"new-name": "이지은", "new-nationality": "KR", "new-status": "unknown"},
        missing_path=missing_case("persons/"),
    ),
    Page(
        "case-person-status",
        "post",
        lambda w: case(w, f"persons/{w.person_id}/status/"),
        case_access(302),
        body=lambda w: {"status": "safe", "note": "found"},
        missing_path=lambda w: f"/cases/{MISSING}/persons/{w.person_id}/status/",
    ),
    Page(
        "case-person-reveal",
        "post",
        lambda w: case(w, f"persons/{w.person_id}/reveal/"),
        case_access(200),
        missing_path=lambda w: f"/cases/{MISSING}/persons/{w.person_id}/reveal/",
        reveals=True,
    ),
    Page(
        "case-caller-reveal",
        "post",
        lambda w: case(w, f"callers/{w.caller_id}/reveal/"),
        case_access(200),
        missing_path=lambda w: f"/cases/{MISSING}/callers/{w.caller_id}/reveal/",
        reveals=True,
    ),
    Page("inbox", "get", lambda w: "/inbox/", mission_staff_only()),
    Page("duty-queue", "get", lambda w: "/duty/", hq()),
    Page(
        "alert-page",
        "get",
        lambda w: f"/alerts/{w.alert_id}/",
        alert_access(),
        missing_path=lambda w: f"/alerts/{MISSING_UUID}/",
    ),
    Page(
        "alert-acknowledge-page",
        "post",
        lambda w: f"/alerts/{w.alert_id}/acknowledge/",
        alert_access(302),
        missing_path=lambda w: f"/alerts/{MISSING_UUID}/acknowledge/",
    ),
    # The signed e-mail link: the signature is the key, whoever (if anyone) is signed in.
    Page(
        "alert-ack-link",
        "get",
        lambda w: f"/alerts/ack/{ack_token_make(alert_public_id=w.alert_id, recipient='a@b.example')}/",
        everyone(200),
    ),
    Page(
        "alert-ack-link-forged",
        "get",
        lambda w: f"/alerts/ack/{ack_token_make(alert_public_id=w.alert_id, recipient='a')}x/",
        everyone(400),
    ),
    Page("dashboard", "get", lambda w: "/maps/", dashboard()),
    Page("export-html", "get", lambda w: "/maps/export.html", dashboard()),
    Page("export-csv", "get", lambda w: "/maps/export.csv", dashboard()),
    Page("export-geojson", "get", lambda w: "/maps/export.geojson", dashboard()),
]

NOT_PAGES = ("api/", "admin/", "accounts/", "i18n/", "healthz", "geo/basemap.geojson")  # in the API matrix or Django's


def test_page_matrix_names_every_role():
    for page in PAGES:
        assert set(page.expected) == set(ROLES), page.name


def test_page_matrix_covers_every_page_route():
    """A new page without a row here fails this test."""
    from django.urls import get_resolver

    from tests.security.test_hostile_input import _views

    routes = {route for route, _ in _views(get_resolver()) if not route.startswith(NOT_PAGES)}
    covered = {
        "",
        "no-role/",
        "prefs/timezone/",
        "cases/",
        "cases/new/",
        "cases/<str:reference>/",
        "cases/<str:reference>/note/",
        "cases/<str:reference>/status/",
        "cases/<str:reference>/transfer/",
        "cases/<str:reference>/pin/",
        "cases/<str:reference>/persons/",
        "cases/<str:reference>/persons/<int:person_id>/status/",
        "cases/<str:reference>/persons/<int:person_id>/reveal/",
        "cases/<str:reference>/callers/<int:caller_id>/reveal/",
        "inbox/",
        "duty/",
        "alerts/<uuid:public_id>/",
        "alerts/<uuid:public_id>/acknowledge/",
        "alerts/ack/<str:token>/",
        "maps/",
        "maps/export.html",
        "maps/export.csv",
        "maps/export.geojson",
    }
    assert routes == covered, f"add these pages to PAGES: {sorted(routes - covered)}; gone: {sorted(covered - routes)}"


def _same(content: bytes, path: str) -> str:
    """The page with what legitimately differs between two requests taken out: the path asked for
    (the language switch returns there) and the per-request CSRF token."""
    text = content.decode().replace(path, "PATH")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", text)


def _call(client: Client, page: Page, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, body) if page.method == "post" else client.get(path)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_access(world: World, page: Page, role: str):  # noqa: F811
    client = Client()
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    body = page.body(world)
    response = _call(client, page, page.path(world), body)
    expected = page.expected[role]
    assert response.status_code == expected, (page.name, role, response.content[:300])
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode(errors="replace")
    if page.reveals and expected == 200:
        assert AuditEntry.objects.filter(actor=user, action="reveal").exists(), (page.name, role, "reveal not audited")
        assert page.name != "case-person-reveal" or PASSPORT in text
    else:
        assert PASSPORT not in text  # pages show passport numbers masked, except the audited reveal
    if expected >= 300:
        assert PERSON_NAME not in text and CALLER_NAME not in text and world.incident.summary not in text
    if role == "anonymous" and expected == 302 and page.name not in ("landing", "timezone-set"):
        assert response["Location"].startswith("/accounts/login/")
    if expected == 404 and page.missing_path is not None:
        missing = _call(client, page, page.missing_path(world), body)
        assert (missing.status_code, _same(missing.content, page.missing_path(world))) == (
            response.status_code,
            _same(response.content, page.path(world)),
        )
    if page.method == "post" and page.audited and expected == 302 and user is not None:
        assert AuditEntry.objects.filter(actor=user).exists(), (page.name, role, "write not audited")
    if page.name == "case-list" and expected == 200:
        assert (world.incident.reference in text) == (role != "mission_staff_other")
