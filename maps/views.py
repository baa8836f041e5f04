"""Dashboard pages and downloads (HTML for the room, CSV, GeoJSON) and the aggregates API."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from maps.dashboard import dashboard_build
from maps.exports import aggregates_csv, aggregates_geojson
from maps.filters import FilterInvalid, filter_parse
from maps.selectors import dashboard_aggregates
from safety.api.conventions import error_body
from safety.auth.roles import Role, has_role
from safety.models import AuditAction
from safety.privacy.audit import audit_record

DASHBOARD_ROLES = (Role.PRESENTER, Role.OPERATOR, Role.DUTY_OFFICER, Role.ADMIN)


def may_see_dashboard(user: Any) -> bool:
    """Presenters, operators, duty officers, admins. Mission staff work their cases in the console instead."""
    return has_role(user, *DASHBOARD_ROLES)


def _guard(view: Any) -> Any:
    @require_GET
    @login_required
    def wrapped(request: HttpRequest) -> HttpResponse:
        if not may_see_dashboard(request.user):
            return JsonResponse(
                error_body("permission_denied", "Your role has no access to the dashboard."), status=403
            )
        try:
            return view(request)
        except FilterInvalid as exc:
            return JsonResponse(error_body(exc.code, exc.message, exc.fields), status=400)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _stamp() -> str:
    return timezone.now().strftime("%Y%m%d-%H%M")


def _audit_export(request: HttpRequest, kind: str, query: dict[str, str]) -> None:
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type="dashboard",
        object_ref=kind,
        request=request,
        detail={"filters": query},
    )


@_guard
def dashboard(request: HttpRequest) -> HttpResponse:
    """The dashboard page."""
    f = filter_parse(request.GET)
    return HttpResponse(dashboard_build(f=f).html)


@_guard
def export_html(request: HttpRequest) -> HttpResponse:
    """The dashboard as one self-contained HTML file (every asset inlined) for a room without network."""
    f = filter_parse(request.GET)
    response = HttpResponse(dashboard_build(f=f, export=True).html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="osc-dashboard-{_stamp()}.html"'
    _audit_export(request, "html", f.as_query())
    return response


@_guard
def export_csv(request: HttpRequest) -> HttpResponse:
    f = filter_parse(request.GET)
    response = HttpResponse(aggregates_csv(dashboard_aggregates(f=f)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="osc-aggregates-{_stamp()}.csv"'
    _audit_export(request, "csv", f.as_query())
    return response


@_guard
def export_geojson(request: HttpRequest) -> HttpResponse:
    f = filter_parse(request.GET)
    response = JsonResponse(aggregates_geojson(dashboard_aggregates(f=f)), content_type="application/geo+json")
    response["Content-Disposition"] = f'attachment; filename="osc-aggregates-{_stamp()}.geojson"'
    _audit_export(request, "geojson", f.as_query())
    return response


class MaySeeDashboard(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and may_see_dashboard(request.user))


class DashboardAggregatesApi(APIView):
    """GET the dashboard's aggregates as JSON (same filters as the page: period, from, to, category, …)."""

    permission_classes = [MaySeeDashboard]

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        f = filter_parse(request.query_params)
        agg = dashboard_aggregates(f=f)
        body = {
            "from": f.start.isoformat(),
            "to": f.end.isoformat(),
            "total": agg.total,
            "open": agg.open_count,
            "closed": agg.closed_count,
            "by_category": [{"key": k, "label": label, "count": n} for k, label, n in agg.by_category],
            "by_region": [{"key": k, "label": label, "count": n} for k, label, n in agg.by_region],
            "by_country": [{"key": k, "label": label, "count": n} for k, label, n in agg.by_country],
            "by_status": agg.by_status,
            "granularity": f.granularity,
            "trend": [{"bucket": b.date().isoformat(), "count": n} for b, n in agg.trend],
            "trend_year_before": [{"bucket": b.date().isoformat(), "count": n} for b, n in agg.trend_year_before],
            "ack_by_mission": [
                {
                    "mission": s.key,
                    "label": s.label,
                    "cases": s.cases,
                    "acknowledged": s.acknowledged,
                    "median_min": s.median_min,
                    "p90_min": s.p90_min,
                    "sla_breaches": s.breaches,
                }
                for s in agg.ack_by_mission
            ],
            "sla_by_severity": [{"severity": s, "cases": n, "breaches": b} for s, n, b in agg.sla_by_severity],
            "points": aggregates_geojson(agg)["features"],
        }
        return Response(body)
