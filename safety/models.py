"""Kernel models: the append-only audit log."""

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    READ_PERSONAL_DATA = "read_personal_data", "Read personal data"
    REVEAL = "reveal", "Reveal personal data"
    EXPORT = "export", "Export"
    WRITE = "write", "Write"
    LOGIN_FAILED = "login_failed", "Failed login"


class AuditEntry(models.Model):
    """Who did what to which object, when and from where. A trigger refuses UPDATE and DELETE."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=30, choices=AuditAction.choices)
    object_type = models.CharField(max_length=50)
    object_ref = models.CharField(max_length=64, db_index=True)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["actor", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.object_type} {self.object_ref}"
