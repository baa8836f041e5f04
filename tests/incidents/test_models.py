"""Database constraints and the append-only timeline."""

import pytest
from django.db import IntegrityError, InternalError, ProgrammingError, transaction

from incidents.models import Caller, Incident, TimelineEvent
from tests.factories import log_incident


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("severity", 5),
        ("severity", 0),
        ("reference", "X-1"),
        ("category", "nope"),
        ("status", "nope"),
        ("geocode_confidence", 1.5),
    ],
)
def test_incident_constraints(operator, field, value):
    incident = log_incident(reported_by=operator, lat=12.93, lon=100.88)
    with pytest.raises(IntegrityError), transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(**{field: value})


@pytest.mark.django_db
def test_closed_at_only_when_closed(operator):
    from django.utils import timezone

    incident = log_incident(reported_by=operator, lat=12.93, lon=100.88)
    with pytest.raises(IntegrityError), transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(closed_at=timezone.now())


@pytest.mark.django_db
def test_caller_phone_must_be_e164(operator):
    # The column holds ciphertext, so E.164 is checked by the model (and the service), not by a CHECK constraint.
    from django.core.exceptions import ValidationError

    from incidents.services import CallerInput, caller_add

    incident = log_incident(reported_by=operator, lat=12.93, lon=100.88)
    with pytest.raises(ValidationError) as excinfo, transaction.atomic():
        caller_add(incident=incident, actor=operator, caller=CallerInput(name="x", phone="010-1234"))
    assert "phone" in excinfo.value.message_dict
    assert not Caller.objects.filter(incident=incident).exists()


@pytest.mark.django_db
def test_references_are_unique_and_formatted(operator):
    refs = {log_incident(reported_by=operator, lat=12.93, lon=100.88).reference for _ in range(3)}
    assert len(refs) == 3
    assert all(ref.startswith("OSC-20") and len(ref.split("-")[2]) >= 6 for ref in refs)


@pytest.mark.django_db
def test_timeline_refuses_update_and_delete(operator):
    incident = log_incident(reported_by=operator, lat=12.93, lon=100.88)
    event = TimelineEvent.objects.filter(incident=incident).first()
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
        TimelineEvent.objects.filter(pk=event.pk).update(message="rewritten")
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
        event.delete()
    assert TimelineEvent.objects.get(pk=event.pk).message == event.message
