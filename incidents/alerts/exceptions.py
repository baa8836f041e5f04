"""Errors of alerts, with stable codes."""

from safety.errors import ApplicationError, NotFound


class AlertNotFound(NotFound):
    """Missing, or an alert of a mission the user does not work for: both look the same."""

    code = "alert_not_found"


class AlertLinkInvalid(ApplicationError):
    """An acknowledgment link that is forged, altered or expired."""

    code = "alert_link_invalid"
    status_code = 400


class DeliveryTemporaryError(Exception):
    """The channel may take the message later: timeout, refused connection, 5xx, SMTP 4xx."""

    def __init__(self, message: str, *, http_status: int | None = None) -> None:
        super().__init__(message)
        self.http_status = http_status


class DeliveryPermanentError(Exception):
    """The channel refused the message for good: 4xx, SMTP 5xx, bad address."""

    def __init__(self, message: str, *, http_status: int | None = None) -> None:
        super().__init__(message)
        self.http_status = http_status
