"""Writes of a case's affected persons and callers."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from incidents.exceptions import IncidentInvalid
from incidents.models import (
    AffectedPerson,
    Caller,
    EventKind,
    Incident,
    PersonStatus,
)
from incidents.services.casework import NOTE_MAX
from incidents.timeline import timeline_append
from safety.auth.users import User


@dataclass(frozen=True)
class PersonInput:
    name: str
    date_of_birth: date | None = None
    nationality: str = "KR"
    passport_number: str = ""
    contact: str = ""
    status: str = PersonStatus.UNKNOWN


@dataclass(frozen=True)
class CallerInput:
    name: str
    phone: str
    relation: str = ""


@transaction.atomic
def person_add(*, incident: Incident, actor: User, person: PersonInput) -> AffectedPerson:
    row = AffectedPerson(
        incident=incident,
        name=person.name,
        date_of_birth=person.date_of_birth,
        nationality=person.nationality,
        passport_number=person.passport_number,
        contact=person.contact,
        status=person.status,
    )
    row.full_clean(exclude=["incident"])
    row.save()
    timeline_append(
        incident=incident,
        kind=EventKind.PERSON_ADDED,
        actor=actor,
        message=f"person #{row.pk} added ({row.status})",
        data={"person": row.pk, "status": row.status},
    )
    return row


@transaction.atomic
def caller_add(*, incident: Incident, actor: User, caller: CallerInput) -> Caller:
    row = Caller(incident=incident, name=caller.name, phone=caller.phone, relation=caller.relation)
    row.full_clean(exclude=["incident"])
    row.save()
    timeline_append(
        incident=incident,
        kind=EventKind.CALLER_ADDED,
        actor=actor,
        message=f"caller #{row.pk} added",
        data={"caller": row.pk},
    )
    return row


@transaction.atomic
def person_status_change(
    *, person: AffectedPerson, actor: User, status: PersonStatus | str, note: str = ""
) -> AffectedPerson:
    """Set an affected person's status; the change (from, to, note) goes on the case's timeline.

    The person's status history is the sequence of those events (selectors.person_history).
    """
    if status not in PersonStatus.values:
        raise IncidentInvalid("Unknown status.", fields={"status": [f"unknown status {status!r}"]})
    if len(note) > NOTE_MAX:
        raise IncidentInvalid("The note is too long.", fields={"note": [f"at most {NOTE_MAX} characters"]})
    person = AffectedPerson.objects.select_for_update().get(pk=person.pk)
    old = person.status
    if old == status:
        return person
    person.status = status
    person.save(update_fields=["status", "updated_at"])
    timeline_append(
        incident=person.incident,
        kind=EventKind.PERSON_UPDATED,
        actor=actor,
        message=f"person #{person.pk}: {old} → {status}" + (f" ({note.strip()})" if note.strip() else ""),
        data={"person": person.pk, "field": "status", "from": old, "to": str(status), "note": note.strip()},
    )
    return person
