"""Masked personal data in case answers; the explicit reveal action, audited and on the timeline."""

import pytest

from incidents.models import TimelineEvent
from incidents.services import CallerInput, PersonInput
from safety.models import AuditEntry
from safety.privacy.masking import mask_date, mask_passport, mask_phone
from tests.factories import log_incident


@pytest.mark.parametrize(
    ("value", "masked"),
    [("M12345678", "M1234****"), ("AB123", "A****"), ("", ""), ("K1234567890123", "K1234*********")],
)
def test_mask_passport(value, masked):
    assert mask_passport(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("+821012345678", "+82 10-****-5678"),
        ("+12025550143", "+1 202-***-0143"),
        ("+66812345678", "+66 81 *** 5678"),
        ("", ""),
    ],
)
def test_mask_phone(value, masked):
    assert mask_phone(value) == masked


def test_mask_date():
    from datetime import date

    assert mask_date(date(1990, 1, 2)) == "****-**-**" and mask_date(None) is None


@pytest.fixture
def case(operator):  # type: ignore[no-untyped-def]
    from datetime import date

    return log_incident(
        reported_by=operator,
        lat=12.93,
        lon=100.88,
        persons=[
            PersonInput(
                name="김민수",
                date_of_birth=date(1988, 7, 14),
                passport_number="M12345678",
                contact="+821012345678",
                status="injured",
            )
        ],
        callers=[CallerInput(name="김영희", phone="+821098765432")],
    )


@pytest.mark.django_db
def test_detail_masks_personal_data(api, operator, case):
    body = api(operator).get(f"/api/incidents/{case.reference}/").json()
    person = body["persons"][0]
    assert person["passport_number"] == "M1234****"
    assert person["contact"] == "+82 10-****-5678"
    assert person["date_of_birth"] == "****-**-**"
    assert body["callers"][0]["phone"] == "+82 10-****-5432"
    text = str(body)
    assert "12345678" not in text and "1988" not in text and "9876" not in text


@pytest.mark.django_db
def test_reveal_returns_clear_values_and_is_audited(api, bangkok_staff, case):
    person = case.persons.get()
    response = api(bangkok_staff).post(
        f"/api/incidents/{case.reference}/persons/{person.pk}/reveal/", REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "id": person.pk,
        "name": "김민수",
        "date_of_birth": "1988-07-14",
        "nationality": "KR",
        "passport_number": "M12345678",
        "contact": "+821012345678",
        "status": "injured",
    }
    entry = AuditEntry.objects.get(action="reveal")
    assert entry.actor == bangkok_staff and entry.case_ref == case.reference
    assert entry.object_ref == f"person:{person.pk}" and entry.remote_addr == "198.51.100.7"
    assert not AuditEntry.objects.filter(action="write").exists()  # the reveal is not also logged as a write
    event = TimelineEvent.objects.get(incident=case, kind="personal_data_read")
    assert event.actor == bangkok_staff and event.data["person"] == person.pk

    caller = case.callers.get()
    revealed = api(bangkok_staff).post(f"/api/incidents/{case.reference}/callers/{caller.pk}/reveal/").json()
    assert revealed["phone"] == "+821098765432"
    assert AuditEntry.objects.filter(action="reveal", object_ref=f"caller:{caller.pk}").count() == 1


@pytest.mark.django_db
def test_reveal_refused_alike_for_missing_and_forbidden(api, operator, tokyo_staff, presenter, case):
    person = case.persons.get()
    other_case = log_incident(reported_by=operator, lat=35.6595, lon=139.7005, location_text="Tokyo")
    url = f"/api/incidents/{case.reference}/persons/{person.pk}/reveal/"
    hidden = api(tokyo_staff).post(url)
    missing = api(tokyo_staff).post("/api/incidents/OSC-2026-999999/persons/1/reveal/")
    assert hidden.status_code == missing.status_code == 404 and hidden.json() == missing.json()
    assert api(presenter).post(url).status_code == 404
    # A person id of another case, through a case the user may see: not found either.
    wrong = api(operator).post(f"/api/incidents/{other_case.reference}/persons/{person.pk}/reveal/")
    assert wrong.status_code == 404 and wrong.json()["code"] == "person_not_found"
    assert api(None).post(url).status_code in (401, 403)
    assert not AuditEntry.objects.filter(action="reveal").exists()
    # The refused attempts are in the audit log, as writes with their 404.
    attempts = AuditEntry.objects.filter(action="write", detail__view="PersonRevealApi")
    assert {(e.actor_id, e.detail["status"]) for e in attempts} == {
        (tokyo_staff.pk, 404),
        (presenter.pk, 404),
        (operator.pk, 404),
    }
    assert "M12345678" not in hidden.content.decode() + wrong.content.decode()


@pytest.mark.django_db
def test_admin_case_page_shows_no_encrypted_personal_data(client, admin_user, case):
    client.force_login(admin_user)
    page = client.get(f"/admin/incidents/incident/{case.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "김민수" in text  # the page does show the case's persons
    assert "M12345678" not in text and "+821012345678" not in text and "1988-07-14" not in text


@pytest.mark.django_db
def test_reveals_are_throttled_per_user(api, operator, duty_officer, case, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "reveal": "2/min"},
    }
    url = f"/api/incidents/{case.reference}/persons/{case.persons.get().pk}/reveal/"
    assert [api(operator).post(url).status_code for _ in range(3)] == [200, 200, 429]
    assert AuditEntry.objects.filter(action="reveal").count() == 2
    assert api(operator).post(url).json()["code"] == "reveal_limited"
    assert api(duty_officer).post(url).status_code == 200


@pytest.mark.django_db
def test_reveal_limit_counts_the_page_and_the_api_together(api, client, operator, case):
    person = case.persons.get()
    api_url = f"/api/incidents/{case.reference}/persons/{person.pk}/reveal/"
    page_url = f"/cases/{case.reference}/persons/{person.pk}/reveal/"
    client.force_login(operator)
    statuses = []
    for n in range(30):
        statuses.append(api(operator).post(api_url).status_code if n % 2 else client.post(page_url).status_code)
    assert statuses == [200] * 30
    refused_page = client.post(page_url)
    assert refused_page.status_code == 429 and "M12345678" not in refused_page.content.decode()
    assert "Too many reveals" in refused_page.content.decode() or "열람" in refused_page.content.decode()
    refused_api = api(operator).post(api_url)
    assert refused_api.status_code == 429 and refused_api.json()["code"] == "reveal_limited"
    assert AuditEntry.objects.filter(action="reveal").count() == 30
