"""Writes of crisis mode. Each service is one transaction; each writes the event's own log and, where the
person or the link has a case, the case timeline.

Derived status (by authority): a person's status is the claim of the note with the highest rank, the
latest among equals. The person themself, the mission and HQ rank highest, a local authority or a hospital
next, family, fellow travellers and the media last. "Unconfirmed" claims never set a status; "deceased"
counts only from a mission or HQ source recorded by mission or HQ staff. So a later third-party note never
overrides the person's own "safe".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import phonenumbers
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Point, Polygon
from django.db import connection, transaction
from django.utils import timezone

from incidents.crises.matching import Identity, Verdict, match, passport_is_valid, passport_normalize
from incidents.crises.models import (
    CallbackTask,
    ClaimedStatus,
    CrisisEvent,
    EventCase,
    EventKindChoice,
    EventLogEntry,
    EventPerson,
    EventStatus,
    Inquiry,
    InquiryStatus,
    LinkState,
    MatchProposal,
    NoteSource,
    PersonNote,
    ProposalState,
    Sex,
    StatusChange,
)
from incidents.exceptions import CrisisDenied, CrisisInvalid
from incidents.models import EventKind, Incident
from incidents.timeline import timeline_append
from missions.models import Mission
from safety.auth.roles import Role, has_role
from safety.auth.users import User

RADIUS_MAX_KM = 2000.0
CALLBACK_DUE = timedelta(hours=1)
TEXT_MAX = 4000

SOURCE_RANK: dict[str, int] = {
    NoteSource.SELF: 3,
    NoteSource.MISSION: 3,
    NoteSource.HQ: 3,
    NoteSource.AUTHORITY: 2,
    NoteSource.HOSPITAL: 2,
    NoteSource.FAMILY: 1,
    NoteSource.FELLOW_TRAVELLER: 1,
    NoteSource.MEDIA: 1,
}
OFFICIAL_SOURCES = frozenset({NoteSource.MISSION, NoteSource.HQ})


def _invalid(field: str, message: str) -> CrisisInvalid:
    return CrisisInvalid(message, fields={field: [message]})


def _log(event: CrisisEvent, kind: str, actor: User | None, **data: Any) -> None:
    EventLogEntry.objects.create(event=event, kind=kind, actor=actor, data=data)


def _is_staff(user: User) -> bool:
    return has_role(user, Role.MISSION_STAFF, Role.DUTY_OFFICER, Role.ADMIN)


# --- events ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventInput:
    name_ko: str
    name_en: str
    kind: str
    starts_at: datetime
    polygon: dict[str, Any] | None = None  # GeoJSON Polygon or MultiPolygon, lon/lat
    centre: tuple[float, float] | None = None  # lon, lat
    radius_km: float | None = None
    ends_at: datetime | None = None
    mission_codes: tuple[str, ...] = ()


def _area_from_polygon(geojson: dict[str, Any]) -> MultiPolygon:
    try:
        geom = GEOSGeometry(json.dumps(geojson), srid=4326)
    except (GEOSException, GDALException, ValueError, TypeError) as exc:
        raise _invalid("area", "the area is not a readable GeoJSON polygon") from exc
    if isinstance(geom, Polygon):
        geom = MultiPolygon(geom, srid=4326)
    if not isinstance(geom, MultiPolygon):
        raise _invalid("area", "the area must be a polygon")
    if geom.empty or not geom.valid:
        raise _invalid("area", f"the polygon is not valid ({geom.valid_reason})")
    lon_min, lat_min, lon_max, lat_max = geom.extent
    if lon_min < -180 or lon_max > 180 or lat_min < -90 or lat_max > 90:
        raise _invalid("area", "the polygon lies outside longitude/latitude bounds")
    return geom


def _area_from_circle(centre: tuple[float, float], radius_km: float) -> tuple[MultiPolygon, Point]:
    try:
        lon, lat = float(centre[0]), float(centre[1])
        radius = float(radius_km)
    except (TypeError, ValueError, IndexError) as exc:
        raise _invalid("centre", "the centre must be longitude and latitude") from exc
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise _invalid("centre", "the centre lies outside longitude/latitude bounds")
    if not (0 < radius <= RADIUS_MAX_KM):
        raise _invalid("radius_km", f"the radius must be above 0 and at most {RADIUS_MAX_KM:g} km")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_AsText(ST_Buffer(ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, %s)::geometry)",
            [lon, lat, radius * 1000.0],
        )
        wkt = cursor.fetchone()[0]
    geom = GEOSGeometry(wkt, srid=4326)
    if isinstance(geom, Polygon):
        geom = MultiPolygon(geom, srid=4326)
    if not isinstance(geom, MultiPolygon):
        raise _invalid("radius_km", "the circle could not be drawn")
    return geom, Point(lon, lat, srid=4326)


@transaction.atomic
def event_declare(*, actor: User, data: EventInput) -> CrisisEvent:
    if not has_role(actor, Role.DUTY_OFFICER, Role.ADMIN):
        raise CrisisDenied("Only HQ duty officers declare a crisis.")
    if not data.name_ko.strip():
        raise _invalid("name_ko", "a Korean name is required")
    if not data.name_en.strip():
        raise _invalid("name_en", "an English name is required")
    if data.kind not in EventKindChoice.values:
        raise _invalid("kind", f"unknown kind {data.kind!r}")
    if data.ends_at is not None and data.ends_at < data.starts_at:
        raise _invalid("ends_at", "the end lies before the start")
    centre: Point | None = None
    radius: float | None = None
    if data.polygon is not None and data.centre is not None:
        raise _invalid("area", "give either a polygon or a circle, not both")
    if data.polygon is not None:
        area = _area_from_polygon(data.polygon)
    elif data.centre is not None and data.radius_km is not None:
        area, centre = _area_from_circle(data.centre, data.radius_km)
        radius = float(data.radius_km)
    else:
        raise _invalid("area", "an area (polygon, or centre and radius) is required")
    missions = list(Mission.objects.filter(code__in=data.mission_codes))
    unknown = set(data.mission_codes) - {m.code for m in missions}
    if unknown:
        raise _invalid("missions", f"unknown missions: {', '.join(sorted(unknown))}")
    event = CrisisEvent.objects.create(
        name_ko=data.name_ko.strip(),
        name_en=data.name_en.strip(),
        kind=data.kind,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        area=area,
        centre=centre,
        radius_km=radius,
        declared_by=actor,
    )
    event.missions.set(missions)
    _log(event, "declared", actor, missions=sorted(data.mission_codes))
    return event


@transaction.atomic
def event_close(*, event: CrisisEvent, actor: User) -> CrisisEvent:
    event.status = EventStatus.CLOSED
    event.ends_at = event.ends_at or timezone.now()
    event.save(update_fields=["status", "ends_at"])
    _log(event, "closed", actor)
    return event


@transaction.atomic
def event_case_link(*, event: CrisisEvent, incident: Incident, actor: User, reason: str = "") -> EventCase:
    link, _ = EventCase.objects.update_or_create(
        event=event,
        incident=incident,
        defaults={"state": LinkState.CONFIRMED, "reason": reason[:500], "by": actor},
    )
    _log(event, "case_linked", actor, incident=incident.reference, reason=reason[:500])
    timeline_append(
        incident=incident,
        kind=EventKind.NOTE,
        actor=actor,
        message=f"Linked to crisis {event.name_en}",
        data={"crisis": str(event.public_id), "reason": reason[:500]},
    )
    return link


@transaction.atomic
def event_case_unlink(*, event: CrisisEvent, incident: Incident, actor: User, reason: str) -> EventCase:
    if not reason.strip():
        raise _invalid("reason", "a reason is required to unlink a case")
    link = EventCase.objects.select_for_update().filter(event=event, incident=incident).first()
    if link is None:
        raise _invalid("incident", "the case is not linked to this crisis")
    link.state = LinkState.UNLINKED
    link.reason = reason[:500]
    link.by = actor
    link.save(update_fields=["state", "reason", "by", "at"])
    _log(event, "case_unlinked", actor, incident=incident.reference, reason=reason[:500])
    timeline_append(
        incident=incident,
        kind=EventKind.NOTE,
        actor=actor,
        message=f"Unlinked from crisis {event.name_en}",
        data={"crisis": str(event.public_id), "reason": reason[:500]},
    )
    return link


# --- persons and notes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonInput:
    name_hangul: str = ""
    name_latin: str = ""
    dob: date | None = None
    sex: str = ""
    passport: str = ""
    contact: str = ""
    last_known_location: str = ""
    hospital: str = ""
    incident: Incident | None = None


@dataclass(frozen=True)
class NoteInput:
    source: str
    claimed_status: str
    text: str = ""
    reported_at: datetime | None = None


def _phone_e164(value: str, field: str) -> str:
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException as exc:
        raise _invalid(field, "a phone number in international form (+821012345678)") from exc
    if not phonenumbers.is_valid_number(number):
        raise _invalid(field, "not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _check_dob(value: date | None, field: str) -> None:
    if value is not None and value > timezone.localdate():
        raise _invalid(field, "the birth date lies in the future")


def _check_passport(value: str, field: str) -> str:
    if not value:
        return ""
    if not passport_is_valid(value):
        raise _invalid(field, "not a Korean passport number (M12345678 or M123A4567)")
    return passport_normalize(value)


def _identities(person: EventPerson) -> list[Identity]:
    return [
        Identity(name=name, dob=person.dob, passport=person.passport)
        for name in (person.name_hangul, person.name_latin)
        if name
    ]


def _best_match(subject: list[Identity], candidate: EventPerson) -> tuple[float, Verdict, list[str]]:
    best: tuple[float, Verdict, list[str]] = (0.0, Verdict.DIFFERENT, [])
    for a in subject:
        for b in _identities(candidate):
            result = match(a, b)
            if result.score > best[0]:
                best = (result.score, result.verdict, [str(r) for r in result.reasons])
    return best


def _root(person: EventPerson) -> EventPerson:
    seen = {person.pk}
    while person.merged_into_id is not None:
        person = EventPerson.objects.get(pk=person.merged_into_id)
        if person.pk in seen:  # a cycle cannot be made through person_merge; stop rather than loop
            break
        seen.add(person.pk)
    return person


def _cluster_ids(person: EventPerson) -> list[int]:
    """The person and every record merged into them (transitively)."""
    ids = [person.pk]
    frontier = [person.pk]
    while frontier:
        frontier = list(EventPerson.objects.filter(merged_into_id__in=frontier).values_list("pk", flat=True))
        ids.extend(frontier)
    return ids


def _eligible(note: PersonNote, staff_ids: set[int]) -> bool:
    if note.claimed_status == ClaimedStatus.UNCONFIRMED:
        return False
    if note.claimed_status == ClaimedStatus.DECEASED:
        return note.source in OFFICIAL_SOURCES and note.reporter_id in staff_ids
    return True


def _derive(person: EventPerson, actor: User | None) -> StatusChange | None:
    """Recompute the person's status from the notes of their cluster; record and announce a change."""
    notes = list(PersonNote.objects.filter(person_id__in=_cluster_ids(person)).select_related("reporter"))
    staff_ids = {n.reporter_id for n in notes if _is_staff(n.reporter)}
    eligible = [n for n in notes if _eligible(n, staff_ids)]
    best = max(eligible, key=lambda n: (SOURCE_RANK[n.source], n.reported_at, n.pk), default=None)
    new_status = best.claimed_status if best else ClaimedStatus.UNCONFIRMED
    new_note_id = best.pk if best else None
    if new_status == person.status:
        if new_note_id != person.status_note_id:
            person.status_note_id = new_note_id
            person.save(update_fields=["status_note"])
        return None
    old = person.status
    person.status = new_status
    person.status_note_id = new_note_id
    person.save(update_fields=["status", "status_note"])
    if best is None:
        return None
    change = StatusChange.objects.create(person=person, old_status=old, new_status=new_status, note=best)
    _log(person.event, "status_changed", actor, person=person.pk, old=old, new=new_status, note=best.pk)
    if person.incident_id is not None:
        timeline_append(
            incident=person.incident,  # type: ignore[arg-type]
            kind=EventKind.PERSON_UPDATED,
            actor=actor,
            message=f"Crisis status {old} → {new_status}",
            data={"crisis_person": person.pk, "note": best.pk},
        )
    _callbacks_create(person, change)
    return change


def _callbacks_create(person: EventPerson, change: StatusChange) -> None:
    due = timezone.now() + CALLBACK_DUE
    inquiries = Inquiry.objects.filter(person_id__in=_cluster_ids(person), status=InquiryStatus.OPEN)
    CallbackTask.objects.bulk_create(
        [CallbackTask(inquiry=inquiry, status_change=change, due_at=due) for inquiry in inquiries]
    )


def _note_create(person: EventPerson, actor: User, note: NoteInput) -> PersonNote:
    if note.source not in NoteSource.values:
        raise _invalid("source", f"unknown source {note.source!r}")
    if note.claimed_status not in ClaimedStatus.values:
        raise _invalid("claimed_status", f"unknown status {note.claimed_status!r}")
    if len(note.text) > TEXT_MAX:
        raise _invalid("text", f"at most {TEXT_MAX} characters")
    reported_at = note.reported_at or timezone.now()
    if reported_at > timezone.now() + timedelta(minutes=5):
        raise _invalid("reported_at", "the report time lies in the future")
    row = PersonNote.objects.create(
        person=person,
        source=note.source,
        claimed_status=note.claimed_status,
        text=note.text,
        reported_at=reported_at,
        reporter=actor,
    )
    _log(person.event, "note_added", actor, person=person.pk, note=row.pk, source=note.source)
    if person.incident_id is not None:
        timeline_append(
            incident=person.incident,  # type: ignore[arg-type]
            kind=EventKind.NOTE,
            actor=actor,
            message=f"Crisis note ({note.source}: {note.claimed_status})",
            data={"crisis_person": person.pk, "note": row.pk},
        )
    return row


@transaction.atomic
def note_add(*, person: EventPerson, actor: User, note: NoteInput) -> PersonNote:
    person = EventPerson.objects.select_for_update().get(pk=person.pk)
    target = _root(person)
    row = _note_create(person, actor, note)
    _derive(EventPerson.objects.select_for_update().get(pk=target.pk), actor)
    return row


@dataclass(frozen=True)
class PersonRecorded:
    person: EventPerson
    created: bool
    proposal: MatchProposal | None = None


@transaction.atomic
def person_record(
    *, event: CrisisEvent, actor: User, data: PersonInput, note: NoteInput | None = None
) -> PersonRecorded:
    """Record a person, or — when the matcher says "same" — a note on the person already known."""
    if not data.name_hangul.strip() and not data.name_latin.strip():
        raise _invalid("name_hangul", "a name in Hangul or Latin letters is required")
    _check_dob(data.dob, "dob")
    passport = _check_passport(data.passport, "passport")
    contact = _phone_e164(data.contact, "contact") if data.contact else ""
    if data.sex not in Sex.values:
        raise _invalid("sex", f"unknown sex {data.sex!r}")
    subject = [
        Identity(name=name.strip(), dob=data.dob, passport=passport)
        for name in (data.name_hangul, data.name_latin)
        if name.strip()
    ]
    candidates = EventPerson.objects.filter(event=event, merged_into__isnull=True).select_for_update()
    scored = sorted(((_best_match(subject, c), c) for c in candidates), key=lambda pair: pair[0][0], reverse=True)
    if scored and scored[0][0][1] is Verdict.SAME:
        existing = scored[0][1]
        if note is not None:
            _note_create(existing, actor, note)
            _derive(existing, actor)
        _log(event, "person_deduplicated", actor, person=existing.pk, score=scored[0][0][0])
        return PersonRecorded(person=existing, created=False)
    person = EventPerson.objects.create(
        event=event,
        name_hangul=data.name_hangul.strip(),
        name_latin=data.name_latin.strip(),
        dob=data.dob,
        sex=data.sex,
        passport=passport,
        contact=contact,
        last_known_location=data.last_known_location[:300],
        hospital=data.hospital[:200],
        incident=data.incident,
    )
    _log(event, "person_recorded", actor, person=person.pk)
    proposal = None
    if scored and scored[0][0][1] is Verdict.REVIEW:
        (score, verdict, reasons), candidate = scored[0]
        proposal = MatchProposal.objects.create(
            person=person, candidate=candidate, score=score, verdict=verdict, reasons=reasons
        )
    if note is not None:
        _note_create(person, actor, note)
        _derive(person, actor)
    return PersonRecorded(person=person, created=True, proposal=proposal)


# --- merge ----------------------------------------------------------------------------------------


@transaction.atomic
def person_merge(*, person: EventPerson, into: EventPerson, actor: User) -> EventPerson:
    """Link `person` into `into`: their notes count for `into` from now on. Nothing is deleted."""
    if person.pk == into.pk:
        raise _invalid("into", "a person cannot be merged into themself")
    person = EventPerson.objects.select_for_update().get(pk=person.pk)
    into = EventPerson.objects.select_for_update().get(pk=into.pk)
    if person.event_id != into.event_id:
        raise _invalid("into", "both records must belong to the same crisis")
    if person.merged_into_id is not None:
        raise _invalid("person", "the record is already merged")
    if _root(into).pk == person.pk:
        raise _invalid("into", "the target is already merged into this record")
    person.merged_into = into
    person.save(update_fields=["merged_into"])
    _log(person.event, "person_merged", actor, person=person.pk, into=into.pk)
    target = _root(into)
    _derive(target, actor)
    return target


@transaction.atomic
def person_unmerge(*, person: EventPerson, actor: User) -> EventPerson:
    person = EventPerson.objects.select_for_update().get(pk=person.pk)
    if person.merged_into_id is None:
        raise _invalid("person", "the record is not merged")
    former = _root(person)
    person.merged_into = None
    person.save(update_fields=["merged_into"])
    _log(person.event, "person_unmerged", actor, person=person.pk, was_in=former.pk)
    _derive(EventPerson.objects.get(pk=former.pk), actor)
    _derive(person, actor)
    return person


# --- inquiries and proposals ----------------------------------------------------------------------


@dataclass(frozen=True)
class InquiryInput:
    caller_name: str
    callback_number: str
    sought_name: str
    relation: str = ""
    language: str = "ko"
    sought_age: int | None = None
    sought_dob: date | None = None
    sought_passport: str = ""
    staying_at: str = ""
    travelling_with: str = ""


def _inquiry_candidates(event: CrisisEvent) -> Any:
    return EventPerson.objects.filter(merged_into__isnull=True).filter(
        event__in=CrisisEvent.objects.filter(status=EventStatus.ACTIVE) | CrisisEvent.objects.filter(pk=event.pk)
    )


def inquiry_propose(inquiry: Inquiry) -> list[MatchProposal]:
    """Propose the persons the inquiry may be about (score at or above the lower threshold). A pair
    already proposed, confirmed or rejected is never proposed again."""
    subject = [Identity(name=inquiry.sought_name, dob=inquiry.sought_dob, passport=inquiry.sought_passport)]
    decided = set(MatchProposal.objects.filter(inquiry=inquiry).values_list("candidate_id", flat=True))
    created = []
    for candidate in _inquiry_candidates(inquiry.event).exclude(pk__in=decided):
        score, verdict, reasons = _best_match(subject, candidate)
        if verdict is Verdict.DIFFERENT:
            continue
        created.append(
            MatchProposal.objects.create(
                inquiry=inquiry, candidate=candidate, score=score, verdict=verdict, reasons=reasons
            )
        )
    return created


@transaction.atomic
def inquiry_record(*, event: CrisisEvent, actor: User, data: InquiryInput) -> Inquiry:
    if not data.caller_name.strip():
        raise _invalid("caller_name", "the caller's name is required")
    if not data.sought_name.strip():
        raise _invalid("sought_name", "the name of the person sought is required")
    number = _phone_e164(data.callback_number, "callback_number")
    _check_dob(data.sought_dob, "sought_dob")
    passport = _check_passport(data.sought_passport, "sought_passport")
    if data.sought_age is not None and not (0 <= data.sought_age <= 130):
        raise _invalid("sought_age", "an age from 0 to 130")
    if data.language not in ("ko", "en"):
        raise _invalid("language", "Korean (ko) or English (en)")
    inquiry = Inquiry.objects.create(
        event=event,
        caller_name=data.caller_name.strip()[:200],
        relation=data.relation[:100],
        callback_number=number,
        language=data.language,
        sought_name=data.sought_name.strip()[:200],
        sought_age=data.sought_age,
        sought_dob=data.sought_dob,
        sought_passport=passport,
        staying_at=data.staying_at[:300],
        travelling_with=data.travelling_with[:300],
        recorded_by=actor,
    )
    proposals = inquiry_propose(inquiry)
    _log(event, "inquiry_recorded", actor, inquiry=inquiry.pk, proposals=[p.pk for p in proposals])
    return inquiry


@transaction.atomic
def inquiry_rematch(*, inquiry: Inquiry, actor: User) -> list[MatchProposal]:
    proposals = inquiry_propose(inquiry)
    _log(inquiry.event, "inquiry_rematched", actor, inquiry=inquiry.pk, proposals=[p.pk for p in proposals])
    return proposals


@transaction.atomic
def proposal_confirm(*, proposal: MatchProposal, actor: User) -> MatchProposal:
    proposal = MatchProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != ProposalState.PROPOSED:
        raise _invalid("state", "the proposal is already decided")
    proposal.state = ProposalState.CONFIRMED
    proposal.decided_by = actor
    proposal.save(update_fields=["state", "decided_by"])
    if proposal.inquiry_id is not None:
        inquiry = proposal.inquiry
        assert inquiry is not None
        inquiry.person = proposal.candidate
        inquiry.save(update_fields=["person"])
        _log(inquiry.event, "proposal_confirmed", actor, proposal=proposal.pk, inquiry=inquiry.pk)
    else:
        assert proposal.person is not None
        person_merge(person=proposal.person, into=proposal.candidate, actor=actor)
        _log(proposal.candidate.event, "proposal_confirmed", actor, proposal=proposal.pk)
    return proposal


@transaction.atomic
def proposal_reject(*, proposal: MatchProposal, actor: User) -> MatchProposal:
    proposal = MatchProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != ProposalState.PROPOSED:
        raise _invalid("state", "the proposal is already decided")
    proposal.state = ProposalState.REJECTED
    proposal.decided_by = actor
    proposal.save(update_fields=["state", "decided_by"])
    _log(proposal.candidate.event, "proposal_rejected", actor, proposal=proposal.pk)
    return proposal


# --- callbacks ------------------------------------------------------------------------------------


@transaction.atomic
def callback_done(*, task: CallbackTask, actor: User, outcome: str) -> CallbackTask:
    task = CallbackTask.objects.select_for_update().get(pk=task.pk)
    if task.done_at is not None:
        raise _invalid("done_at", "the callback is already done")
    if not outcome.strip():
        raise _invalid("outcome", "say how the call went")
    if len(outcome) > 2000:
        raise _invalid("outcome", "at most 2000 characters")
    task.outcome = outcome.strip()
    task.done_at = timezone.now()
    task.done_by = actor
    task.save(update_fields=["outcome", "done_at", "done_by"])
    _log(task.inquiry.event, "callback_done", actor, callback=task.pk)
    return task
