"""Browser pages of case work: log a case, the case page and its actions, the case list. The mission
inbox, the duty queue and the alert pages are in incidents/alerts/views.py. Views parse, call a
selector or service, render; access goes through incident_get_for / incident_list_visible_to."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from incidents.alerts.models import Alert
from incidents.alerts.selectors import alerts_ackable_by, alerts_of_incident_with_deliveries
from incidents.exceptions import CaseAccessDenied, IncidentInvalid, IncidentNotFound, PersonNotFound, RevealLimited
from incidents.forms import (
    CallerFormSet,
    CaseFilterForm,
    IncidentLogForm,
    NoteForm,
    PersonForm,
    PersonFormSet,
    PersonStatusForm,
    PinForm,
    StatusForm,
    TransferForm,
)
from incidents.models import AffectedPerson, Incident, Status
from incidents.personal_data import caller_reveal, person_reveal
from incidents.selectors import (
    IncidentFilter,
    incident_filter,
    incident_get_for,
    incident_list_visible_to,
    incident_order_open_first,
    may_work_cases,
    person_history,
    timeline_of,
)
from incidents.services import (
    incident_location_correct,
    incident_log,
    incident_reassign,
    incident_update,
    note_add,
    person_add,
    person_status_change,
)
from safety.advisories.selectors import advisories_for
from safety.auth.users import request_user
from safety.geo.timezones import timezone_at
from safety.models import AuditAction
from safety.privacy.audit import audit_record

CASE_LIST_PAGE_SIZE = 50
OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

View = Callable[..., HttpResponse]


def case_worker_required(view: View) -> View:
    """Logged in, with a role that works cases (presenters get 403)."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_work_cases(request.user):
            raise PermissionDenied(_("Your role has no access to case data."))
        return view(request, *args, **kwargs)

    return wrapper


def _incident_or_404(request: HttpRequest, reference: str) -> Incident:
    try:
        return incident_get_for(user=request.user, reference=reference)
    except (IncidentNotFound, CaseAccessDenied) as exc:
        raise Http404(_("No such case.")) from exc


def _case_url(incident: Incident) -> str:
    return reverse("case-page", kwargs={"reference": incident.reference})


@require_http_methods(["GET", "POST"])
@case_worker_required
def case_log(request: HttpRequest) -> HttpResponse:
    """Log a case with its persons and callers in one go; then show the case page."""
    if request.method == "POST":
        form = IncidentLogForm(request.POST)
        persons = PersonFormSet(request.POST, prefix="persons")
        callers = CallerFormSet(request.POST, prefix="callers")
        if form.is_valid() and persons.is_valid() and callers.is_valid():
            data = form.cleaned_data
            try:
                incident = incident_log(
                    reported_by=request_user(request),
                    category=data["category"],
                    severity=data["severity"],
                    occurred_at=data["occurred_at"],
                    summary=data["summary"].strip(),
                    description=data["description"].strip(),
                    location_text=data["location_text"].strip(),
                    location=data["location"],
                    country_iso2=data["country"] or None,
                    channel=data["channel"],
                    persons=[f.as_input() for f in persons if f.has_changed() and f.cleaned_data],
                    callers=[f.as_input() for f in callers if f.has_changed() and f.cleaned_data],
                )
            except IncidentInvalid as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Case %(reference)s logged.") % {"reference": incident.reference})
                return HttpResponseRedirect(_case_url(incident))
    else:
        form = IncidentLogForm()
        persons = PersonFormSet(prefix="persons")
        callers = CallerFormSet(prefix="callers")
    context = {"form": form, "persons": persons, "callers": callers, "tile_url": settings.MAP_TILE_URL}
    return render(request, "incidents/case_log.html", context)


def _alerts_of(incident: Incident) -> list[Alert]:
    """The case's alerts (every recipient, escalations included) with deliveries and attempts per channel."""
    return list(alerts_of_incident_with_deliveries(incident_id=incident.pk))


def _ackable(request: HttpRequest, alerts: list[Alert]) -> set[int]:
    """The alerts this user may acknowledge: their missions' (duty officers and admins: all)."""
    return alerts_ackable_by(user=request.user, alerts=alerts)


@require_http_methods(["GET"])
@case_worker_required
def case_page(request: HttpRequest, reference: str) -> HttpResponse:
    """The case; dates of birth, passport numbers and phones masked until revealed (see case_reveal)."""
    return _render_case_page(request, _incident_or_404(request, reference))


def _render_case_page(
    request: HttpRequest,
    incident: Incident,
    *,
    revealed_persons: frozenset[int] = frozenset(),
    revealed_callers: frozenset[int] = frozenset(),
) -> HttpResponse:
    persons = list(incident.persons.all())
    callers = list(incident.callers.all())
    if persons or callers:
        audit_record(
            actor=request.user,
            action=AuditAction.READ_PERSONAL_DATA,
            object_type="incident",
            object_ref=incident.reference,
            request=request,
            detail={"persons": len(persons), "callers": len(callers), "via": "case page"},
        )
    alerts = _alerts_of(incident)
    history = person_history(incident=incident)
    for person in persons:
        # The person's history, attached for the template; the model declares no such attribute.
        person.history = history.get(person.pk, [])  # type: ignore[attr-defined]
    context = {
        "incident": incident,
        "persons": persons,
        "callers": callers,
        "revealed_persons": revealed_persons,
        "revealed_callers": revealed_callers,
        "advisories": advisories_for(incident.country.iso2 if incident.country else None, incident.admin1_code),
        "timeline": list(timeline_of(incident=incident)),
        "place_zone": timezone_at(point=incident.location) if incident.location else None,
        "alerts": alerts,
        "ackable": _ackable(request, alerts),
        "tile_url": settings.MAP_TILE_URL,
        "note_form": NoteForm(),
        "status_form": StatusForm(initial={"status": incident.status}),
        "transfer_form": TransferForm(),
        "person_status_form": PersonStatusForm(),
        "person_form": PersonForm(prefix="new"),
        "pin_form": PinForm(
            initial={"lat": incident.location.y, "lon": incident.location.x} if incident.location else None
        ),
    }
    return render(request, "incidents/case_page.html", context)


def _after_action(request: HttpRequest, incident: Incident, done: str) -> HttpResponse:
    messages.success(request, done)
    return HttpResponseRedirect(_case_url(incident))


def _refused(request: HttpRequest, incident: Incident, errors: Any) -> HttpResponse:
    if isinstance(errors, IncidentInvalid):
        text = errors.message
    else:
        text = "; ".join(f"{message}" for field_errors in errors.values() for message in field_errors)
    messages.error(request, text)
    return HttpResponseRedirect(_case_url(incident))


@require_POST
@case_worker_required
def case_note(request: HttpRequest, reference: str) -> HttpResponse:
    incident = _incident_or_404(request, reference)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _refused(request, incident, form.errors)
    try:
        note_add(incident=incident, actor=request_user(request), text=form.cleaned_data["text"])
    except IncidentInvalid as exc:
        return _refused(request, incident, exc)
    return _after_action(request, incident, _("Note added."))


@require_POST
@case_worker_required
def case_status(request: HttpRequest, reference: str) -> HttpResponse:
    incident = _incident_or_404(request, reference)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _refused(request, incident, form.errors)
    try:
        incident_update(
            incident=incident,
            actor=request_user(request),
            changes={"status": form.cleaned_data["status"]},
        )
    except IncidentInvalid as exc:
        return _refused(request, incident, exc)
    return _after_action(request, incident, _("Status changed."))


@require_POST
@case_worker_required
def case_transfer(request: HttpRequest, reference: str) -> HttpResponse:
    incident = _incident_or_404(request, reference)
    form = TransferForm(request.POST)
    if not form.is_valid():
        return _refused(request, incident, form.errors)
    try:
        incident = incident_reassign(
            incident=incident,
            actor=request_user(request),
            mission=form.cleaned_data["mission"],
            reason=form.cleaned_data["reason"],
        )
    except IncidentInvalid as exc:
        return _refused(request, incident, exc)
    return _back_or_away(request, incident, _("Case transferred."))


def _back_or_away(request: HttpRequest, incident: Incident, done: str) -> HttpResponse:
    """To the case page, or to the start page when the change took the case out of the user's sight."""
    try:
        incident_get_for(user=request.user, reference=incident.reference)
    except IncidentNotFound:
        messages.success(request, done)
        return HttpResponseRedirect(reverse("landing"))
    return _after_action(request, incident, done)


@require_POST
@case_worker_required
def case_pin(request: HttpRequest, reference: str) -> HttpResponse:
    """Correct the pin; the case is routed again from it (a mission chosen by hand stays)."""
    incident = _incident_or_404(request, reference)
    form = PinForm(request.POST)
    if not form.is_valid():
        return _refused(request, incident, form.errors)
    try:
        incident = incident_location_correct(
            incident=incident,
            actor=request_user(request),
            location=form.point(),
        )
    except IncidentInvalid as exc:
        return _refused(request, incident, exc)
    return _back_or_away(request, incident, _("Pin corrected."))


@require_POST
@case_worker_required
def case_person_add(request: HttpRequest, reference: str) -> HttpResponse:
    incident = _incident_or_404(request, reference)
    form = PersonForm(request.POST, prefix="new")
    if not form.is_valid():
        return _refused(request, incident, form.errors)
    try:
        person_add(incident=incident, actor=request_user(request), person=form.as_input())
    except IncidentInvalid as exc:
        return _refused(request, incident, exc)
    return _after_action(request, incident, _("Person added."))


@require_POST
@case_worker_required
def case_person_status(request: HttpRequest, reference: str, person_id: int) -> HttpResponse:
    incident = _incident_or_404(request, reference)
    person = AffectedPerson.objects.filter(incident=incident, pk=person_id).first()
    if person is None:
        raise Http404(_("No such person."))
    form = PersonStatusForm(request.POST)
    if not form.is_valid():
        return _refused(request, incident, form.errors)
    try:
        person_status_change(
            person=person,
            actor=request_user(request),
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
        )
    except IncidentInvalid as exc:
        return _refused(request, incident, exc)
    return _after_action(request, incident, _("Person's status changed."))


@require_http_methods(["GET"])
@case_worker_required
def case_list(request: HttpRequest) -> HttpResponse:
    """Cases the user may see, open first, filtered; `?partial=1` returns only the table (auto-refresh)."""
    form = CaseFilterForm(request.GET or None)
    queryset = incident_list_visible_to(user=request.user)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        occurred_from, occurred_to = form.bounds()
        queryset = incident_filter(
            queryset=queryset,
            filters=IncidentFilter(
                status=data["status"] or None,
                category=data["category"] or None,
                severity=data["severity"],
                country=data["country"] or None,
                mission=data["mission"].code if data["mission"] else None,
                occurred_from=occurred_from,
                occurred_to=occurred_to,
                q=data["q"] or None,
            ),
        )
    elif form.is_bound:
        queryset = queryset.none()
    page = Paginator(incident_order_open_first(queryset), CASE_LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("partial", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "incidents/_case_table.html" if request.GET.get("partial") else "incidents/case_list.html"
    return render(request, template, context)


@require_POST
@case_worker_required
def case_person_reveal(request: HttpRequest, reference: str, person_id: int) -> HttpResponse:
    """Show one person's date of birth, passport and phone in clear: audited and on the timeline."""
    try:
        person = person_reveal(user=request.user, reference=reference, person_id=person_id, request=request)
    except (IncidentNotFound, PersonNotFound) as exc:
        raise Http404(str(exc)) from exc
    except RevealLimited as exc:
        messages.error(request, str(exc))
        page = _render_case_page(request, _incident_or_404(request, reference))
        page.status_code = 429
        return page
    return _render_case_page(request, _incident_or_404(request, reference), revealed_persons=frozenset({person.pk}))


@require_POST
@case_worker_required
def case_caller_reveal(request: HttpRequest, reference: str, caller_id: int) -> HttpResponse:
    """Show one caller's phone in clear: audited and on the timeline."""
    try:
        caller = caller_reveal(user=request.user, reference=reference, caller_id=caller_id, request=request)
    except (IncidentNotFound, PersonNotFound) as exc:
        raise Http404(str(exc)) from exc
    except RevealLimited as exc:
        messages.error(request, str(exc))
        page = _render_case_page(request, _incident_or_404(request, reference))
        page.status_code = 429
        return page
    return _render_case_page(request, _incident_or_404(request, reference), revealed_callers=frozenset({caller.pk}))
