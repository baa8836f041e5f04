"""Signed acknowledgment links sent in alert e-mails (django.core.signing, time-limited)."""

from typing import Any

from django.conf import settings
from django.core import signing

from incidents.alerts.exceptions import AlertLinkInvalid

SALT = "osc.alerts.acknowledge"


def ack_token_make(*, alert_public_id: str, recipient: str) -> str:
    return signing.dumps({"a": alert_public_id, "r": recipient}, salt=SALT, compress=True)


def ack_token_read(*, token: str) -> dict[str, Any]:
    """The alert id and recipient of a link; AlertLinkInvalid if forged, altered or expired."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=settings.ALERT_LINK_MAX_AGE_S)
    except signing.SignatureExpired as exc:
        raise AlertLinkInvalid("This acknowledgment link has expired.") from exc
    except signing.BadSignature as exc:
        raise AlertLinkInvalid("This acknowledgment link is not valid.") from exc
    if not isinstance(payload, dict) or "a" not in payload:
        raise AlertLinkInvalid("This acknowledgment link is not valid.")
    return payload


def ack_url(*, alert_public_id: str, recipient: str) -> str:
    token = ack_token_make(alert_public_id=alert_public_id, recipient=recipient)
    return f"{(settings.SITE_URL or '').rstrip('/')}/alerts/ack/{token}/"
