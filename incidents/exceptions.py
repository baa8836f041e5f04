"""Errors of the incidents app, with stable codes."""

from safety.errors import ApplicationError, NotFound


class IncidentNotFound(NotFound):
    code = "incident_not_found"


class IncidentInvalid(ApplicationError):
    code = "incident_invalid"


class CaseAccessDenied(ApplicationError):
    """The user's role has no access to case data at all (e.g. a presenter)."""

    code = "case_access_denied"
    status_code = 403


class PersonNotFound(NotFound):
    """The person or caller is not on that case (or the case is not visible); both look the same."""

    code = "person_not_found"


class RevealLimited(ApplicationError):
    """The user revealed personal data too often in the period (one limit for the API and the page)."""

    code = "reveal_limited"
    status_code = 429


class GeocoderStillFailing(Exception):
    """A geocoder provider still fails for a case waiting to be geocoded again (the task retries)."""


class CrisisInvalid(ApplicationError):
    """Bad input to crisis mode (event area, person, note, inquiry, merge, callback)."""

    code = "crisis_invalid"


class CrisisNotFound(NotFound):
    code = "crisis_not_found"


class CrisisDenied(ApplicationError):
    code = "crisis_denied"
    status_code = 403
