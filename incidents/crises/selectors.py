"""Reads of crisis mode: the counts per event and per mission."""

import uuid
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from incidents.crises.models import (
    CallbackTask,
    ClaimedStatus,
    CrisisEvent,
    EventPerson,
    EventStatus,
    Inquiry,
    InquiryStatus,
)
from incidents.exceptions import CaseAccessDenied, CrisisNotFound
from missions.models import Mission
from missions.selectors import mission_ids_of
from safety.auth.roles import may_read_personal_data, sees_all_cases
from safety.auth.users import AnyUser


def _counts(events: Any) -> dict[str, Any]:
    now = timezone.now()
    persons = EventPerson.objects.filter(event__in=events, merged_into__isnull=True)
    by_status = dict.fromkeys(ClaimedStatus.values, 0)
    for row in persons.values("status").annotate(n=Count("id")):
        by_status[row["status"]] = row["n"]
    callbacks = CallbackTask.objects.filter(inquiry__event__in=events, done_at__isnull=True).aggregate(
        due=Count("id"), overdue=Count("id", filter=Q(due_at__lt=now))
    )
    return {
        "persons_known": sum(by_status.values()),
        "by_status": by_status,
        "inquiries_open": Inquiry.objects.filter(event__in=events, status=InquiryStatus.OPEN).count(),
        "callbacks_due": callbacks["due"],
        "callbacks_overdue": callbacks["overdue"],
    }


def event_counts(event: CrisisEvent) -> dict[str, Any]:
    """Persons known (merged records count once), by derived status, open inquiries, callbacks due
    (not done) and overdue (not done, past due)."""
    return _counts(CrisisEvent.objects.filter(pk=event.pk))


def mission_counts(mission: Mission) -> dict[str, Any]:
    """The same counts over the active crises the mission works on."""
    return _counts(CrisisEvent.objects.filter(missions=mission, status=EventStatus.ACTIVE))


def event_list_visible_to(*, user: AnyUser) -> QuerySet[CrisisEvent]:
    """Operators, duty officers and admins: every crisis; mission staff: the crises of their missions."""
    if not may_read_personal_data(user):
        raise CaseAccessDenied("Your role has no access to case data.")
    base = CrisisEvent.objects.prefetch_related("missions")
    if sees_all_cases(user):
        return base
    return base.filter(missions__in=mission_ids_of(user=user)).distinct()


def event_get_for(*, user: AnyUser, public_id: str | uuid.UUID) -> CrisisEvent:
    """The crisis if the user may see it; CrisisNotFound alike for a missing one and another mission's."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError as exc:
        raise CrisisNotFound("No such crisis.") from exc
    event = event_list_visible_to(user=user).filter(public_id=key).first()
    if event is None:
        raise CrisisNotFound("No such crisis.")
    return event
