"""Writing the audit log."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest

from safety.models import AuditAction, AuditEntry


def client_addr(request: HttpRequest | None) -> str | None:
    """The client address as seen by Django (REMOTE_ADDR; the proxy sets it, see docs/operations.md)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: AuditAction,
    object_type: str,
    object_ref: str,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit entry (in the caller's transaction, if any)."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=object_type,
        object_ref=object_ref,
        remote_addr=client_addr(request),
        detail=detail or {},
    )
