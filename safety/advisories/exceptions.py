"""Errors of the travel advisories."""

from safety.errors import ApplicationError, NotFound


class AdvisoryNotFound(NotFound):
    code = "advisory_not_found"


class AdvisoryInvalid(ApplicationError):
    code = "invalid_input"
    status_code = 400
