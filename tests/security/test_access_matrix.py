"""Every endpoint × every role: who gets what. Add a row to ENDPOINTS for each new endpoint.

Roles: operator, mission staff of the case's mission (own) and of another (other), duty officer,
presenter, admin, anonymous. The case is routed to Bangkok. A 404 must be indistinguishable from
the 404 of a case that does not exist, and no refused answer may carry the case's personal data.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from rest_framework.test import APIClient

from incidents.alerts.models import Alert
from incidents.models import Incident
from incidents.services import CallerInput, PersonInput
from safety.advisories.services import advisory_create
from safety.auth.roles import Role
from safety.auth.tokens import token_issue
from safety.models import AuditEntry
from tests.factories import log_incident

ROLES = ["operator", "mission_staff_own", "mission_staff_other", "duty_officer", "presenter", "admin", "anonymous"]
CASE_WORKERS_ALL = {"operator": 200, "mission_staff_own": 200, "duty_officer": 200, "admin": 200}
PASSPORT = "M12345678"


@dataclass
class World:
    users: dict[str, Any]
    incident: Incident
    person_id: int
    caller_id: int
    foreign_token_id: str
    alert_id: str
    advisory_id: str


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: Callable[[World], str]
    expected: dict[str, int]
    body: Callable[[World], Any] = field(default=lambda w: None)
    missing_path: Callable[[World], str] | None = None  # the same endpoint on an object that does not exist
    audited: bool = True  # a signed-in write leaves an audit entry by its user (refused ones too)

    def status_for(self, role: str) -> int:
        return self.expected[role]


def case_access(ok: int = 200) -> dict[str, int]:
    """A case endpoint: the case's workers get `ok`, everyone else 'not found'; anonymous 401."""
    return {
        "operator": ok,
        "mission_staff_own": ok,
        "mission_staff_other": 404,
        "duty_officer": ok,
        "presenter": 404,
        "admin": ok,
        "anonymous": 401,
    }


def alert_access(ok: int = 200) -> dict[str, int]:
    """An alert of the case's mission: that mission's staff, duty officers and admins (operators work cases,
    not missions' inboxes); everyone else 'not found'; anonymous 401."""
    return {**case_access(ok), "operator": 404}


def dashboard_access(ok: int = 200) -> dict[str, int]:
    """Aggregates: presenters, operators, duty officers, admins; mission staff work their cases instead."""
    return {**signed_in(ok), "mission_staff_own": 403, "mission_staff_other": 403}


def admin_only(ok: int) -> dict[str, int]:
    return {**signed_in(403), "admin": ok}


def signed_in(ok: int = 200, anonymous: int = 401) -> dict[str, int]:
    return {role: (anonymous if role == "anonymous" else ok) for role in ROLES}


def case_workers(ok: int) -> dict[str, int]:
    return {**{role: ok for role in ROLES}, "presenter": 403, "anonymous": 401}


NEW_CASE = {
    "category": "crime",
    "severity": 2,
    "occurred_at": "2026-11-20T14:30:00+07:00",
    "summary": "Bag snatched",
    "country": "TH",
}
MISSING = "OSC-2026-999999"
MISSING_UUID = "00000000-0000-4000-8000-000000000000"
NEW_ADVISORY = {"country": "TH", "level": "2", "valid_from": "2026-11-01T00:00:00+00:00", "note": "caution"}

ENDPOINTS = [
    Endpoint("healthz", "get", lambda w: "/healthz", {role: 200 for role in ROLES}),
    Endpoint("basemap", "get", lambda w: "/geo/basemap.geojson", signed_in(anonymous=302)),
    Endpoint("schema", "get", lambda w: "/api/schema/", signed_in()),
    Endpoint("swagger", "get", lambda w: "/api/docs/", signed_in(anonymous=401)),
    Endpoint("me", "get", lambda w: "/api/me/", signed_in()),
    Endpoint(
        "token-obtain-bad-credentials",
        "post",
        lambda w: "/api/auth/token/",
        {role: 400 for role in ROLES},
        body=lambda w: {"username": "nobody", "password": "wrong"},
        audited=False,  # anonymous by design: audited as a failed login, without an actor
    ),
    Endpoint("token-list", "get", lambda w: "/api/auth/tokens/", signed_in()),
    Endpoint(
        "token-revoke-someone-elses",
        "post",
        lambda w: f"/api/auth/tokens/{w.foreign_token_id}/revoke/",
        {**signed_in(404), "admin": 200},
    ),
    Endpoint("incident-list", "get", lambda w: "/api/incidents/", case_workers(200)),
    Endpoint("incident-create", "post", lambda w: "/api/incidents/", case_workers(201), body=lambda w: NEW_CASE),
    Endpoint(
        "incident-detail",
        "get",
        lambda w: f"/api/incidents/{w.incident.reference}/",
        case_access(),
        missing_path=lambda w: f"/api/incidents/{MISSING}/",
    ),
    Endpoint(
        "incident-update",
        "patch",
        lambda w: f"/api/incidents/{w.incident.reference}/",
        case_access(),
        body=lambda w: {"severity": 3},
        missing_path=lambda w: f"/api/incidents/{MISSING}/",
    ),
    Endpoint(
        "incident-timeline",
        "get",
        lambda w: f"/api/incidents/{w.incident.reference}/timeline/",
        case_access(),
        missing_path=lambda w: f"/api/incidents/{MISSING}/timeline/",
    ),
    Endpoint(
        "person-reveal",
        "post",
        lambda w: f"/api/incidents/{w.incident.reference}/persons/{w.person_id}/reveal/",
        case_access(),
        missing_path=lambda w: f"/api/incidents/{MISSING}/persons/{w.person_id}/reveal/",
    ),
    Endpoint(
        "caller-reveal",
        "post",
        lambda w: f"/api/incidents/{w.incident.reference}/callers/{w.caller_id}/reveal/",
        case_access(),
        missing_path=lambda w: f"/api/incidents/{MISSING}/callers/{w.caller_id}/reveal/",
    ),
    Endpoint(
        "incident-location",
        "post",
        lambda w: f"/api/incidents/{w.incident.reference}/location/",
        case_access(),
        body=lambda w: {"lat": 12.93, "lon": 100.88},
        missing_path=lambda w: f"/api/incidents/{MISSING}/location/",
    ),
    Endpoint(
        "incident-mission",
        "post",
        lambda w: f"/api/incidents/{w.incident.reference}/mission/",
        case_access(),
        body=lambda w: {"mission": "emb-jp-tokyo", "reason": "the traveller is now in Tokyo"},
        missing_path=lambda w: f"/api/incidents/{MISSING}/mission/",
    ),
    Endpoint("alert-list", "get", lambda w: "/api/alerts/", case_workers(200)),
    Endpoint(
        "alert-detail",
        "get",
        lambda w: f"/api/alerts/{w.alert_id}/",
        alert_access(),
        missing_path=lambda w: f"/api/alerts/{MISSING_UUID}/",
    ),
    Endpoint(
        "alert-acknowledge",
        "post",
        lambda w: f"/api/alerts/{w.alert_id}/acknowledge/",
        alert_access(),
        missing_path=lambda w: f"/api/alerts/{MISSING_UUID}/acknowledge/",
    ),
    Endpoint(
        "alert-cap",
        "get",
        lambda w: f"/api/alerts/{w.alert_id}/cap.xml",
        alert_access(),
        missing_path=lambda w: f"/api/alerts/{MISSING_UUID}/cap.xml",
    ),
    Endpoint("geocode", "get", lambda w: "/api/geocode/?q=Pattaya", signed_in()),
    Endpoint("route", "get", lambda w: "/api/route/?lat=12.9276&lon=100.8771", signed_in()),
    Endpoint("dashboard-aggregates", "get", lambda w: "/api/dashboard/aggregates/", dashboard_access()),
    Endpoint("advisory-list", "get", lambda w: "/api/advisories/", signed_in()),
    Endpoint("advisory-create", "post", lambda w: "/api/advisories/", admin_only(201), body=lambda w: NEW_ADVISORY),
    Endpoint("advisory-detail", "get", lambda w: f"/api/advisories/{w.advisory_id}/", signed_in()),
    Endpoint(
        "advisory-update",
        "patch",
        lambda w: f"/api/advisories/{w.advisory_id}/",
        admin_only(200),
        body=lambda w: {"note": "avoid the border"},
    ),
    Endpoint("advisory-delete", "delete", lambda w: f"/api/advisories/{w.advisory_id}/", admin_only(204)),
]


@pytest.fixture
def world(make_user) -> World:  # type: ignore[no-untyped-def]
    users = {
        "operator": make_user(Role.OPERATOR),
        "mission_staff_own": make_user(Role.MISSION_STAFF, "emb-th-bangkok"),
        "mission_staff_other": make_user(Role.MISSION_STAFF, "emb-jp-tokyo"),
        "duty_officer": make_user(Role.DUTY_OFFICER),
        "presenter": make_user(Role.PRESENTER),
        "admin": make_user(Role.ADMIN, is_staff=True, is_superuser=True),
        "anonymous": None,
    }
    incident = log_incident(
        reported_by=users["operator"],
        lat=12.9276,
        lon=100.8771,
        persons=[PersonInput(name="김민수", passport_number=PASSPORT, contact="+821012345678")],
        callers=[CallerInput(name="김영희", phone="+821098765432")],
    )
    assert incident.responsible_mission.code == "emb-th-bangkok"
    outsider = make_user(Role.OPERATOR)
    token, _ = token_issue(user=outsider)
    alert = Alert.objects.get(incident=incident, mission__code="emb-th-bangkok")
    advisory = advisory_create(country_iso2="TH", level="2", valid_from=datetime(2026, 11, 1, tzinfo=UTC))
    return World(
        users=users,
        incident=incident,
        person_id=incident.persons.get().pk,
        caller_id=incident.callers.get().pk,
        foreign_token_id=str(token.public_id),
        alert_id=str(alert.public_id),
        advisory_id=str(advisory.public_id),
    )


def client_for(user: Any) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def test_matrix_names_every_role_for_every_endpoint():
    for endpoint in ENDPOINTS:
        assert set(endpoint.expected) == set(ROLES), endpoint.name


def test_matrix_covers_every_api_route():
    """A new API route without a row here fails this test."""
    from django.urls import get_resolver

    from tests.security.test_hostile_input import _views

    routes = {route for route, _ in _views(get_resolver()) if route.startswith("api/")}
    covered = {
        "api/schema/",
        "api/docs/",
        "api/auth/token/",
        "api/me/",
        "api/auth/tokens/",
        "api/auth/tokens/<uuid:public_id>/revoke/",
        "api/incidents/",
        "api/incidents/<str:reference>/",
        "api/incidents/<str:reference>/timeline/",
        "api/incidents/<str:reference>/persons/<int:person_id>/reveal/",
        "api/incidents/<str:reference>/callers/<int:caller_id>/reveal/",
        "api/incidents/<str:reference>/location/",
        "api/incidents/<str:reference>/mission/",
        "api/alerts/",
        "api/alerts/<str:public_id>/",
        "api/alerts/<str:public_id>/acknowledge/",
        "api/alerts/<str:public_id>/cap.xml",
        "api/geocode/",
        "api/route/",
        "api/dashboard/aggregates/",
        "api/advisories/",
        "api/advisories/<uuid:public_id>/",
    }
    assert routes == covered, f"add these routes to ENDPOINTS: {sorted(routes - covered)}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_access(world: World, endpoint: Endpoint, role: str):
    client = client_for(world.users[role])
    body = endpoint.body(world)
    call = getattr(client, endpoint.method)
    response = call(endpoint.path(world), body, format="json") if body is not None else call(endpoint.path(world))
    expected = endpoint.status_for(role)
    assert response.status_code == expected, (endpoint.name, role, response.content[:300])
    content = response.content.decode(errors="replace")
    if expected >= 300 or endpoint.name not in ("person-reveal",):
        assert PASSPORT not in content  # only an allowed reveal shows the clear passport number
    if expected == 404 and endpoint.missing_path is not None:
        missing = (
            call(endpoint.missing_path(world), body, format="json") if body else call(endpoint.missing_path(world))
        )
        assert (missing.status_code, missing.json()) == (response.status_code, response.json())
    user = world.users[role]
    if endpoint.method != "get" and endpoint.audited and user is not None:
        assert AuditEntry.objects.filter(actor=user).exists(), (endpoint.name, role, "write not audited")
    if endpoint.name == "incident-list" and expected == 200:
        refs = {row["reference"] for row in response.json()["results"]}
        assert (world.incident.reference in refs) == (role != "mission_staff_other")
