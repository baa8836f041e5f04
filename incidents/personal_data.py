"""Revealing the personal data of a case on an explicit request, written to the audit log and the timeline."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest

from incidents.exceptions import PersonNotFound
from incidents.models import AffectedPerson, Caller, EventKind, Incident
from incidents.selectors import incident_get_for
from incidents.timeline import timeline_append
from safety.auth.roles import may_read_personal_data
from safety.auth.users import AnyUser
from safety.models import AuditAction
from safety.privacy.audit import audit_record

PERSON_REVEALED_FIELDS = ["date_of_birth", "passport_number", "contact"]
CALLER_REVEALED_FIELDS = ["phone"]


def _reveal_record(
    *,
    user: AnyUser,
    incident: Incident,
    request: HttpRequest | None,
    kind: str,
    pk: int,
    fields: list[str],
    message: str,
) -> None:
    """The audit entry (reveal) and the timeline event of one reveal, in the caller's transaction."""
    audit_record(
        actor=user,
        action=AuditAction.REVEAL,
        object_type=kind,
        object_ref=f"{kind}:{pk}",
        case_ref=incident.reference,
        request=request,
        detail={"fields": fields},
    )
    timeline_append(
        incident=incident,
        kind=EventKind.PERSONAL_DATA_READ,
        actor=user if isinstance(user, AbstractBaseUser) else None,
        message=message,
        data={kind: pk, "fields": fields},
    )


@transaction.atomic
def person_reveal(
    *, user: AnyUser, reference: str, person_id: int, request: HttpRequest | None = None
) -> AffectedPerson:
    """The person in clear, if the user may see the case; audited (reveal) and on the timeline.

    Raises IncidentNotFound / PersonNotFound alike for missing and forbidden.
    """
    incident = incident_get_for(user=user, reference=reference)
    person = AffectedPerson.objects.filter(incident=incident, pk=person_id).first()
    if person is None or not may_read_personal_data(user):
        raise PersonNotFound("No such person on this case.")
    _reveal_record(
        user=user,
        incident=incident,
        request=request,
        kind="person",
        pk=person.pk,
        fields=PERSON_REVEALED_FIELDS,
        message=f"personal data of person #{person.pk} revealed",
    )
    return person


@transaction.atomic
def caller_reveal(*, user: AnyUser, reference: str, caller_id: int, request: HttpRequest | None = None) -> Caller:
    """The caller in clear; audited and on the timeline, like person_reveal."""
    incident = incident_get_for(user=user, reference=reference)
    caller = Caller.objects.filter(incident=incident, pk=caller_id).first()
    if caller is None or not may_read_personal_data(user):
        raise PersonNotFound("No such caller on this case.")
    _reveal_record(
        user=user,
        incident=incident,
        request=request,
        kind="caller",
        pk=caller.pk,
        fields=CALLER_REVEALED_FIELDS,
        message=f"phone of caller #{caller.pk} revealed",
    )
    return caller
