"""The roll-ups follow every change of the incidents table (logs, edits, re-routings, erasures, bulk SQL)."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from incidents.demo.cases import demo_clear, demo_seed
from incidents.models import Incident, Status
from incidents.retention import incident_personal_data_erase
from maps.filters import filter_parse
from maps.models import CaseRollup
from maps.rollups import rollups_differences, rollups_rebuild
from maps.selectors import dashboard_aggregates
from missions.models import Mission
from tests.factories import log_incident

PLACES = [(12.9276, 100.8771), (35.6895, 139.6917), (34.6937, 135.5023), (48.8566, 2.3522), (10.0, 150.0)]
STATUSES = [Status.OPEN, Status.IN_PROGRESS, Status.CLOSED]


@pytest.mark.django_db
def test_rollups_follow_random_mix_of_changes(operator):  # type: ignore[no-untyped-def]
    rng = random.Random(13)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    missions = list(Mission.objects.values_list("id", flat=True)[:5])
    made: list[int] = []
    for step in range(240):
        action = rng.random()
        if action < 0.35 or not made:
            lat, lon = rng.choice(PLACES)
            occurred = start + timedelta(days=rng.random() * 700, seconds=rng.randrange(86400))
            made.append(
                log_incident(
                    reported_by=operator,
                    lat=lat + rng.random() * 0.3,
                    lon=lon + rng.random() * 0.3,
                    category=rng.choice(["crime", "accident", "health"]),
                    severity=rng.randint(1, 4),
                    occurred_at=occurred,
                ).pk
            )
            continue
        pk = rng.choice(made)
        if action < 0.55:
            incident = Incident.objects.get(pk=pk)
            incident.status = rng.choice(STATUSES)
            incident.severity = rng.randint(1, 4)
            incident.save()
        elif action < 0.7:
            ack = timedelta(minutes=rng.lognormvariate(3, 1.2)) if rng.random() < 0.8 else None
            created = Incident.objects.get(pk=pk).created_at
            Incident.objects.filter(pk=pk).update(acknowledged_at=created + ack if ack else None)
        elif action < 0.8:
            Incident.objects.filter(pk=pk).update(responsible_mission_id=rng.choice(missions + [None]))
        elif action < 0.87:
            Incident.objects.filter(pk=pk).update(occurred_at=start + timedelta(days=rng.random() * 700))
        elif action < 0.93:
            incident_personal_data_erase(incident_id=pk)
        else:
            with connection.cursor() as cursor:  # a raw bulk change, as an operator's SQL would do
                cursor.execute("UPDATE incidents_incident SET status = 'closed' WHERE id = ANY(%s)", [made[:step:7]])
        if step % 60 == 59:
            assert rollups_differences() == {}
    assert rollups_differences() == {}
    before = sorted(CaseRollup.objects.values_list("grain", "period", "category", "status", "n", "acked"))
    rollups_rebuild()
    assert sorted(CaseRollup.objects.values_list("grain", "period", "category", "status", "n", "acked")) == before
    demo_seed(incidents=300, years=2.0, seed=7)  # COPY
    call_command("rollups_check")
    demo_clear()  # bulk DELETE
    call_command("rollups_check")
    agg = dashboard_aggregates(f=filter_parse({"period": "all"}))
    assert agg.total == Incident.objects.filter(occurred_at__isnull=False).count()


@pytest.mark.django_db
def test_rollups_check_fails_on_a_difference(operator):  # type: ignore[no-untyped-def]
    log_incident(reported_by=operator, lat=12.9276, lon=100.8771)
    call_command("rollups_check")
    CaseRollup.objects.filter(grain="day").update(n=5)
    with pytest.raises(CommandError, match="maps_caserollup"):
        call_command("rollups_check")
    call_command("rollups_rebuild")
    call_command("rollups_check")


@pytest.mark.django_db
def test_rollups_emptied_with_a_truncate_of_the_case_table(operator):  # type: ignore[no-untyped-def]
    log_incident(reported_by=operator, lat=12.9276, lon=100.8771)
    assert CaseRollup.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks: TRUNCATE refuses them
        cursor.execute(
            "TRUNCATE incidents_deliveryattempt, incidents_delivery, incidents_alert, incidents_timelineevent, "
            "incidents_affectedperson, incidents_caller, incidents_incident CASCADE"
        )
    assert not CaseRollup.objects.exists()
    assert rollups_differences() == {}
