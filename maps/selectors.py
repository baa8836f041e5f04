"""Aggregates of incidents for the dashboards: counts and times only, never a case's details.

Every figure is computed in PostgreSQL from one shared WHERE clause built from a DashboardFilter.
Groups of fewer than settings.MAPS_MIN_CLUSTER_SIZE cases in a grid cell are moved to their region
(admin-1, else country) so no point on a map can single out one person's case.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection

from incidents.models import Category, Status
from maps.filters import REGIONS, DashboardFilter
from maps.shapes import region_centroids

OPEN_STATUSES = (Status.OPEN.value, Status.IN_PROGRESS.value)


def _where(f: DashboardFilter) -> tuple[str, list[Any]]:
    clauses = ["i.occurred_at >= %s", "i.occurred_at < %s"]
    params: list[Any] = [f.start, f.end]
    if f.category:
        clauses.append("i.category = %s")
        params.append(f.category)
    if f.severity:
        clauses.append("i.severity = %s")
        params.append(f.severity)
    if f.country:
        clauses.append("c.iso2 = %s")
        params.append(f.country)
    if f.region:
        clauses.append("c.continent = %s")
        params.append(f.region)
    if f.mission:
        clauses.append("m.code = %s")
        params.append(f.mission)
    return " AND ".join(clauses), params


FROM = (
    "FROM incidents_incident i LEFT JOIN geo_country c ON c.id = i.country_id "
    "LEFT JOIN missions_mission m ON m.id = i.responsible_mission_id"
)


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _sla_case() -> tuple[str, list[Any]]:
    """SQL of the acknowledgment deadline (minutes) of a case, by severity, from settings."""
    deadlines = settings.ALERT_ACK_WITHIN_MINUTES
    whens = " ".join("WHEN %s THEN %s" for _ in deadlines)
    params: list[Any] = []
    for severity, minutes in sorted(deadlines.items()):
        params += [severity, minutes]
    return f"(CASE i.severity {whens} END)", params


@dataclass(frozen=True)
class AckStats:
    key: str
    label: str
    cases: int
    acknowledged: int
    median_min: float | None
    p90_min: float | None
    breaches: int


@dataclass
class Aggregates:
    filter: DashboardFilter
    total: int = 0
    by_category: list[tuple[str, str, int]] = field(default_factory=list)
    by_country: list[tuple[str, str, int]] = field(default_factory=list)
    by_region: list[tuple[str, str, int]] = field(default_factory=list)
    by_status: dict[str, int] = field(default_factory=dict)
    trend: list[tuple[datetime, int]] = field(default_factory=list)
    trend_year_before: list[tuple[datetime, int]] = field(default_factory=list)
    ack_by_mission: list[AckStats] = field(default_factory=list)
    ack_overall: AckStats | None = None
    sla_by_severity: list[tuple[int, int, int]] = field(default_factory=list)
    points: list[tuple[float, float, int]] = field(default_factory=list)
    regions: list[tuple[str, float, float, int]] = field(default_factory=list)

    @property
    def open_count(self) -> int:
        return sum(v for k, v in self.by_status.items() if k in OPEN_STATUSES)

    @property
    def closed_count(self) -> int:
        return self.total - self.open_count

    @property
    def breaches(self) -> int:
        return sum(b for _, _, b in self.sla_by_severity)


def _counts(f: DashboardFilter, column: str) -> list[tuple[Any, int]]:
    where, params = _where(f)
    return [(k, int(n)) for k, n in _rows(f"SELECT {column}, count(*) {FROM} WHERE {where} GROUP BY 1", params)]


def _trend(f: DashboardFilter) -> list[tuple[datetime, int]]:
    where, params = _where(f)
    sql = (
        f"SELECT date_trunc(%s, i.occurred_at AT TIME ZONE 'UTC'), count(*) {FROM} WHERE {where} GROUP BY 1 ORDER BY 1"
    )
    return [(bucket, int(n)) for bucket, n in _rows(sql, [f.granularity, *params])]


def _ack(f: DashboardFilter) -> tuple[list[AckStats], AckStats | None, list[tuple[int, int, int]]]:
    where, params = _where(f)
    deadline, deadline_params = _sla_case()
    minutes = "EXTRACT(EPOCH FROM (i.acknowledged_at - i.created_at)) / 60.0"
    breach = (
        f"(i.acknowledged_at IS NOT NULL AND {minutes} > {deadline}) "
        f"OR (i.acknowledged_at IS NULL AND i.status IN ('open', 'in_progress') "
        f"AND EXTRACT(EPOCH FROM (now() - i.created_at)) / 60.0 > {deadline})"
    )
    sql = f"""
        SELECT m.code, m.name_en, count(*), count(i.acknowledged_at),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY {minutes}),
               percentile_cont(0.9) WITHIN GROUP (ORDER BY {minutes}),
               count(*) FILTER (WHERE {breach}),
               GROUPING(m.code)
        {FROM} WHERE {where}
        GROUP BY GROUPING SETS ((m.code, m.name_en), ())
    """
    rows = _rows(sql, [*deadline_params, *deadline_params, *params])
    per_mission: list[AckStats] = []
    overall = None
    for code, name, cases, acked, median, p90, breaches, grouping in rows:
        stats = AckStats(
            key=code or "",
            label=name or ("All missions" if grouping else "Not routed (HQ)"),
            cases=int(cases),
            acknowledged=int(acked),
            median_min=float(median) if median is not None else None,
            p90_min=float(p90) if p90 is not None else None,
            breaches=int(breaches),
        )
        if grouping:
            overall = stats
        else:
            per_mission.append(stats)
    per_mission.sort(key=lambda s: (-s.cases, s.key))
    sev_sql = (
        f"SELECT i.severity, count(*), count(*) FILTER (WHERE {breach}) {FROM} WHERE {where} GROUP BY 1 ORDER BY 1"
    )
    by_severity = [
        (int(s), int(n), int(b)) for s, n, b in _rows(sev_sql, [*deadline_params, *deadline_params, *params])
    ]
    return per_mission, overall, by_severity


def _points(f: DashboardFilter) -> tuple[list[tuple[float, float, int]], list[tuple[str, float, float, int]]]:
    """Grid cells with at least MIN cases as points at the cell centre; the rest summed per region centroid."""
    where, params = _where(f)
    grid = float(settings.MAPS_GRID_DEG)
    minimum = int(settings.MAPS_MIN_CLUSTER_SIZE)
    sql = f"""
        SELECT floor(ST_X(i.location) / %s)::int, floor(ST_Y(i.location) / %s)::int,
               coalesce(c.iso2, ''), i.admin1_code, count(*)
        {FROM} WHERE {where} AND i.location IS NOT NULL GROUP BY 1, 2, 3, 4
    """
    cells: dict[tuple[int, int], list[tuple[str, str, int]]] = defaultdict(list)
    for gx, gy, iso2, admin1, n in _rows(sql, [grid, grid, *params]):
        cells[(gx, gy)].append((iso2, admin1, int(n)))
    unlocated = _rows(
        f"SELECT coalesce(c.iso2, ''), i.admin1_code, count(*) {FROM} WHERE {where} AND i.location IS NULL "
        "GROUP BY 1, 2",
        params,
    )
    points: list[tuple[float, float, int]] = []
    regional: dict[str, int] = defaultdict(int)
    for (gx, gy), parts in cells.items():
        total = sum(n for _, _, n in parts)
        if total >= minimum:
            points.append((round((gy + 0.5) * grid, 3), round((gx + 0.5) * grid, 3), total))
        else:
            for iso2, admin1, n in parts:
                regional[f"{iso2}/{admin1}" if admin1 else iso2] += n
    for iso2, admin1, n in unlocated:
        regional[f"{iso2}/{admin1}" if admin1 else iso2] += int(n)
    centroids = region_centroids()
    regions: list[tuple[str, float, float, int]] = []
    for key, n in sorted(regional.items()):
        where_at = centroids.get(key) or centroids.get(key.split("/")[0])
        if where_at is not None:
            regions.append((key, where_at[0], where_at[1], n))
    points.sort()
    return points, regions


def dashboard_aggregates(*, f: DashboardFilter) -> Aggregates:
    """Every figure of the dashboard for the filter (about ten aggregate queries)."""
    agg = Aggregates(filter=f)
    labels = dict(Category.choices)
    agg.by_category = sorted(
        ((str(k), str(labels.get(k, k)), n) for k, n in _counts(f, "i.category")), key=lambda r: (-r[2], r[0])
    )
    where, params = _where(f)
    agg.by_country = sorted(
        (
            (iso2 or "", name or "Unknown", int(n))
            for iso2, name, n in _rows(f"SELECT c.iso2, c.name_en, count(*) {FROM} WHERE {where} GROUP BY 1, 2", params)
        ),
        key=lambda r: (-r[2], r[0]),
    )
    agg.by_region = sorted(
        ((k or "", REGIONS.get(k or "", "Unknown"), n) for k, n in _counts(f, "c.continent")),
        key=lambda r: (-r[2], r[0]),
    )
    agg.by_status = {str(k): n for k, n in _counts(f, "i.status")}
    agg.total = sum(agg.by_status.values())
    agg.trend = _trend(f)
    agg.trend_year_before = _trend(f.year_before())
    agg.ack_by_mission, agg.ack_overall, agg.sla_by_severity = _ack(f)
    agg.points, agg.regions = _points(f)
    return agg


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """Options of the filter form: countries and missions that have cases, regions, categories."""
    countries = _rows(
        "SELECT c.iso2, c.name_en FROM geo_country c WHERE EXISTS "
        "(SELECT 1 FROM incidents_incident i WHERE i.country_id = c.id) ORDER BY c.name_en",
        [],
    )
    missions = _rows("SELECT code, name_en FROM missions_mission WHERE is_active ORDER BY name_en", [])
    return {
        "countries": [(str(a), str(b)) for a, b in countries],
        "missions": [(str(a), str(b)) for a, b in missions],
        "regions": list(REGIONS.items()),
        "categories": [(str(a), str(b)) for a, b in Category.choices],
    }
