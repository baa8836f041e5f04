"""Delivering one alert through one channel: inbox, e-mail (SMTP), signed webhook.

`delivery_attempt` is the only writer of Delivery state. It takes the delivery row with
`SELECT … FOR UPDATE SKIP LOCKED` and keeps the lock while it sends, so two workers never send
the same (alert, channel) at once; a worker killed mid-send loses its connection, the
transaction rolls back and the row is pending again for the sweeper. A delivered or failed
row is never sent again. The one window left is a send that reached the receiver just before
the worker died: the resend then carries the same idempotency key (header, Message-ID).
"""

import hashlib
import hmac
import json
import random
import smtplib
import time
from dataclasses import dataclass
from datetime import timedelta

import requests
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from incidents.alerts.exceptions import DeliveryPermanentError, DeliveryTemporaryError
from incidents.alerts.messages import email_compose, webhook_body
from incidents.alerts.models import AttemptOutcome, Delivery, DeliveryAttempt, DeliveryKind, DeliveryStatus
from incidents.alerts.services import alert_escalate
from incidents.models import EventKind
from incidents.timeline import timeline_append

EARLY_TOLERANCE_S = 1.0
USER_AGENT = "osc-alerts/1"


@dataclass(frozen=True)
class AttemptResult:
    outcome: str  # "ok", "retry", "failed", or "skipped" (not pending, locked elsewhere, not yet due)
    retry_in_s: float | None = None


def backoff_s(*, attempt: int) -> float:
    """Exponential backoff with full jitter: uniform in [base·2^(n-1) / 2, base·2^(n-1)], capped."""
    ceiling = min(settings.ALERT_RETRY_MAX_S, settings.ALERT_RETRY_BASE_S * (2 ** max(attempt - 1, 0)))
    return random.uniform(ceiling / 2, ceiling)


def webhook_signature(*, secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>." + body): what X-Signature carries."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def _send_email(delivery: Delivery) -> int | None:
    subject, body = email_compose(alert=delivery.alert, recipient=delivery.target)
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.target],
        headers={
            "Message-ID": f"<{delivery.idempotency_key}@osc-alerts>",
            "X-OSC-Alert": str(delivery.alert.public_id),
            "X-OSC-Idempotency-Key": str(delivery.idempotency_key),
        },
    )
    try:
        get_connection(fail_silently=False).send_messages([message])
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryPermanentError(f"recipient refused: {exc.recipients}") from exc
    except smtplib.SMTPResponseException as exc:
        if 500 <= exc.smtp_code < 600:
            raise DeliveryPermanentError(f"SMTP {exc.smtp_code} {exc.smtp_error!r}") from exc
        raise DeliveryTemporaryError(f"SMTP {exc.smtp_code} {exc.smtp_error!r}") from exc
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        raise DeliveryTemporaryError(f"SMTP unavailable: {type(exc).__name__}: {exc}") from exc
    return None


def _send_webhook(delivery: Delivery) -> int | None:
    channel = delivery.channel
    if channel is None or not channel.secret:
        raise DeliveryPermanentError("the webhook channel was removed")
    body = json.dumps(webhook_body(alert=delivery.alert), ensure_ascii=False, sort_keys=True).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "Idempotency-Key": str(delivery.idempotency_key),
        "X-Signature-Timestamp": timestamp,
        "X-Signature": webhook_signature(secret=channel.secret, timestamp=timestamp, body=body),
        "X-OSC-Alert": str(delivery.alert.public_id),
    }
    try:
        response = requests.post(
            delivery.target, data=body, headers=headers, timeout=settings.ALERT_WEBHOOK_TIMEOUT_S, allow_redirects=False
        )
    except requests.Timeout as exc:
        raise DeliveryTemporaryError(f"timeout after {settings.ALERT_WEBHOOK_TIMEOUT_S:g} s") from exc
    except requests.ConnectionError as exc:
        raise DeliveryTemporaryError(f"connection failed: {exc}") from exc
    except requests.RequestException as exc:  # a bad URL, a redirect loop: retrying will not help
        raise DeliveryPermanentError(f"request refused: {type(exc).__name__}: {exc}") from exc
    code = response.status_code
    if 200 <= code < 300:
        return code
    if code >= 500 or code in (408, 429):
        raise DeliveryTemporaryError(f"HTTP {code}", http_status=code)
    raise DeliveryPermanentError(f"HTTP {code}", http_status=code)


SENDERS = {
    DeliveryKind.INBOX: lambda delivery: None,
    DeliveryKind.EMAIL: _send_email,
    DeliveryKind.WEBHOOK: _send_webhook,
}


def delivery_attempt(*, delivery_id: int) -> AttemptResult:
    """Try the delivery once if it is pending and due; record the attempt and the new state.

    Idempotent: a delivered or failed row, a row another worker holds, or a retry that is not
    yet due is skipped. After the last allowed temporary failure (ALERT_MAX_ATTEMPTS) or a
    permanent one the delivery is failed, shown on the timeline, and the alert escalates.
    """
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("alert__incident__country", "alert__mission", "channel")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None:
            return AttemptResult("skipped")
        now = timezone.now()
        if delivery.next_attempt_at > now + timedelta(seconds=EARLY_TOLERANCE_S):
            return AttemptResult("skipped")
        number = delivery.attempts + 1
        started = time.monotonic()
        http_status: int | None = None
        error = ""
        retry_in: float | None = None
        try:
            http_status = SENDERS[DeliveryKind(delivery.kind)](delivery)
            outcome = AttemptOutcome.OK
        except DeliveryTemporaryError as exc:
            http_status, error = exc.http_status, str(exc)
            outcome = AttemptOutcome.RETRY if number < settings.ALERT_MAX_ATTEMPTS else AttemptOutcome.FAILED
        except DeliveryPermanentError as exc:
            http_status, error = exc.http_status, str(exc)
            outcome = AttemptOutcome.FAILED
        finished = timezone.now()
        if delivery.kind != DeliveryKind.INBOX:  # the inbox cannot fail: its one attempt is the delivery itself
            DeliveryAttempt.objects.create(
                delivery=delivery,
                number=number,
                outcome=outcome,
                http_status=http_status,
                error=error[:500],
                duration_ms=int((time.monotonic() - started) * 1000),
            )
        delivery.attempts = number
        delivery.last_error = error[:500]
        if outcome == AttemptOutcome.OK:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = finished
        elif outcome == AttemptOutcome.RETRY:
            retry_in = backoff_s(attempt=number)
            delivery.next_attempt_at = finished + timedelta(seconds=retry_in)
        else:
            delivery.status = DeliveryStatus.FAILED
            delivery.failed_at = finished
        delivery.save(
            update_fields=["attempts", "last_error", "status", "delivered_at", "next_attempt_at", "failed_at"]
        )
        alert = delivery.alert
        if outcome == AttemptOutcome.OK and delivery.kind != DeliveryKind.INBOX:
            timeline_append(
                incident=alert.incident,
                actor=None,
                kind=EventKind.ALERT,
                message=f"alert delivered by {delivery.kind} (attempt {number})",
                data={"alert": str(alert.public_id), "channel": delivery.key, "attempts": number},
            )
        if outcome == AttemptOutcome.FAILED:
            timeline_append(
                incident=alert.incident,
                actor=None,
                kind=EventKind.ALERT,
                message=f"alert delivery by {delivery.kind} failed after {number} attempts: {error}",
                data={"alert": str(alert.public_id), "channel": delivery.key, "attempts": number, "error": error},
            )
            if alert.escalation_token:
                alert_escalate(
                    alert_id=alert.pk, token=alert.escalation_token, reason=f"{delivery.kind} delivery failed"
                )
    return AttemptResult(str(outcome), retry_in)
