"""Crisis-mode services on the real database: authority rules, proposals, merge, callbacks, counts, bad input."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from incidents.crises.models import (
    CallbackTask,
    ClaimedStatus,
    CrisisEvent,
    EventLogEntry,
    EventPerson,
    MatchProposal,
    NoteSource,
    ProposalState,
    StatusChange,
)
from incidents.crises.selectors import event_counts, mission_counts
from incidents.crises.services import (
    EventInput,
    InquiryInput,
    NoteInput,
    PersonInput,
    callback_done,
    event_case_link,
    event_case_unlink,
    event_declare,
    inquiry_record,
    inquiry_rematch,
    note_add,
    person_merge,
    person_record,
    person_unmerge,
    proposal_confirm,
    proposal_reject,
)
from incidents.exceptions import CrisisDenied, CrisisInvalid
from incidents.models import TimelineEvent
from missions.models import Mission
from tests.factories import log_incident

pytestmark = pytest.mark.django_db

DOB = date(1990, 3, 4)
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[100.4, 13.6], [100.7, 13.6], [100.7, 13.9], [100.4, 13.9], [100.4, 13.6]]],
}
BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[100.4, 13.6], [100.7, 13.9], [100.7, 13.6], [100.4, 13.9], [100.4, 13.6]]],
}


def at(minutes: int) -> datetime:
    return timezone.now() - timedelta(hours=2) + timedelta(minutes=minutes)


@pytest.fixture
def event(duty_officer) -> CrisisEvent:  # type: ignore[no-untyped-def]
    return event_declare(
        actor=duty_officer,
        data=EventInput(
            name_ko="방콕 폭발",
            name_en="Bangkok blast",
            kind="attack",
            starts_at=datetime(2026, 11, 30, 8, 0, tzinfo=UTC),
            polygon=SQUARE,
            mission_codes=("emb-th-bangkok",),
        ),
    )


@pytest.fixture
def person(event, operator) -> EventPerson:  # type: ignore[no-untyped-def]
    return person_record(event=event, actor=operator, data=PersonInput(name_hangul="김민준", dob=DOB)).person


def test_event_declare_circle_is_buffered_polygon_with_centre(duty_officer) -> None:  # type: ignore[no-untyped-def]
    event = event_declare(
        actor=duty_officer,
        data=EventInput(
            name_ko="지진",
            name_en="Quake",
            kind="earthquake",
            starts_at=timezone.now(),
            centre=(139.7, 35.7),
            radius_km=50,
        ),
    )
    event.refresh_from_db()
    assert event.radius_km == 50
    assert event.centre is not None and event.centre.coords == (139.7, 35.7)
    assert event.area.contains(event.centre)
    # about 100 km across from west to east, in degrees at 35.7°N (0.811 km per 0.01°)
    lon_min, _, lon_max, _ = event.area.extent
    assert 1.0 < lon_max - lon_min < 1.2
    assert EventLogEntry.objects.filter(event=event, kind="declared").exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"polygon": BOWTIE}, "area"),
        ({"polygon": {"type": "Point", "coordinates": [1, 2]}}, "area"),
        ({"polygon": {"type": "Polygon", "coordinates": "x"}}, "area"),
        ({"centre": (100.5, 13.7), "radius_km": 0}, "radius_km"),
        ({"centre": (200.0, 13.7), "radius_km": 5}, "centre"),
        ({}, "area"),
    ],
)
def test_event_declare_bad_area_is_domain_error_with_field(duty_officer, kwargs, field) -> None:  # type: ignore[no-untyped-def]
    before = CrisisEvent.objects.count()
    with pytest.raises(CrisisInvalid) as caught:
        event_declare(
            actor=duty_officer,
            data=EventInput(name_ko="가", name_en="A", kind="other", starts_at=timezone.now(), **kwargs),
        )
    assert caught.value.code == "crisis_invalid"
    assert field in caught.value.fields
    assert CrisisEvent.objects.count() == before


def test_event_declare_refused_to_mission_staff(bangkok_staff) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CrisisDenied):
        event_declare(
            actor=bangkok_staff,
            data=EventInput(name_ko="가", name_en="A", kind="other", starts_at=timezone.now(), polygon=SQUARE),
        )


def test_person_record_same_match_adds_note_to_existing(event, person, operator) -> None:  # type: ignore[no-untyped-def]
    recorded = person_record(
        event=event,
        actor=operator,
        data=PersonInput(name_latin="Kim Minjun", dob=DOB),
        note=NoteInput(source=NoteSource.FAMILY, claimed_status=ClaimedStatus.MISSING),
    )
    assert not recorded.created
    assert recorded.person.pk == person.pk
    assert EventPerson.objects.filter(event=event).count() == 1
    assert person.notes.count() == 1


def test_person_record_review_match_makes_proposal(event, person, operator) -> None:  # type: ignore[no-untyped-def]
    recorded = person_record(event=event, actor=operator, data=PersonInput(name_latin="Kim Minjun"))
    assert recorded.created
    assert recorded.proposal is not None
    assert recorded.proposal.candidate_id == person.pk
    assert recorded.proposal.verdict == "review"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (PersonInput(name_hangul="이서연", dob=timezone.localdate() + timedelta(days=2)), "dob"),
        (PersonInput(name_hangul="이서연", passport="12AB"), "passport"),
        (PersonInput(name_hangul="이서연", contact="12345"), "contact"),
        (PersonInput(), "name_hangul"),
    ],
)
def test_person_record_bad_input_is_domain_error(event, operator, data, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CrisisInvalid) as caught:
        person_record(event=event, actor=operator, data=data)
    assert field in caught.value.fields
    assert not EventPerson.objects.filter(event=event).exists()


def test_note_add_family_deceased_does_not_change_status(person, operator) -> None:  # type: ignore[no-untyped-def]
    note_add(person=person, actor=operator, note=NoteInput(source=NoteSource.FAMILY, claimed_status="deceased"))
    person.refresh_from_db()
    assert person.status == ClaimedStatus.UNCONFIRMED
    assert person.notes.count() == 1


def test_note_add_deceased_needs_mission_source_and_staff(person, operator, bangkok_staff) -> None:  # type: ignore[no-untyped-def]
    # an operator writing "mission" as the source is not mission staff
    note_add(person=person, actor=operator, note=NoteInput(source=NoteSource.MISSION, claimed_status="deceased"))
    person.refresh_from_db()
    assert person.status == ClaimedStatus.UNCONFIRMED
    note = note_add(
        person=person, actor=bangkok_staff, note=NoteInput(source=NoteSource.MISSION, claimed_status="deceased")
    )
    person.refresh_from_db()
    assert person.status == ClaimedStatus.DECEASED
    assert person.status_note_id == note.pk


def test_note_add_later_third_party_missing_does_not_override_own_safe(person, operator) -> None:  # type: ignore[no-untyped-def]
    own = note_add(
        person=person, actor=operator, note=NoteInput(source=NoteSource.SELF, claimed_status="safe", reported_at=at(0))
    )
    for source in (NoteSource.FELLOW_TRAVELLER, NoteSource.MEDIA, NoteSource.HOSPITAL):
        note_add(
            person=person, actor=operator, note=NoteInput(source=source, claimed_status="missing", reported_at=at(30))
        )
    person.refresh_from_db()
    assert person.status == ClaimedStatus.SAFE
    assert person.status_note_id == own.pk
    changes = list(StatusChange.objects.filter(person=person))
    assert [(c.old_status, c.new_status, c.note_id) for c in changes] == [("unconfirmed", "safe", own.pk)]


def test_note_add_equal_rank_later_note_wins(person, operator, bangkok_staff) -> None:  # type: ignore[no-untyped-def]
    note_add(
        person=person, actor=operator, note=NoteInput(source=NoteSource.SELF, claimed_status="safe", reported_at=at(0))
    )
    later = note_add(
        person=person,
        actor=bangkok_staff,
        note=NoteInput(source=NoteSource.MISSION, claimed_status="injured", reported_at=at(10)),
    )
    person.refresh_from_db()
    assert person.status == ClaimedStatus.INJURED
    assert StatusChange.objects.filter(person=person).last().note_id == later.pk  # type: ignore[union-attr]


def inquiry_for(event, operator, name="김민준", dob=DOB):  # type: ignore[no-untyped-def]
    return inquiry_record(
        event=event,
        actor=operator,
        data=InquiryInput(caller_name="김영희", callback_number="+821012345678", sought_name=name, sought_dob=dob),
    )


def test_inquiry_record_proposes_across_active_events(event, person, duty_officer, operator) -> None:  # type: ignore[no-untyped-def]
    other = event_declare(
        actor=duty_officer,
        data=EventInput(name_ko="홍수", name_en="Flood", kind="flood", starts_at=timezone.now(), polygon=SQUARE),
    )
    elsewhere = person_record(event=other, actor=operator, data=PersonInput(name_latin="Kim Min-jun")).person
    person_record(event=event, actor=operator, data=PersonInput(name_hangul="이서연"))
    inquiry = inquiry_for(event, operator)
    proposed = {p.candidate_id: p.verdict for p in inquiry.proposals.all()}
    assert proposed == {person.pk: "same", elsewhere.pk: "review"}


def test_inquiry_record_bad_callback_number(event, operator) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CrisisInvalid) as caught:
        inquiry_record(
            event=event,
            actor=operator,
            data=InquiryInput(caller_name="김영희", callback_number="+82 10 12", sought_name="김민준"),
        )
    assert "callback_number" in caught.value.fields


def test_proposal_rejected_pair_never_proposed_again(event, person, operator) -> None:  # type: ignore[no-untyped-def]
    inquiry = inquiry_for(event, operator)
    proposal = inquiry.proposals.get()
    proposal_reject(proposal=proposal, actor=operator)
    assert inquiry_rematch(inquiry=inquiry, actor=operator) == []
    assert list(inquiry.proposals.values_list("state", flat=True)) == [ProposalState.REJECTED]


def test_proposal_confirm_links_inquiry(event, person, operator) -> None:  # type: ignore[no-untyped-def]
    inquiry = inquiry_for(event, operator)
    proposal_confirm(proposal=inquiry.proposals.get(), actor=operator)
    inquiry.refresh_from_db()
    assert inquiry.person_id == person.pk
    with pytest.raises(CrisisInvalid):
        proposal_reject(proposal=inquiry.proposals.get(), actor=operator)


def test_person_merge_and_unmerge(event, person, operator, bangkok_staff) -> None:  # type: ignore[no-untyped-def]
    twin = person_record(event=event, actor=operator, data=PersonInput(name_latin="Kim Minjun")).person
    note_add(person=twin, actor=operator, note=NoteInput(source=NoteSource.SELF, claimed_status="safe"))
    merged = person_merge(person=twin, into=person, actor=operator)
    assert merged.pk == person.pk
    person.refresh_from_db()
    twin.refresh_from_db()
    assert person.status == ClaimedStatus.SAFE
    assert twin.merged_into_id == person.pk
    assert event_counts(event)["persons_known"] == 1
    person_unmerge(person=twin, actor=operator)
    person.refresh_from_db()
    twin.refresh_from_db()
    assert twin.merged_into_id is None
    assert person.status == ClaimedStatus.UNCONFIRMED
    assert twin.status == ClaimedStatus.SAFE
    assert EventPerson.objects.filter(event=event).count() == 2


def test_person_merge_with_self_refused(person, operator) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CrisisInvalid) as caught:
        person_merge(person=person, into=person, actor=operator)
    assert "into" in caught.value.fields


def test_person_merge_cycle_refused(event, person, operator) -> None:  # type: ignore[no-untyped-def]
    twin = person_record(event=event, actor=operator, data=PersonInput(name_latin="Park Jiho")).person
    person_merge(person=twin, into=person, actor=operator)
    with pytest.raises(CrisisInvalid):
        person_merge(person=person, into=twin, actor=operator)


def test_callbacks_on_status_change_close_only_with_outcome(event, person, operator) -> None:  # type: ignore[no-untyped-def]
    first = inquiry_for(event, operator)
    second = inquiry_for(event, operator)
    for inquiry in (first, second):
        proposal_confirm(proposal=inquiry.proposals.get(), actor=operator)
    assert not CallbackTask.objects.exists()
    note_add(person=person, actor=operator, note=NoteInput(source=NoteSource.SELF, claimed_status="safe"))
    tasks = list(CallbackTask.objects.order_by("inquiry_id"))
    assert [t.inquiry_id for t in tasks] == [first.pk, second.pk]
    # a note that does not change the status makes no callback
    note_add(person=person, actor=operator, note=NoteInput(source=NoteSource.MEDIA, claimed_status="missing"))
    assert CallbackTask.objects.count() == 2
    with pytest.raises(CrisisInvalid) as caught:
        callback_done(task=tasks[0], actor=operator, outcome="  ")
    assert "outcome" in caught.value.fields
    tasks[0].refresh_from_db()
    assert tasks[0].done_at is None
    callback_done(task=tasks[0], actor=operator, outcome="Told the mother he is safe.")
    tasks[0].refresh_from_db()
    assert tasks[0].done_at is not None
    assert event_counts(event)["callbacks_due"] == 1


def test_counts_match_hand_counted_fixture(event, operator, bangkok_staff) -> None:  # type: ignore[no-untyped-def]
    names = ["김민준", "이서연", "박지호", "최수아", "정우진"]
    people = [
        person_record(event=event, actor=operator, data=PersonInput(name_hangul=n, dob=DOB)).person for n in names
    ]
    note_add(person=people[0], actor=operator, note=NoteInput(source=NoteSource.SELF, claimed_status="safe"))
    note_add(person=people[1], actor=operator, note=NoteInput(source=NoteSource.SELF, claimed_status="safe"))
    note_add(person=people[2], actor=bangkok_staff, note=NoteInput(source=NoteSource.MISSION, claimed_status="injured"))
    note_add(person=people[3], actor=operator, note=NoteInput(source=NoteSource.FAMILY, claimed_status="missing"))
    for name in ("김민준", "이서연", "정우진"):
        inquiry = inquiry_for(event, operator, name=name)
        proposal_confirm(proposal=inquiry.proposals.get(), actor=operator)
    # 정우진 becomes safe: one callback, made overdue by hand
    note_add(person=people[4], actor=operator, note=NoteInput(source=NoteSource.SELF, claimed_status="safe"))
    CallbackTask.objects.update(due_at=timezone.now() - timedelta(minutes=5))
    note_add(person=people[0], actor=bangkok_staff, note=NoteInput(source=NoteSource.MISSION, claimed_status="injured"))
    counts = event_counts(event)
    assert counts["persons_known"] == 5
    assert counts["by_status"] == {
        "safe": 2,
        "injured": 2,
        "missing": 1,
        "deceased": 0,
        "detained": 0,
        "unconfirmed": 0,
    }
    assert counts["inquiries_open"] == 3
    assert counts["callbacks_due"] == 2
    assert counts["callbacks_overdue"] == 1
    assert mission_counts(Mission.objects.get(code="emb-th-bangkok")) == counts
    assert mission_counts(Mission.objects.get(code="emb-jp-tokyo"))["persons_known"] == 0
    assert MatchProposal.objects.filter(inquiry__event=event, state=ProposalState.CONFIRMED).count() == 3


def test_event_case_link_unlink_on_timeline_and_notes_on_linked_case(event, operator) -> None:  # type: ignore[no-untyped-def]
    case = log_incident(reported_by=operator, lat=13.75, lon=100.5)
    before = TimelineEvent.objects.filter(incident=case).count()
    event_case_link(event=event, incident=case, actor=operator, reason="same blast")
    with pytest.raises(CrisisInvalid) as caught:
        event_case_unlink(event=event, incident=case, actor=operator, reason=" ")
    assert "reason" in caught.value.fields
    link = event_case_unlink(event=event, incident=case, actor=operator, reason="different street")
    assert link.state == "unlinked"
    person = person_record(event=event, actor=operator, data=PersonInput(name_hangul="박지호", incident=case)).person
    note_add(person=person, actor=operator, note=NoteInput(source=NoteSource.SELF, claimed_status="safe"))
    kinds = list(TimelineEvent.objects.filter(incident=case).order_by("id").values_list("kind", flat=True))
    assert kinds[before:] == ["note", "note", "note", "person_updated"]
    assert [e.kind for e in EventLogEntry.objects.filter(event=event)][-4:] == [
        "case_unlinked",
        "person_recorded",
        "note_added",
        "status_changed",
    ]
