"""Base error of the project: every domain error has a stable snake_case code."""

from typing import Any


class ApplicationError(Exception):
    """A domain error shown to the caller as {"code", "message", "fields"}."""

    code = "application_error"
    status_code = 400

    def __init__(self, message: str, *, fields: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class NotFound(ApplicationError):
    """The entity is missing or not visible to the caller; both look the same."""

    code = "not_found"
    status_code = 404


class PermissionDenied(ApplicationError):
    code = "permission_denied"
    status_code = 403
