"""Celery tasks of the alerts wing: a thin second door to the alert delivery, escalation and sweeps.

The task names keep the `incidents.` prefix (beat schedule, queue routes and queued messages use
them). Every task takes ids as keyword arguments, acks late (a killed worker's message is handed
out again) and is safe to run twice; the guarantee of each is in its docstring.
"""

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError

from incidents.alerts.delivery import delivery_attempt
from incidents.alerts.dispatch import enqueue_channel_delivery
from incidents.alerts.models import Delivery, DeliveryStatus
from incidents.alerts.services import alert_escalate
from incidents.alerts.sweeper import escalation_steps_audit, pending_deliveries_resend

# A lost database connection is worth a few quick retries; anything else is a bug to see.
DB_ERRORS = (OperationalError, InterfaceError)
RETRY_OPTIONS = {
    "autoretry_for": DB_ERRORS,
    "retry_backoff": 1,
    "retry_backoff_max": 30,
    "retry_jitter": True,
    "max_retries": 5,
    "acks_late": True,
}


@shared_task(bind=True, name="incidents.deliver_alert", **RETRY_OPTIONS)
def deliver_alert(self: Task, *, alert_id: int) -> int:
    """Try every pending channel of the alert here, inbox first; a temporary failure is retried by its own task.

    Twice is harmless: each delivery row is sent at most once (see delivery_attempt).
    """
    pending = list(
        Delivery.objects.filter(alert_id=alert_id, status=DeliveryStatus.PENDING)
        .order_by("id")
        .values_list("pk", flat=True)
    )
    for delivery_id in pending:
        result = delivery_attempt(delivery_id=delivery_id)
        if result.outcome == "retry" and result.retry_in_s is not None:
            enqueue_channel_delivery(delivery_id=delivery_id, countdown_s=result.retry_in_s)
    return len(pending)


@shared_task(bind=True, name="incidents.deliver_alert_channel", **RETRY_OPTIONS)
def deliver_alert_channel(self: Task, *, delivery_id: int) -> str:
    """One attempt at one (alert, channel); a temporary failure schedules the next with backoff and jitter.

    The number of attempts is bounded by ALERT_MAX_ATTEMPTS, counted in the database, not by
    this message: a retry the broker loses is resent by the sweeper at its due time.
    """
    result = delivery_attempt(delivery_id=delivery_id)
    if result.outcome == "retry" and result.retry_in_s is not None:
        enqueue_channel_delivery(delivery_id=delivery_id, countdown_s=result.retry_in_s)
    return result.outcome


@shared_task(bind=True, name="incidents.escalate_alert", **RETRY_OPTIONS)
def escalate_alert(self: Task, *, alert_id: int) -> str | None:
    """One escalation step, guarded by its task id: it acts only if it equals the alert's token.

    A duplicate or stale step (token already used, alert acknowledged) does nothing.
    """
    new = alert_escalate(alert_id=alert_id, token=self.request.id or "")
    return str(new.public_id) if new is not None else None


@shared_task(name="incidents.sweep_alerts", acks_late=True)
def sweep_alerts() -> int:
    """Resend deliveries still pending after ALERT_SWEEP_AFTER_S (the broker was down, a worker died)."""
    return pending_deliveries_resend()


@shared_task(name="incidents.audit_escalations", acks_late=True)
def audit_escalations() -> int:
    """Send the escalation steps coming due and those that should have run but did not."""
    return escalation_steps_audit()
