"""The authentication backend: Django's model backend behind the login lockout, with failures audited."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from safety.auth.lockout import login_failure_register, login_is_locked, login_success_register
from safety.models import AuditAction
from safety.privacy.audit import audit_record, client_addr

LOCKED_FLAG = "osc_login_locked"


class LockoutModelBackend(ModelBackend):
    """Refuses every login of a locked username or address (PermissionDenied stops Django's backend loop).

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
        if login_is_locked(username=username, addr=addr):
            if request is not None:
                setattr(request, LOCKED_FLAG, True)
            raise PermissionDenied("login locked")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            login_success_register(username=username)
            return user
        started_lock = login_failure_register(username=username, addr=addr)
        audit_record(
            actor=None,
            action=AuditAction.LOGIN_LOCKED if started_lock else AuditAction.LOGIN_FAILED,
            object_type="login",
            object_ref=username[:64],
            request=request,
        )
        if started_lock and request is not None:
            setattr(request, LOCKED_FLAG, True)
        return None


def login_was_locked(request: Any) -> bool:
    return bool(getattr(request, LOCKED_FLAG, False))
