"""Retention: erase the personal data of cases closed for longer than settings.OSC_RETENTION_DAYS.

What is erased: every affected person's name, date of birth, passport number and phone; every
caller's name, phone and relation; the case's free-text description. What stays: the case (reference,
category, severity, status, times, place, mission, summary), the persons' status and nationality
(the aggregates count them), and the timeline. Each erasure is a timeline event and an audit entry.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from incidents.models import AffectedPerson, Caller, EventKind, Incident, Status
from incidents.timeline import timeline_append
from safety.models import AuditAction
from safety.privacy.audit import audit_record


@dataclass(frozen=True)
class ErasureReport:
    cases: int
    persons: int
    callers: int


def retention_cutoff(*, now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=settings.OSC_RETENTION_DAYS)


def incidents_due_for_erasure(*, now: datetime | None = None) -> QuerySet[Incident]:
    """Closed before the cutoff and not erased since they were (last) closed."""
    return Incident.objects.filter(status=Status.CLOSED, closed_at__lt=retention_cutoff(now=now)).filter(
        Q(personal_data_erased_at__isnull=True) | Q(personal_data_erased_at__lt=F("closed_at"))
    )


@transaction.atomic
def incident_personal_data_erase(*, incident_id: int, now: datetime | None = None) -> tuple[int, int] | None:
    """Erase one case's personal data; None if it is no longer due (idempotent under concurrency).

    Locks the case row (SKIP LOCKED: a concurrent run handling it is left alone) and checks again.
    """
    incident = incidents_due_for_erasure(now=now).select_for_update(skip_locked=True).filter(pk=incident_id).first()
    if incident is None:
        return None
    erased_at = timezone.now()
    persons = AffectedPerson.objects.filter(incident=incident).update(
        name="", date_of_birth=None, passport_number="", contact="", updated_at=erased_at
    )
    callers = Caller.objects.filter(incident=incident).update(name="", phone="", relation="")
    Incident.objects.filter(pk=incident.pk).update(description="", personal_data_erased_at=erased_at)
    timeline_append(
        incident=incident,
        kind=EventKind.PERSONAL_DATA_ERASED,
        actor=None,
        message=f"personal data erased after {settings.OSC_RETENTION_DAYS} days closed",
        data={"persons": persons, "callers": callers},
    )
    audit_record(
        actor=None,
        action=AuditAction.ERASE,
        object_type="incident",
        object_ref=incident.reference,
        detail={
            "persons": persons,
            "callers": callers,
            "closed_at": incident.closed_at.isoformat() if incident.closed_at else None,
            "retention_days": settings.OSC_RETENTION_DAYS,
        },
    )
    return persons, callers


def personal_data_erase_expired(*, now: datetime | None = None, batch_size: int = 500) -> ErasureReport:
    """Erase every case due; one transaction per case, so a failure leaves the others done."""
    cases = persons = callers = 0
    for incident_id in list(incidents_due_for_erasure(now=now).values_list("pk", flat=True)[:batch_size]):
        result = incident_personal_data_erase(incident_id=incident_id, now=now)
        if result is not None:
            cases += 1
            persons += result[0]
            callers += result[1]
    return ErasureReport(cases=cases, persons=persons, callers=callers)
