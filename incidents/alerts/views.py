"""Browser pages of alerts: the mission inbox, the duty officer's queue, one alert, one-click
acknowledgment, and the page behind the signed acknowledgment link of an alert e-mail.

The signed link needs no login (the signature is the key); GET shows the case and a button and
only POST acknowledges, so a mail scanner that follows links acknowledges nothing. The other
pages are for case workers; their querysets are in incidents/alerts/selectors.py.
"""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from incidents.alerts.exceptions import AlertLinkInvalid, AlertNotFound
from incidents.alerts.links import ack_token_read
from incidents.alerts.models import AckVia
from incidents.alerts.selectors import (
    alert_get_by_public_id,
    alert_get_for,
    alert_with_deliveries_for,
    hq_alerts_of,
    inbox_alerts_of,
)
from incidents.alerts.services import alert_acknowledge
from incidents.models import Status
from incidents.selectors import incident_list_visible_to, incident_order_open_first
from incidents.views import case_worker_required
from safety.auth.roles import Role, has_role, sees_all_cases

OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

PAGE = """<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>{title}</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 2em auto">{body}</body></html>"""


def _page(title: str, body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(format_html(PAGE, title=title, body=body), status=status)


@require_http_methods(["GET", "POST"])
def alert_ack_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        payload = ack_token_read(token=token)
        alert = alert_get_by_public_id(public_id=payload["a"])
    except (AlertLinkInvalid, AlertNotFound) as exc:
        message = exc.message if isinstance(exc, AlertLinkInvalid) else "No such alert."
        return _page("OSC", format_html("<p>유효하지 않은 링크입니다. / {}</p>", message), status=400)
    incident = alert.incident
    if request.method == "POST":
        alert = alert_acknowledge(alert=alert, user=None, via=AckVia.LINK, label=str(payload.get("r", "")))
        return _page(
            "OSC",
            format_html(
                "<h1>접수 확인됨 / Acknowledged</h1><p>{} · {} UTC · {}</p>",
                incident.reference,
                f"{alert.acknowledged_at:%Y-%m-%d %H:%M}",
                alert.acknowledged_by_label or (alert.acknowledged_by.get_username() if alert.acknowledged_by else ""),
            ),
        )
    if alert.acknowledged_at is not None:
        return _page(
            "OSC",
            format_html(
                "<h1>이미 접수 확인됨 / Already acknowledged</h1><p>{} · {} UTC</p>",
                incident.reference,
                f"{alert.acknowledged_at:%Y-%m-%d %H:%M}",
            ),
        )
    return _page(
        "OSC",
        format_html(
            "<h1>{}</h1><p>{}</p><form method='post'><input type='hidden' name='csrfmiddlewaretoken' value='{}'>"
            "<button type='submit'>접수 확인 / Acknowledge</button></form>",
            incident.reference,
            incident.summary,
            get_token(request),
        ),
    )


@require_http_methods(["GET"])
@case_worker_required
def mission_inbox(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, Role.MISSION_STAFF):
        raise PermissionDenied(_("The inbox is for mission staff."))
    cases = incident_order_open_first(incident_list_visible_to(user=request.user).filter(status__in=OPEN_STATUSES))
    context = {"alerts": inbox_alerts_of(user=request.user), "cases": cases[:200]}
    template = "incidents/_inbox_body.html" if request.GET.get("partial") else "incidents/mission_inbox.html"
    return render(request, template, context)


@require_http_methods(["GET"])
@case_worker_required
def duty_queue(request: HttpRequest) -> HttpResponse:
    if not sees_all_cases(request.user):
        raise PermissionDenied(_("The duty queue is for HQ."))
    unroutable = incident_order_open_first(
        incident_list_visible_to(user=request.user).filter(needs_review=True, status__in=OPEN_STATUSES)
    )
    context = {
        "escalated": hq_alerts_of(user=request.user),
        "unroutable": unroutable[:200],
    }
    template = "incidents/_duty_body.html" if request.GET.get("partial") else "incidents/duty_queue.html"
    return render(request, template, context)


@require_http_methods(["GET"])
@case_worker_required
def alert_page(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """One alert with its deliveries and attempts; 404 alike for a missing alert and another mission's."""
    try:
        alert = alert_with_deliveries_for(user=request.user, public_id=public_id)
    except AlertNotFound as exc:
        raise Http404(_("No such alert.")) from exc
    return render(request, "incidents/alert_page.html", {"alert": alert})


@require_POST
@case_worker_required
def alert_acknowledge_page(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Acknowledge in one click (idempotent), then back to the inbox, the queue or the case page."""
    try:
        alert = alert_get_for(user=request.user, public_id=public_id)
    except AlertNotFound as exc:
        raise Http404(_("No such alert.")) from exc
    via = AckVia.CASE if request.POST.get("from") == "case" else AckVia.INBOX
    alert = alert_acknowledge(alert=alert, user=request.user, via=via)
    messages.success(request, _("Alert acknowledged."))
    target = request.POST.get("next") or reverse("landing")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = reverse("landing")
    return HttpResponseRedirect(target)
