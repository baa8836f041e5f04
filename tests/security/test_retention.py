"""Retention: personal data of long-closed cases erased by the periodic task, the case and its aggregates kept."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from incidents.models import AffectedPerson, Caller, Incident, Status, TimelineEvent
from incidents.services import CallerInput, PersonInput, incident_update
from incidents.tasks_retention import erase_expired_personal_data
from safety.celery import app
from safety.models import AuditEntry
from tests.factories import log_incident


def closed_case(operator, *, days_ago: int):  # type: ignore[no-untyped-def]
    incident = log_incident(
        reported_by=operator,
        lat=12.93,
        lon=100.88,
        description="Kim was taken to Bangkok Hospital, room 12",
        persons=[
            PersonInput(
                name="김민수",
                date_of_birth=date(1988, 7, 14),
                passport_number="M12345678",
                contact="+821012345678",
                status="injured",
            ),
            PersonInput(name="이서연", status="safe"),
        ],
        callers=[CallerInput(name="김영희", phone="+821098765432", relation="mother")],
    )
    incident_update(incident=incident, actor=operator, changes={"status": Status.CLOSED})
    Incident.objects.filter(pk=incident.pk).update(closed_at=timezone.now() - timedelta(days=days_ago))
    return Incident.objects.get(pk=incident.pk)


@pytest.mark.django_db
def test_task_erases_personal_data_of_expired_cases_only_and_keeps_aggregates(operator):
    expired = closed_case(operator, days_ago=settings.OSC_RETENTION_DAYS + 1)
    recent = closed_case(operator, days_ago=settings.OSC_RETENTION_DAYS - 1)
    still_open = log_incident(
        reported_by=operator, lat=12.93, lon=100.88, persons=[PersonInput(name="박지훈", passport_number="K7654321")]
    )
    Incident.objects.filter(pk=still_open.pk).update(created_at=timezone.now() - timedelta(days=9999))

    result = erase_expired_personal_data.apply().get()
    assert result == {"cases": 1, "persons": 2, "callers": 1}

    persons = list(AffectedPerson.objects.filter(incident=expired).order_by("id"))
    assert [(p.name, p.passport_number, p.contact, p.date_of_birth) for p in persons] == [("", "", "", None)] * 2
    assert [(p.status, p.nationality) for p in persons] == [("injured", "KR"), ("safe", "KR")]  # aggregates stay
    caller = Caller.objects.get(incident=expired)
    assert (caller.name, caller.phone, caller.relation) == ("", "", "")
    expired.refresh_from_db()
    assert expired.description == "" and expired.personal_data_erased_at is not None
    assert (expired.summary, expired.category, expired.severity, expired.status) == (
        "Bag snatched",
        "crime",
        2,
        "closed",
    )
    assert expired.responsible_mission.code == "emb-th-bangkok" and expired.location is not None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT passport_number, contact, date_of_birth FROM incidents_affectedperson WHERE incident_id=%s",
            [expired.pk],
        )
        assert cursor.fetchall() == [("", "", None), ("", "", None)]  # not even ciphertext is left

    assert AffectedPerson.objects.get(incident=recent, name="김민수").passport_number == "M12345678"
    assert AffectedPerson.objects.get(incident=still_open).passport_number == "K7654321"

    assert TimelineEvent.objects.filter(incident=expired, kind="personal_data_erased").count() == 1
    entry = AuditEntry.objects.get(action="erase")
    assert entry.case_ref == expired.reference and entry.detail["persons"] == 2 and entry.actor is None


@pytest.mark.django_db
def test_task_is_idempotent(operator):
    expired = closed_case(operator, days_ago=settings.OSC_RETENTION_DAYS + 30)
    assert erase_expired_personal_data.apply().get()["cases"] == 1
    assert erase_expired_personal_data.apply().get() == {"cases": 0, "persons": 0, "callers": 0}
    assert AuditEntry.objects.filter(action="erase").count() == 1
    assert TimelineEvent.objects.filter(incident=expired, kind="personal_data_erased").count() == 1


@pytest.mark.django_db
def test_case_reopened_and_closed_again_is_erased_again_when_due(operator):
    case = closed_case(operator, days_ago=settings.OSC_RETENTION_DAYS + 5)
    erase_expired_personal_data.apply()
    incident_update(incident=case, actor=operator, changes={"status": Status.OPEN})
    AffectedPerson.objects.create(incident=case, name="새 사람", passport_number="Z9999999")
    incident_update(incident=Incident.objects.get(pk=case.pk), actor=operator, changes={"status": Status.CLOSED})
    assert erase_expired_personal_data.apply().get()["cases"] == 0  # just closed: not yet due
    # Time passes: the first erasure was long ago, the second closing is now past the retention period.
    days = settings.OSC_RETENTION_DAYS
    Incident.objects.filter(pk=case.pk).update(
        personal_data_erased_at=timezone.now() - timedelta(days=days + 10),
        closed_at=timezone.now() - timedelta(days=days + 1),
    )
    assert erase_expired_personal_data.apply().get()["cases"] == 1
    assert not AffectedPerson.objects.filter(incident=case).exclude(name="").exists()


def test_task_is_registered_and_scheduled():
    assert "incidents.erase_expired_personal_data" in app.tasks
    schedule = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "incidents.erase_expired_personal_data" in schedule
