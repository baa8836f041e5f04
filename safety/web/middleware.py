"""Security middleware: request size limit, absolute session lifetime, security headers, audit of API writes."""

import json
import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse

from safety.api.conventions import error_body
from safety.models import AuditAction
from safety.privacy.audit import audit_record

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
SESSION_AUTH_AT = "osc_auth_at"

Handler = Callable[[HttpRequest], HttpResponse]


class RequestSizeLimitMiddleware:
    """Refuse (413) any request whose declared body exceeds DATA_UPLOAD_MAX_MEMORY_SIZE.

    Django checks that limit only when form data or `request.body` is read; DRF parsers read the
    stream and would not, so the limit is applied here to every request, before anything reads it.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            return JsonResponse(
                error_body("request_too_large", f"The request body is larger than {limit} bytes."), status=413
            )
        return self.get_response(request)


class SessionAbsoluteExpiryMiddleware:
    """Log out a session older than OSC_SESSION_MAX_AGE_S since login, however active it has been.

    SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST is the idle timeout; this is the absolute one.
    The login time is stamped by safety.apps (user_logged_in), or on the first request of older sessions.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if hasattr(request, "session") and request.user.is_authenticated:
            now = time.time()
            started = request.session.get(SESSION_AUTH_AT)
            if started is None:
                request.session[SESSION_AUTH_AT] = now
            elif now - float(started) > settings.OSC_SESSION_MAX_AGE_S:
                logout(request)
        return self.get_response(request)


def stamp_session_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """user_logged_in receiver: the absolute session lifetime counts from here."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_AUTH_AT] = time.time()


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response; no caching of API or signed-in pages."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.OSC_CONTENT_SECURITY_POLICY
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        if settings.OSC_PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.OSC_PERMISSIONS_POLICY
        signed_in = getattr(request, "user", None) is not None and request.user.is_authenticated
        if "Cache-Control" not in response and (request.path.startswith("/api/") or signed_in):
            response["Cache-Control"] = "no-store"
        return response


def _body_fields(request: HttpRequest) -> list[str]:
    """Top-level field names of a JSON or form body (names only: values may be personal data)."""
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return sorted(key for key in request.POST if key != "csrfmiddlewaretoken")[:50]
    if not request.content_type or not request.content_type.endswith("json"):
        return []
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return []
    return sorted(str(key) for key in body)[:50] if isinstance(body, dict) else []


# Sign-in and preferences (language, time zone) change no case data; failed logins are audited by the backend.
UNAUDITED_PATHS = ("/accounts/", "/i18n/", "/prefs/")


class ApiWriteAuditMiddleware:
    """Write an audit entry for every signed-in write request, to the API and the pages: who, when, what, from where.

    "What" is the method, path, view, answer status, touched field names and the case reference
    (from the URL, or the `reference` of a created case). Refused attempts (4xx) are recorded too.
    Views that audit their successful writes themselves (reveals, token issue) set
    `audit_writes = False`. Anonymous requests are not recorded here: the API refuses them, and
    failed logins are audited by safety.auth.backends.

    Every audited write runs in one `transaction.atomic()` with its audit entry: the entry is written
    before the commit, a 5xx answer rolls the write back (its attempt is then recorded on its own,
    best effort), and no step after the commit can turn a saved write into an error.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: dict[str, Any]) -> None:
        if request.method in SAFE_METHODS or request.path.startswith(UNAUDITED_PATHS):
            return
        view_class = getattr(view_func, "cls", None) or getattr(view_func, "view_class", None)
        # A per-request note for the audit step below; HttpRequest declares no such attribute.
        request._osc_audit = {  # type: ignore[attr-defined]
            "self_audited": view_class is not None and not getattr(view_class, "audit_writes", True),
            "view": getattr(view_class, "__name__", getattr(view_func, "__name__", "?")),
            "case_ref": str(view_kwargs.get("reference", ""))[:20],
            "fields": _body_fields(request),
        }

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in SAFE_METHODS or request.path.startswith(UNAUDITED_PATHS):
            return self.get_response(request)
        # The write and its audit entry commit together or not at all; after the commit nothing here can fail
        # (on_commit work, such as alert dispatch, logs broker errors instead of raising).
        with transaction.atomic():
            response = self.get_response(request)
            failed = response.status_code >= 500
            if failed:
                transaction.set_rollback(True)
            else:
                self._audit(request, response)
        if failed:
            self._audit_failure(request, response)
        return response

    def _audit_failure(self, request: HttpRequest, response: HttpResponse) -> None:
        """Record a failed (rolled-back) write attempt, best effort: the database may be what failed."""
        try:
            with transaction.atomic():
                self._audit(request, response)
        except DatabaseError as exc:
            logger.warning("audit of a failed write to %s not recorded: %s", request.path[:300], exc)

    def _audit(self, request: HttpRequest, response: HttpResponse) -> None:
        pending: dict[str, Any] | None = getattr(request, "_osc_audit", None)
        user = getattr(request, "user", None)
        if pending is None or user is None or not user.is_authenticated:
            return
        if pending["self_audited"] and response.status_code < 400:
            return
        case_ref = pending["case_ref"]
        data = getattr(response, "data", None)
        if not case_ref and response.status_code == 201 and isinstance(data, dict):
            case_ref = str(data.get("reference") or "")[:20]
        audit_record(
            actor=user,
            action=AuditAction.WRITE,
            object_type="incident" if case_ref else ("api" if request.path.startswith("/api/") else "page"),
            object_ref=case_ref or request.path[:64],
            case_ref=case_ref,
            request=request,
            detail={
                "method": request.method,
                "path": request.path[:300],
                "view": pending["view"],
                "status": response.status_code,
                "fields": pending["fields"],
                "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
            },
        )
