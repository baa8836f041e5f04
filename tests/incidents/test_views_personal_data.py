"""The case page masks personal data until an explicit, audited reveal; it shows travel advisories."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client

from incidents.models import EventKind, TimelineEvent
from incidents.services import CallerInput, PersonInput
from safety.advisories.models import Advisory
from safety.geo.models import Country
from safety.models import AuditAction, AuditEntry
from tests.factories import log_incident

PASSPORT = "M98765432"
PHONE = "+821055554444"


@pytest.fixture
def case(operator):  # type: ignore[no-untyped-def]
    return log_incident(
        reported_by=operator,
        lat=12.9276,
        lon=100.8771,
        persons=[PersonInput(name="박지성", passport_number=PASSPORT, contact=PHONE, date_of_birth=date(1990, 5, 17))],
        callers=[CallerInput(name="박부모", phone="+821077778888", relation="parent")],
    )


def page_client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_case_page_masks_passport_birth_date_and_phones(case, operator):
    html = page_client(operator).get(f"/cases/{case.reference}/").content.decode()
    assert "박지성" in html
    assert PASSPORT not in html and "M9876****" in html
    assert "1990-05-17" not in html and "****-**-**" in html
    assert "5555" not in html and "4444" in html
    assert "+821077778888" not in html and "7777" not in html
    assert not AuditEntry.objects.filter(case_ref=case.reference, action=AuditAction.REVEAL).exists()


@pytest.mark.django_db
def test_reveal_shows_one_person_in_clear_audited_and_on_the_timeline(case, operator):
    person = case.persons.get()
    client = page_client(operator)
    assert client.get(f"/cases/{case.reference}/persons/{person.pk}/reveal/").status_code == 405
    html = client.post(f"/cases/{case.reference}/persons/{person.pk}/reveal/").content.decode()
    assert PASSPORT in html and "1990-05-17" in html and PHONE in html
    assert "+821077778888" not in html
    entry = AuditEntry.objects.get(case_ref=case.reference, action=AuditAction.REVEAL)
    assert entry.actor == operator and entry.object_ref == f"person:{person.pk}"
    assert TimelineEvent.objects.filter(incident=case, kind=EventKind.PERSONAL_DATA_READ, actor=operator).count() == 1
    caller = case.callers.get()
    html = client.post(f"/cases/{case.reference}/callers/{caller.pk}/reveal/").content.decode()
    assert "+821077778888" in html and PASSPORT not in html


@pytest.mark.django_db
def test_reveal_by_another_mission_is_not_found_and_leaves_no_trace(case, tokyo_staff, presenter):
    person = case.persons.get()
    for user in (tokyo_staff, presenter):
        response = page_client(user).post(f"/cases/{case.reference}/persons/{person.pk}/reveal/")
        assert response.status_code in (403, 404)
        assert PASSPORT not in response.content.decode()
    assert not AuditEntry.objects.filter(case_ref=case.reference, action=AuditAction.REVEAL).exists()
    assert page_client(tokyo_staff).post(f"/cases/{case.reference}/persons/999999/reveal/").status_code == 404


@pytest.mark.django_db
def test_case_page_shows_the_travel_advisory_in_force(case, operator):
    now = datetime.now(tz=UTC)
    thailand = Country.objects.get(iso2="TH")
    Advisory.objects.create(country=thailand, level="2", valid_from=now - timedelta(days=1), note="Southern provinces")
    Advisory.objects.create(
        country=thailand, level="4", valid_from=now - timedelta(days=10), valid_to=now - timedelta(days=5)
    )
    html = page_client(operator).get(f"/cases/{case.reference}/").content.decode()
    advisory = html.split('id="case-advisory"')[1].split("</dd>")[0]
    assert "Level 2" in advisory and "Southern provinces" in advisory
    assert "Level 4" not in advisory
