"""The viewer's chosen time zone: kept in the session, activated for each request."""

from collections.abc import Callable
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

SESSION_KEY = "osc_timezone"
KNOWN_ZONES = frozenset(available_timezones())


def viewer_zone_name(request: HttpRequest) -> str:
    """The zone the viewer chose (session), else the project's (Asia/Seoul)."""
    name = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    return name if isinstance(name, str) and name in KNOWN_ZONES else str(settings.TIME_ZONE)


class ViewerTimezoneMiddleware:
    """Activate the viewer's zone, so templates show and forms read times in it (stored UTC)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timezone.activate(ZoneInfo(viewer_zone_name(request)))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
