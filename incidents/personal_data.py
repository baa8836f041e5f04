"""Revealing the personal data of a case on an explicit request, written to the audit log and the timeline."""

import time

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext

from incidents.exceptions import PersonNotFound, RevealLimited
from incidents.models import AffectedPerson, Caller, EventKind, Incident
from incidents.selectors import incident_get_for
from incidents.timeline import timeline_append
from safety.auth.roles import may_read_personal_data
from safety.auth.users import AnyUser
from safety.cache_state import CACHE_ERRORS, cache_failed, cache_recovered
from safety.models import AuditAction
from safety.privacy.audit import audit_record

PERSON_REVEALED_FIELDS = ["date_of_birth", "passport_number", "contact"]
CALLER_REVEALED_FIELDS = ["phone"]


PERIODS_S = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def reveal_rate() -> tuple[int, int]:
    """(reveals, seconds) from the `reveal` rate (settings REST_FRAMEWORK DEFAULT_THROTTLE_RATES, e.g. "30/min")."""
    rate = str(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["reveal"])  # type: ignore[index]
    count, period = rate.split("/")
    return int(count), PERIODS_S[period[0]]


def reveal_allow(*, user: AnyUser) -> None:
    """Count one reveal of the user, on the API and the page alike; RevealLimited past the rate.

    The reveals of the last period are kept in the cache per user; while the cache is unreachable the
    limit fails open (every reveal is still audited).
    """
    limit, period_s = reveal_rate()
    key = f"reveal:user:{user.pk}"
    now = time.time()
    try:
        history = [at for at in cache.get(key, []) if at > now - period_s]
        if len(history) >= limit:
            raise RevealLimited(
                gettext("Too many reveals of personal data: at most %(limit)s in %(seconds)s seconds.")
                % {"limit": limit, "seconds": period_s}
            )
        cache.set(key, [*history, now], timeout=period_s)
    except CACHE_ERRORS as exc:
        cache_failed(exc, where="reveal limit")
        return
    cache_recovered()


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

    Raises IncidentNotFound / PersonNotFound alike for missing and forbidden, RevealLimited past the rate.
    """
    incident = incident_get_for(user=user, reference=reference)
    person = AffectedPerson.objects.filter(incident=incident, pk=person_id).first()
    if person is None or not may_read_personal_data(user):
        raise PersonNotFound("No such person on this case.")
    reveal_allow(user=user)
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
    reveal_allow(user=user)
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
