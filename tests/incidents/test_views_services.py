"""Case-work services used by the browser pages: notes, person status history, transfers."""

import pytest
from django.db import DatabaseError, transaction

from incidents.exceptions import IncidentInvalid
from incidents.models import TimelineEvent
from incidents.selectors import incident_list_visible_to, person_history
from incidents.services import PersonInput, incident_reassign, note_add, person_add, person_status_change
from missions.models import Mission
from tests.factories import log_incident


@pytest.fixture
def case(operator):  # type: ignore[no-untyped-def]
    return log_incident(reported_by=operator, lat=12.9276, lon=100.8771)


@pytest.mark.django_db
def test_note_add_appends_to_the_timeline_and_refuses_empty(case, operator):
    event = note_add(incident=case, actor=operator, text="  Spoke to the hotel  ")
    assert (event.kind, event.message, event.actor) == ("note", "Spoke to the hotel", operator)
    with pytest.raises(IncidentInvalid):
        note_add(incident=case, actor=operator, text="   ")
    with pytest.raises(IncidentInvalid):
        note_add(incident=case, actor=operator, text="x" * 501)
    assert TimelineEvent.objects.filter(incident=case, kind="note").count() == 1
    with pytest.raises(DatabaseError), transaction.atomic():
        TimelineEvent.objects.filter(pk=event.pk).update(message="rewritten")


@pytest.mark.django_db
def test_person_status_change_builds_a_history(case, operator, bangkok_staff):
    person = person_add(incident=case, actor=operator, person=PersonInput(name="박서준", status="missing"))
    person_status_change(person=person, actor=bangkok_staff, status="injured", note="hospital")
    person_status_change(person=person, actor=bangkok_staff, status="injured")  # no change: no event
    person_status_change(person=person, actor=operator, status="safe")
    person.refresh_from_db()
    assert person.status == "safe"
    history = person_history(incident=case)[person.pk]
    assert [(e.kind, e.data.get("from"), e.data.get("to") or e.data.get("status")) for e in history] == [
        ("person_added", None, "missing"),
        ("person_updated", "missing", "injured"),
        ("person_updated", "injured", "safe"),
    ]
    assert history[1].actor == bangkok_staff and history[1].data["note"] == "hospital"
    with pytest.raises(IncidentInvalid):
        person_status_change(person=person, actor=operator, status="teleported")


@pytest.mark.django_db
def test_incident_transfer_records_reason_and_moves_visibility(case, operator, bangkok_staff, tokyo_staff):
    tokyo = Mission.objects.get(code="emb-jp-tokyo")
    with pytest.raises(IncidentInvalid):
        incident_reassign(incident=case, actor=operator, mission=tokyo, reason=" ")
    with pytest.raises(IncidentInvalid):
        incident_reassign(incident=case, actor=operator, mission=case.responsible_mission, reason="again")
    moved = incident_reassign(incident=case, actor=bangkok_staff, mission=tokyo, reason="Moved to Tokyo")
    assert moved.responsible_mission == tokyo and not moved.needs_review
    event = TimelineEvent.objects.filter(incident=case, kind="transferred").get()
    assert event.data == {"from": "emb-th-bangkok", "to": "emb-jp-tokyo", "reason": "Moved to Tokyo"}
    assert event.actor == bangkok_staff
    assert not incident_list_visible_to(user=bangkok_staff).filter(pk=case.pk).exists()
    assert incident_list_visible_to(user=tokyo_staff).filter(pk=case.pk).exists()
