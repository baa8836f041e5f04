"""Alert outbox rows, their deliveries per channel, and each delivery attempt (app label `incidents`)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AlertLevel(models.IntegerChoices):
    MISSION = 0, _("Responsible mission")
    SUPERVISING = 1, _("Supervising embassy")
    HQ = 2, _("HQ duty officer")


class AckVia(models.TextChoices):
    INBOX = "inbox", _("Inbox")
    LINK = "link", _("Signed e-mail link")
    CASE = "case", _("Case page")


class Alert(models.Model):
    """One alert of a case for one recipient: a mission, or the HQ duty officer queue (mission null).

    Written in the same transaction as the routing decision (or the escalation step) that
    causes it, with one Delivery row per channel: the outbox. `escalation_token` is the task id
    of the pending escalation step; a step whose id differs does nothing.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="alerts")
    mission = models.ForeignKey("missions.Mission", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    level = models.PositiveSmallIntegerField(choices=AlertLevel.choices, default=AlertLevel.MISSION)
    reason = models.CharField(max_length=300, blank=True)
    escalated_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="escalations"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    ack_due_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_via = models.CharField(max_length=20, choices=AckVia.choices, blank=True)
    acknowledged_by_label = models.CharField(max_length=254, blank=True, help_text="E-mail address of a link.")
    escalation_token = models.CharField(max_length=64, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "mission"], name="alert_one_per_incident_recipient", nulls_distinct=False
            ),
            models.CheckConstraint(condition=models.Q(level__gte=0, level__lte=2), name="alert_level_0_2"),
            models.CheckConstraint(
                condition=models.Q(mission__isnull=False) | models.Q(level=2), name="alert_hq_only_at_level_2"
            ),
        ]
        indexes = [
            models.Index(fields=["mission", "-created_at"]),
            models.Index(
                fields=["ack_due_at"],
                name="alert_escalation_due",
                condition=models.Q(acknowledged_at__isnull=True) & ~models.Q(escalation_token=""),
            ),
        ]

    def __str__(self) -> str:
        return f"alert {self.public_id} {self.incident_id} → {self.mission_id or 'HQ'}"


class DeliveryKind(models.TextChoices):
    INBOX = "inbox", _("Inbox")
    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Webhook")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """The delivery of one alert through one channel; (alert, key) is unique, so it happens once.

    `idempotency_key` travels with the message (Idempotency-Key header, e-mail Message-ID) so a
    receiver can drop the rare resend of a message whose success was not recorded (worker killed
    between the send and the commit).
    """

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(max_length=20, choices=DeliveryKind.choices)
    channel = models.ForeignKey(
        "missions.MissionChannel", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    key = models.CharField(max_length=40, help_text="inbox, email:<channel id>, webhook:<channel id>")
    target = models.CharField(max_length=500, blank=True, help_text="Address or URL at the time of the alert.")
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["alert", "id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["alert", "key"], name="delivery_once_per_alert_channel"),
            models.CheckConstraint(condition=models.Q(kind__in=DeliveryKind.values), name="delivery_kind_valid"),
            models.CheckConstraint(condition=models.Q(status__in=DeliveryStatus.values), name="delivery_status_valid"),
            models.CheckConstraint(
                condition=models.Q(delivered_at__isnull=True) | models.Q(status="delivered"),
                name="delivery_delivered_at_only_when_delivered",
            ),
        ]
        indexes = [
            models.Index(fields=["next_attempt_at"], name="delivery_pending_due", condition=models.Q(status="pending")),
        ]

    def __str__(self) -> str:
        return f"{self.alert_id}/{self.key} {self.status}"


class AttemptOutcome(models.TextChoices):
    OK = "ok", _("Delivered")
    RETRY = "retry", _("Temporary failure, will retry")
    FAILED = "failed", _("Failed")


class DeliveryAttempt(models.Model):
    """One try at a delivery, kept to show what happened (status code, error, duration)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=20, choices=AttemptOutcome.choices)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="attempt_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number} {self.outcome}"
