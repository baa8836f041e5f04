"""`Idempotency-Key` on creating API requests: a retried POST answers the first result, never a second write.

The key is scoped per user. Its row (safety.models.IdempotencyRecord) is inserted before the view
runs and commits in the same transaction as the write and its audit entry, so:

- the same key and the same request (method, path, body) within OSC_IDEMPOTENCY_TTL_S answer the
  first status and body again, with no second write;
- the same key with another request is a 409 `idempotency_key_reused`;
- a concurrent duplicate waits on the unique (user, key) index until the first commits, then is
  answered its result (or, if the first rolled back, runs itself);
- only 2xx answers are kept: a refused or failed request leaves the key free for the retry.
"""

import hashlib
import json
import re
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http.request import RawPostDataException
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from safety.errors import ApplicationError
from safety.models import IdempotencyRecord

HEADER = "Idempotency-Key"
KEY_MAX = 200
# Visible ASCII only: no spaces, control characters or NUL (the key is echoed in logs and compared as text).
KEY_PATTERN = re.compile(rf"[\x21-\x7e]{{1,{KEY_MAX}}}")
REPLAY_HEADER = "Idempotent-Replayed"


class IdempotencyKeyInvalid(ApplicationError):
    code = "invalid_idempotency_key"
    status_code = 400


class IdempotencyKeyReused(ApplicationError):
    code = "idempotency_key_reused"
    status_code = 409


class IdempotentReplay(Exception):
    """Raised before the view runs when the key already holds a result: the view answers it instead."""

    def __init__(self, record: IdempotencyRecord) -> None:
        super().__init__(record.key)
        self.record = record


def idempotency_key_of(request: Request) -> str | None:
    """The request's key, None without one; IdempotencyKeyInvalid when it is malformed."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not KEY_PATTERN.fullmatch(key):
        raise IdempotencyKeyInvalid(
            f"{HEADER} must be 1 to {KEY_MAX} visible ASCII characters.",
            fields={HEADER: [f"1 to {KEY_MAX} visible ASCII characters (no spaces or control characters)"]},
        )
    return key


def request_fingerprint(request: Request) -> str:
    """SHA-256 of method, path and body (the parsed body when the raw one was consumed by form parsing)."""
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    try:
        digest.update(request._request.body)
    except RawPostDataException:
        digest.update(json.dumps(request.data, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def idempotency_cutoff() -> Any:
    return timezone.now() - timedelta(seconds=settings.OSC_IDEMPOTENCY_TTL_S)


def idempotency_claim(*, user: Any, key: str, fingerprint: str) -> IdempotencyRecord:
    """Bind `key` to this request in the current transaction, or raise IdempotentReplay / IdempotencyKeyReused.

    Must run inside the write's transaction: the claim commits or rolls back with it.
    """
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return IdempotencyRecord.objects.create(
                    user=user, key=key, request_hash=fingerprint, status_code=0, response_body={}
                )
        except IntegrityError:
            pass  # held by a committed request (the insert waited for it if it was still running)
        existing = IdempotencyRecord.objects.select_for_update().filter(user=user, key=key).first()
        if existing is None:
            continue  # deleted meanwhile (expired): claim again
        if existing.created_at < idempotency_cutoff():
            existing.delete()
            continue
        if existing.request_hash != fingerprint:
            raise IdempotencyKeyReused(
                f"This {HEADER} was already used for a different request.", fields={HEADER: ["already used"]}
            )
        raise IdempotentReplay(existing)
    raise IdempotencyKeyReused(f"This {HEADER} is in use by a concurrent request.", fields={HEADER: ["in use"]})


def idempotency_settle(*, record: IdempotencyRecord, response: Response) -> None:
    """Keep a 2xx answer under the claimed key; release the key of any other answer."""
    if 200 <= response.status_code < 300:
        record.status_code = response.status_code
        record.response_body = json.loads(JSONRenderer().render(response.data) or b"null")
        record.save(update_fields=["status_code", "response_body"])
    else:
        record.delete()


def idempotency_records_delete_expired() -> int:
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=idempotency_cutoff()).delete()
    return deleted


class IdempotentCreateMixin:
    """For APIViews whose POST creates: honours `Idempotency-Key` (see the module docstring).

    The POST runs in one transaction with its key claim (nested in the request's transaction
    opened by safety.web.middleware.ApiWriteAuditMiddleware, so the audit entry commits with it).
    """

    _idempotency_record: IdempotencyRecord | None = None

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if request.method != "POST":
            return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        with transaction.atomic():
            response = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
            if response.status_code >= 500:
                transaction.set_rollback(True)
            return response

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        self._idempotency_record = None
        if request.method != "POST":
            return
        key = idempotency_key_of(request)
        if key is not None and request.user.is_authenticated:
            self._idempotency_record = idempotency_claim(
                user=request.user, key=key, fingerprint=request_fingerprint(request)
            )

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, IdempotentReplay):
            response = Response(exc.record.response_body, status=exc.record.status_code)
            response[REPLAY_HEADER] = "true"
            return response
        return super().handle_exception(exc)  # type: ignore[misc]

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        record, self._idempotency_record = self._idempotency_record, None
        if record is not None:
            idempotency_settle(record=record, response=response)
        return response
