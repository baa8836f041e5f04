"""Pages of the kernel: the landing page that sends each role to its start page, the time-zone choice."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from safety.auth.roles import Role, roles_of
from safety.auth.users import AnyUser
from safety.web.timezones import KNOWN_ZONES, SESSION_KEY

DASHBOARD_URL = "/maps/"


def start_page_of(user: AnyUser) -> str:
    """Where a role starts: operators the case list, duty officers their queue, mission staff the
    inbox, presenters the dashboard, administrators the admin. A user without a role gets the login."""
    roles = roles_of(user)
    if Role.OPERATOR in roles:
        return reverse("case-list")
    if Role.DUTY_OFFICER in roles:
        return reverse("duty-queue")
    if Role.MISSION_STAFF in roles:
        return reverse("mission-inbox")
    if Role.PRESENTER in roles:
        return DASHBOARD_URL
    if Role.ADMIN in roles:
        return reverse("admin:index")
    return reverse("no-role")


@require_GET
@login_required
def landing(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect(start_page_of(request.user))


@require_GET
@login_required
def no_role(request: HttpRequest) -> HttpResponse:
    return render(request, "safety/no_role.html", status=403)


@require_POST
def timezone_set(request: HttpRequest) -> HttpResponse:
    """Remember the viewer's time zone in the session, then go back where they were."""
    name = request.POST.get("timezone", "")
    if name not in KNOWN_ZONES:
        return HttpResponseBadRequest("unknown time zone")
    request.session[SESSION_KEY] = name
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = "/"
    return HttpResponseRedirect(target)
