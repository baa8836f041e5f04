"""Periodic retention task (scheduled in CELERY_BEAT_SCHEDULE)."""

import logging

from celery import shared_task

from incidents.retention import personal_data_erase_expired

log = logging.getLogger(__name__)


@shared_task(name="incidents.erase_expired_personal_data", acks_late=True, ignore_result=True)
def erase_expired_personal_data() -> dict[str, int]:
    """Erase the personal data of cases closed longer than OSC_RETENTION_DAYS.

    Idempotent: a case erased since it was closed is not touched again, and concurrent runs skip
    each other's locked rows; running it twice erases nothing the second time. At most 500 cases
    per run: the next run takes the rest.
    """
    report = personal_data_erase_expired()
    if report.cases:
        log.info("retention: erased personal data of %d cases (%d persons, %d callers)", *report.__dict__.values())
    return {"cases": report.cases, "persons": report.persons, "callers": report.callers}
