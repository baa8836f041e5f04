"""Fixtures of the dashboard tests: hand-counted cases with personal data that must never show."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from incidents.models import Incident, Status
from incidents.services import CallerInput, PersonInput
from maps.shapes import map_shapes_ensure
from tests.factories import log_incident

PATTAYA = (12.9276, 100.8771)
TOKYO = (35.6895, 139.6917)
OSAKA = (34.6937, 135.5023)
NOV_20 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
PERIOD = {"period": "custom", "from": "2026-11-01", "to": "2026-11-30"}

PERSON_NAME = "홍길동 Testperson"
PASSPORT = "M98765432"
PERSON_PHONE = "+821055512345"
CALLER_NAME = "Callername Zedkowski"
CALLER_PHONE = "+12025550143"
SUMMARY = "Secret summary Quokka"
DESCRIPTION = "Description Wombat private"
PLACE_TEXT = "Soi Buakhao 17 Pattaya"
SECRETS = (
    PERSON_NAME,
    "Testperson",
    PASSPORT,
    PERSON_PHONE,
    "1055512345",
    CALLER_NAME,
    CALLER_PHONE,
    "2025550143",
    SUMMARY,
    DESCRIPTION,
    PLACE_TEXT,
)


@pytest.fixture(scope="session", autouse=True)
def map_shapes(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Country, admin-1 and district shapes built once in the test database (kept with --reuse-db)."""
    with django_db_blocker.unblock():
        map_shapes_ensure(admin1_countries=["JP"])


@dataclass
class Fixture:
    incidents: list[Incident]


def _case(user, where, *, category, severity, occurred, ack_min, status=Status.OPEN, **kwargs):  # type: ignore[no-untyped-def]
    incident = log_incident(
        reported_by=user,
        lat=where[0],
        lon=where[1],
        category=category,
        severity=severity,
        occurred_at=occurred,
        **kwargs,
    )
    acknowledged = occurred + timedelta(minutes=ack_min) if ack_min is not None else None
    closed = occurred + timedelta(days=1) if status == Status.CLOSED else None
    Incident.objects.filter(pk=incident.pk).update(
        created_at=occurred, acknowledged_at=acknowledged, status=status, closed_at=closed
    )
    incident.refresh_from_db()
    return incident


@pytest.fixture
def cases(operator) -> Fixture:  # type: ignore[no-untyped-def]
    """Seven cases in November 2026 (hand-counted in the tests), one a year before, one outside the period.

    Bangkok: crime sev2 acked 10/20/200 min, accident sev3 acked 30 min (deadline 30: on time).
    Tokyo: health sev4 acked 5 and 25 min (deadline 15), both closed. Osaka: crime sev1 never acked, open.
    """
    secret = {
        "summary": SUMMARY,
        "description": DESCRIPTION,
        "location_text": PLACE_TEXT,
        "persons": [PersonInput(name=PERSON_NAME, passport_number=PASSPORT, contact=PERSON_PHONE)],
        "callers": [CallerInput(name=CALLER_NAME, phone=CALLER_PHONE, relation="friend")],
    }
    made = [
        _case(operator, PATTAYA, category="crime", severity=2, occurred=NOV_20, ack_min=10, **secret),
        _case(operator, PATTAYA, category="crime", severity=2, occurred=NOV_20 + timedelta(hours=1), ack_min=20),
        _case(operator, PATTAYA, category="crime", severity=2, occurred=NOV_20 + timedelta(hours=2), ack_min=200),
        _case(operator, PATTAYA, category="accident", severity=3, occurred=NOV_20 - timedelta(days=9), ack_min=30),
        _case(operator, TOKYO, category="health", severity=4, occurred=NOV_20, ack_min=5, status=Status.CLOSED),
        _case(operator, TOKYO, category="health", severity=4, occurred=NOV_20, ack_min=25, status=Status.CLOSED),
        _case(operator, OSAKA, category="crime", severity=1, occurred=NOV_20, ack_min=None),
        _case(operator, PATTAYA, category="crime", severity=2, occurred=NOV_20.replace(year=2025), ack_min=15),
        _case(operator, TOKYO, category="crime", severity=2, occurred=datetime(2026, 10, 5, tzinfo=UTC), ack_min=15),
    ]
    return Fixture(incidents=made)
