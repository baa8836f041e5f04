"""The periodic second chance: resend pending deliveries and run escalation steps that did not run."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from incidents.alerts.dispatch import enqueue_channel_delivery, enqueue_escalation_step
from incidents.alerts.models import Alert, Delivery, DeliveryStatus

SWEEP_BATCH = 2000


def pending_deliveries_resend() -> int:
    """Enqueue every delivery still pending ALERT_SWEEP_AFTER_S after it was due; returns how many.

    Duplicates with a message the broker still holds are harmless: delivery_attempt skips a
    row that is delivered, failed, locked by another worker or not yet due.
    """
    cutoff = timezone.now() - timedelta(seconds=settings.ALERT_SWEEP_AFTER_S)
    ids = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=cutoff)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    sent = 0
    for delivery_id in ids:
        if not enqueue_channel_delivery(delivery_id=delivery_id):
            break
        sent += 1
    return sent


def escalation_steps_audit() -> int:
    """Enqueue the escalation step of every unacknowledged alert due before the next audit.

    Steps coming due within the next audit interval are sent with their ETA (on time); overdue
    ones by more than ALERT_ESCALATION_GRACE_S (a lost or never-sent step) are sent now. Each
    carries the alert's token as task id, so a duplicate step does nothing.
    """
    now = timezone.now()
    horizon = now + timedelta(seconds=settings.ALERT_ESCALATION_AUDIT_EVERY_S)
    overdue = now - timedelta(seconds=settings.ALERT_ESCALATION_GRACE_S)
    rows = list(
        Alert.objects.filter(acknowledged_at__isnull=True, incident__acknowledged_at__isnull=True)
        .exclude(escalation_token="")
        .filter(Q(ack_due_at__lte=overdue) | Q(ack_due_at__gt=now, ack_due_at__lte=horizon))
        .order_by("ack_due_at")
        .values_list("pk", "escalation_token", "ack_due_at")[:SWEEP_BATCH]
    )
    sent = 0
    for alert_id, token, due in rows:
        if not enqueue_escalation_step(alert_id=alert_id, token=token, eta=due if due > now else None):
            break
        sent += 1
    return sent
