"""The dashboard page: filters, the folium map and the SVG figures, for the browser or as one offline file."""

import time
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from maps import charts
from maps.assets import asset_tags, inline_assets
from maps.filters import PERIOD_PRESETS, DashboardFilter
from maps.mapbuild import build_map, render_parts
from maps.selectors import Aggregates, dashboard_aggregates, filter_choices
from safety.advisories.models import LEVEL_COLORS, Level

TOP_COUNTRIES = 15
TOP_MISSIONS = 20


@dataclass(frozen=True)
class BuiltDashboard:
    html: str
    aggregates: Aggregates
    timings_s: dict[str, float]


def _minutes(value: float | None) -> str:
    if value is None:
        return "—"
    if value < 120:
        return f"{value:.0f} min"
    return f"{value / 60:.1f} h"


def _figures(agg: Aggregates) -> dict[str, object]:
    ack_rows = [s for s in agg.ack_by_mission if s.acknowledged][:TOP_MISSIONS]
    return {
        "category_svg": charts.bar_chart([(label, n) for _, label, n in agg.by_category]),
        "country_svg": charts.bar_chart([(name, n) for _, name, n in agg.by_country[:TOP_COUNTRIES]]),
        "region_svg": charts.bar_chart([(label, n) for _, label, n in agg.by_region]),
        "trend_svg": charts.trend_chart(agg.trend, agg.trend_year_before, granularity=agg.filter.granularity),
        "status_svg": charts.split_bar(
            [("open", agg.open_count, "#dd6b20"), ("closed / resolved", agg.closed_count, "#38a169")]
        ),
        "ack_median_svg": charts.bar_chart(
            [(s.key or s.label, round(s.median_min or 0, 1)) for s in ack_rows], unit=" min", label_px=150
        ),
        "ack_rows": [
            {
                "label": s.label,
                "cases": s.cases,
                "median": _minutes(s.median_min),
                "p90": _minutes(s.p90_min),
                "breaches": s.breaches,
            }
            for s in ack_rows
        ],
        "ack_overall": agg.ack_overall,
        "ack_overall_median": _minutes(agg.ack_overall.median_min if agg.ack_overall else None),
        "ack_overall_p90": _minutes(agg.ack_overall.p90_min if agg.ack_overall else None),
        "sla_rows": [
            {"severity": s, "cases": n, "breaches": b, "minutes": settings.ALERT_ACK_WITHIN_MINUTES.get(s)}
            for s, n, b in agg.sla_by_severity
        ],
        "trend_total_now": sum(n for _, n in agg.trend),
        "trend_total_before": sum(n for _, n in agg.trend_year_before),
    }


def dashboard_build(*, f: DashboardFilter, export: bool = False, at: datetime | None = None) -> BuiltDashboard:
    """Render the whole dashboard page; `export` inlines every asset so the file opens with no server."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    agg = dashboard_aggregates(f=f)
    timings["aggregates"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    folium_map, map_data = build_map(agg, at=at or timezone.now())
    head, body, script = render_parts(folium_map)
    timings["map"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    context = {
        "f": f,
        "agg": agg,
        "export": export,
        "generated_at": timezone.now(),
        "map_head": head,
        "map_body": body,
        "map_script": script,
        "map_data": map_data,
        "app_assets": asset_tags(),
        "presets": PERIOD_PRESETS,
        "choices": filter_choices() if not export else {},
        "query": f.as_query(),
        "query_string": urlencode(f.as_query()),
        "min_cluster": settings.MAPS_MIN_CLUSTER_SIZE,
        "levels": [(lvl.label, LEVEL_COLORS[lvl]) for lvl in Level],
        **_figures(agg),
    }
    html: str = render_to_string("maps/dashboard.html", context)
    if export:
        html = inline_assets(html)
    timings["page"] = time.perf_counter() - t2
    timings["total"] = time.perf_counter() - t0
    return BuiltDashboard(html=html, aggregates=agg, timings_s=timings)
