"""Kernel models: the append-only audit log, API tokens for integrations."""

import uuid

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    READ_PERSONAL_DATA = "read_personal_data", "Read personal data"
    REVEAL = "reveal", "Reveal personal data"
    EXPORT = "export", "Export"
    WRITE = "write", "Write"
    LOGIN_FAILED = "login_failed", "Failed login"
    LOGIN_LOCKED = "login_locked", "Login refused (locked out)"
    LOGIN_UNLOCKED = "login_unlocked", "Login lock lifted"
    TOKEN_ISSUED = "token_issued", "API token issued"
    TOKEN_REVOKED = "token_revoked", "API token revoked"
    ERASE = "erase", "Personal data erased (retention)"
    KEY_ROTATION = "key_rotation", "Personal-data keys rotated"


class AuditEntry(models.Model):
    """Who did what to which object, when and from where. A trigger refuses UPDATE and DELETE."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=30, choices=AuditAction.choices)
    object_type = models.CharField(max_length=50)
    object_ref = models.CharField(max_length=64, db_index=True)
    case_ref = models.CharField(
        max_length=20, blank=True, db_index=True, help_text="Reference of the case the entry concerns, if any."
    )
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["actor", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.object_type} {self.object_ref}"


class TokenScope(models.TextChoices):
    READ = "read", "Read (GET only)"
    WRITE = "write", "Read and write"


class ApiToken(models.Model):
    """A bearer token of an integration. Only the SHA-256 of the key is stored; the key is shown once."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True, help_text="What the integration is.")
    key_prefix = models.CharField(max_length=8, help_text="First characters of the key, to recognise it.")
    key_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(scope__in=TokenScope.values), name="apitoken_scope_valid"),
            models.CheckConstraint(condition=models.Q(expires_at__gt=models.F("created_at")), name="apitoken_expires"),
            models.CheckConstraint(condition=models.Q(key_hash__regex=r"^[0-9a-f]{64}$"), name="apitoken_hash_hex"),
        ]

    def __str__(self) -> str:
        return f"{self.key_prefix}… ({self.scope}) of {self.user_id}"


class IdempotencyRecord(models.Model):
    """The first answer to a creating API request sent with an `Idempotency-Key` header.

    Scoped per user: (user, key) is unique. The row commits in the same transaction as the
    write it answers, so a key is either bound to a saved result or free again. Kept
    OSC_IDEMPOTENCY_TTL_S (24 h); `safety.delete_expired_idempotency_records` removes older rows.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64, help_text="SHA-256 of method, path and body of the first request.")
    status_code = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
