"""Schemathesis against the OpenAPI schema served at /api/schema/, in the normal test run (bounded).

The schema is the one drf-spectacular serves; every operation is called in process through
Django's WSGI application as a Tokyo mission user (API token). Checks: no 5xx, responses and
content types as the schema says, and no response body ever names the Bangkok case (another
mission's district). Bounded by a few examples per operation and no Hypothesis deadline.
"""

from datetime import UTC, datetime

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from incidents.services import CallerInput, PersonInput
from safety.advisories.services import advisory_create
from safety.auth.roles import Role
from safety.auth.tokens import token_issue
from tests.factories import log_incident

EXAMPLES_PER_OPERATION = 12
BANGKOK_PASSPORT = "M98765432"

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = get_wsgi_application()


@pytest.fixture
def _connection_kept():  # type: ignore[no-untyped-def]
    """The WSGI handler closes the database connection after each request; Django's test client stops it
    doing so (the test's transaction lives on that connection), and so does this fixture for the raw app."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_world(make_user, _connection_kept):  # type: ignore[no-untyped-def]
    """A Tokyo staff token; a Tokyo case to read and work, and a Bangkok case that must never appear."""
    operator = make_user(Role.OPERATOR)
    tokyo = make_user(Role.MISSION_STAFF, "emb-jp-tokyo")
    bangkok_case = log_incident(
        reported_by=operator,
        lat=12.9276,
        lon=100.8771,
        summary="Bangkok-only summary",
        persons=[PersonInput(name="방콕사람", passport_number=BANGKOK_PASSPORT)],
        callers=[CallerInput(name="방콕전화", phone="+821011112222")],
    )
    assert bangkok_case.responsible_mission.code == "emb-th-bangkok"
    tokyo_case = log_incident(reported_by=operator, lat=35.6762, lon=139.6503, location_text="Shinjuku, Tokyo")
    assert tokyo_case.responsible_mission.code == "emb-jp-tokyo"
    advisory_create(country_iso2="JP", level="1", valid_from=datetime(2026, 1, 1, tzinfo=UTC))
    _, key = token_issue(user=tokyo, scope="write")
    return {
        "key": key,
        "secrets": [bangkok_case.reference, "Bangkok-only summary", "방콕사람", "방콕전화", BANGKOK_PASSPORT],
    }


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_conforms_to_its_schema(case, fuzz_world):  # type: ignore[no-untyped-def]
    response = case.call_and_validate(
        headers={"Authorization": f"Token {fuzz_world['key']}"},
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )
    body = response.content.decode(errors="replace")
    for secret in fuzz_world["secrets"]:
        assert secret not in body, (case.method, case.formatted_path, secret)
