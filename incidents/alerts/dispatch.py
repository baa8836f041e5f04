"""Alert work for the broker, by task name, through `incidents.dispatch.enqueue` (the one dispatch).

Everything enqueued here is already in the database (the outbox), so a message the broker
never got is sent again by the sweeper (`incidents.sweep_alerts`) or the escalation auditor.
"""

from datetime import datetime, timedelta

from django.utils import timezone

from incidents.dispatch import enqueue


def enqueue_alert_delivery(*, alert_id: int) -> bool:
    return enqueue("incidents.deliver_alert", alert_id=alert_id)


def enqueue_channel_delivery(*, delivery_id: int, countdown_s: float | None = None) -> bool:
    eta = timezone.now() + timedelta(seconds=countdown_s) if countdown_s else None
    return enqueue("incidents.deliver_alert_channel", delivery_id=delivery_id, eta=eta)


def enqueue_escalation_step(*, alert_id: int, token: str, eta: datetime | None) -> bool:
    """The step carries the alert's token as its task id: a step with any other id does nothing."""
    return enqueue("incidents.escalate_alert", alert_id=alert_id, task_id=token, eta=eta)
