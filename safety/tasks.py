"""Periodic kernel tasks (scheduled in CELERY_BEAT_SCHEDULE)."""

import logging

from celery import shared_task

from safety.api.idempotency import idempotency_records_delete_expired

log = logging.getLogger(__name__)


@shared_task(name="safety.delete_expired_idempotency_records", acks_late=True, ignore_result=True)
def delete_expired_idempotency_records() -> int:
    """Delete Idempotency-Key records older than OSC_IDEMPOTENCY_TTL_S; idempotent."""
    deleted = idempotency_records_delete_expired()
    if deleted:
        log.info("idempotency: deleted %d expired records", deleted)
    return deleted
