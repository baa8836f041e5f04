"""The authentication backend: Django's model backend behind the login lockout, with failures audited."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from safety.auth.lockout import login_failure_register, login_success_register, login_wait_s
from safety.models import AuditAction
from safety.privacy.audit import audit_record, client_addr

LOCKED_FLAG = "osc_login_locked"


class LockoutModelBackend(ModelBackend):
    """Refuses a login that must still wait: username from this address, or the address (PermissionDenied).

    Used by the Django login view, the admin login and POST /api/auth/token/ alike, since all of
    them go through django.contrib.auth.authenticate(). A refused login marks the request
    (`osc_login_locked`) so the caller can say why.
    """

    # Django calls backends with keyword credentials; the stubs' ModelBackend signature and return differ.
    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> AbstractBaseUser | None:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        addr = client_addr(request)
        wait_s = login_wait_s(username=username, addr=addr)
        if wait_s:
            if request is not None:
                setattr(request, LOCKED_FLAG, wait_s)
            raise PermissionDenied("login locked")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            login_success_register(username=username, addr=addr)
            return user
        next_wait_s = login_failure_register(username=username, addr=addr)
        audit_record(
            actor=None,
            action=AuditAction.LOGIN_LOCKED if next_wait_s else AuditAction.LOGIN_FAILED,
            object_type="login",
            object_ref=username[:64],
            request=request,
        )
        if next_wait_s and request is not None:
            setattr(request, LOCKED_FLAG, next_wait_s)
        return None


def login_was_locked(request: Any) -> bool:
    return bool(getattr(request, LOCKED_FLAG, 0))


def login_wait_of(request: Any) -> int:
    """Seconds the refused login must wait (0 when it was not refused for a lock)."""
    return int(getattr(request, LOCKED_FLAG, 0) or 0)
