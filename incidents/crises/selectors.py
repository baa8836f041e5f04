"""Reads of crisis mode: the counts per event and per mission."""

from typing import Any

from django.db.models import Count, Q
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
from missions.models import Mission


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
