"""Aggregates of incidents for the dashboards: counts and times only, never a case's details.

Every figure comes from one SQL statement: the filtered cases are read once into a narrow materialized CTE
(the current period and the same period a year before), and each figure is a GROUP BY over it.
Grid cells with fewer than settings.MAPS_MIN_CLUSTER_SIZE cases are moved to their region (admin-1, else
country) so no point on a map can single out one person's case.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from incidents.models import Category, Status
from maps.filters import REGIONS, DashboardFilter
from maps.shapes import region_centroids

OPEN_STATUSES = (Status.OPEN.value, Status.IN_PROGRESS.value)
WORK_MEM = "64MB"


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


def _filters(f: DashboardFilter) -> tuple[str, list[Any]]:
    """Non-period conditions on incidents_incident i, by id lookups (no joins in the scan)."""
    clauses: list[str] = []
    params: list[Any] = []
    if f.category:
        clauses.append("i.category = %s")
        params.append(f.category)
    if f.severity:
        clauses.append("i.severity = %s")
        params.append(f.severity)
    if f.country:
        clauses.append("i.country_id = (SELECT id FROM geo_country WHERE iso2 = %s)")
        params.append(f.country)
    if f.region:
        clauses.append("i.country_id IN (SELECT id FROM geo_country WHERE continent = %s)")
        params.append(f.region)
    if f.mission:
        clauses.append("i.responsible_mission_id = (SELECT id FROM missions_mission WHERE code = %s)")
        params.append(f.mission)
    return (" AND " + " AND ".join(clauses)) if clauses else "", params


def _sla_case() -> tuple[str, list[Any]]:
    """SQL of the acknowledgment deadline (minutes) of a case, by severity, from settings."""
    deadlines = sorted(settings.ALERT_ACK_WITHIN_MINUTES.items())
    params: list[Any] = []
    for severity, minutes in deadlines:
        params += [severity, minutes]
    return "(CASE i.severity " + " ".join("WHEN %s THEN %s" for _ in deadlines) + " END)", params


def _scan(f: DashboardFilter, columns: str, *, with_previous: bool) -> tuple[str, list[Any]]:
    """The filtered cases (current period, and the year before if asked) with per-row values, as a subquery."""
    extra, extra_params = _filters(f)
    before = f.year_before()
    period = "(i.occurred_at >= %s AND i.occurred_at < %s)"
    where = f"({period} OR {period})" if with_previous else period
    params: list[Any] = [f.start, f.end, before.start, before.end] if with_previous else [f.start, f.end]
    return f"SELECT {columns} FROM incidents_incident i WHERE {where}{extra}", params + extra_params  # noqa: S608 - fragments are constants; values are parameters


def _late() -> tuple[str, list[Any]]:
    """SQL of "this case breached its acknowledgment deadline" (late, or open and unacknowledged past it)."""
    deadline, deadline_params = _sla_case()
    sql = f"""CASE WHEN i.acknowledged_at IS NOT NULL
                   THEN date_part('epoch', i.acknowledged_at - i.created_at) / 60.0 > {deadline}
                   ELSE i.status IN ('open', 'in_progress')
                        AND date_part('epoch', now() - i.created_at) / 60.0 > {deadline}
              END"""
    return sql, [*deadline_params, *deadline_params]


def _counts_statement(f: DashboardFilter) -> tuple[str, list[Any]]:
    """One scan, hashed grouping sets: per category, country, status, trend bucket, grid cell and severity."""
    before = f.year_before()
    grid = float(settings.MAPS_GRID_DEG)
    late, late_params = _late()
    columns = f"""i.category, i.country_id, i.status, i.admin1_code, i.severity,
                 (i.occurred_at >= %s AND i.occurred_at < %s) AS cur,
                 (i.occurred_at >= %s AND i.occurred_at < %s) AS prev,
                 date_trunc(%s, i.occurred_at AT TIME ZONE 'UTC') AS bucket,
                 floor(ST_X(i.location) / %s)::int AS gx, floor(ST_Y(i.location) / %s)::int AS gy,
                 {late} AS late"""
    inner, inner_params = _scan(f, columns, with_previous=True)
    column_params: list[Any] = [f.start, f.end, before.start, before.end, f.granularity, grid, grid, *late_params]
    sql = f"""
        SELECT GROUPING(category, country_id, status, bucket, gx, gy, admin1_code, severity),
               category, country_id, status, to_char(bucket, 'YYYY-MM-DD'), gx, gy, admin1_code, severity,
               count(*) FILTER (WHERE cur), count(*) FILTER (WHERE prev), count(*) FILTER (WHERE cur AND late)
        FROM ({inner}) x
        GROUP BY GROUPING SETS ((category), (country_id), (status), (bucket), (gx, gy, country_id, admin1_code),
                                (severity))
    """  # noqa: S608 - fragments are constants; values are parameters
    return sql, column_params + inner_params


def _ack_statement(f: DashboardFilter) -> tuple[str, list[Any]]:
    """Per mission and overall: cases, acknowledged, median and p90 minutes to acknowledge, SLA breaches."""
    late, late_params = _late()
    columns = f"""i.responsible_mission_id AS mission_id,
                  (date_part('epoch', i.acknowledged_at - i.created_at) / 60.0)::float4 AS mins,
                  {late} AS late"""
    inner, inner_params = _scan(f, columns, with_previous=False)
    sql = f"""
        SELECT mission_id, count(*), count(mins),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY mins),
               percentile_cont(0.9) WITHIN GROUP (ORDER BY mins),
               count(*) FILTER (WHERE late), GROUPING(mission_id)
        FROM ({inner}) x GROUP BY ROLLUP (mission_id)
    """  # noqa: S608 - fragments are constants; values are parameters
    return sql, [*late_params, *inner_params]


@dataclass(frozen=True)
class _Names:
    countries: dict[int, tuple[str, str, str]]
    missions: dict[int, tuple[str, str]]


def _names() -> _Names:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, iso2, name_en, continent FROM geo_country")
        countries = {row[0]: (row[1], row[2], row[3]) for row in cursor.fetchall()}
        cursor.execute("SELECT id, code, name_en FROM missions_mission")
        missions = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
    return _Names(countries, missions)


def _day(text: str) -> datetime:
    return datetime.fromisoformat(text)


# GROUPING() bitmasks of _counts_statement (bit 7 = category … bit 0 = severity; 1 = not grouped by it).
SET_CATEGORY, SET_COUNTRY, SET_STATUS, SET_BUCKET = 0b01111111, 0b10111111, 0b11011111, 0b11101111
SET_CELL, SET_SEVERITY = 0b10110001, 0b11111110


def dashboard_aggregates(*, f: DashboardFilter) -> Aggregates:
    """Every figure of the dashboard for the filter, from two statements (one transaction)."""
    counts_sql, counts_params = _counts_statement(f)
    ack_sql, ack_params = _ack_statement(f)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        cursor.execute(counts_sql, counts_params)
        rows = cursor.fetchall()
        cursor.execute(ack_sql, ack_params)
        ack = cursor.fetchall()
    names = _names()
    categories, countries, statuses, trend, trend_prev, cells, severities = [], [], [], [], [], [], []
    for g, category, country_id, status, bucket, gx, gy, admin1, severity, n, p, late in rows:
        if g == SET_BUCKET:
            if n:
                trend.append((bucket, n))
            if p:
                trend_prev.append((bucket, p))
        elif not n:
            continue
        elif g == SET_CATEGORY:
            categories.append((category, n))
        elif g == SET_COUNTRY:
            countries.append((country_id, n))
        elif g == SET_STATUS:
            statuses.append((status, n))
        elif g == SET_CELL:
            cells.append((gx, gy, country_id, admin1, n))
        elif g == SET_SEVERITY:
            severities.append((int(severity), int(n), int(late)))
    agg = Aggregates(filter=f)
    labels = dict(Category.choices)
    agg.by_category = sorted(((k, str(labels.get(k, k)), n) for k, n in categories), key=lambda r: (-r[2], r[0]))
    by_country: list[tuple[str, str, int]] = []
    by_region: dict[str, int] = defaultdict(int)
    for country_id, n in countries:
        iso2, name, continent = names.countries.get(country_id, ("", "Unknown", ""))
        by_country.append((iso2, name, n))
        by_region[continent or ""] += n
    agg.by_country = sorted(by_country, key=lambda r: (-r[2], r[0]))
    agg.by_region = sorted(
        ((k, REGIONS.get(k, "Unknown"), n) for k, n in by_region.items()), key=lambda r: (-r[2], r[0])
    )
    agg.by_status = dict(statuses)
    agg.total = sum(agg.by_status.values())
    agg.trend = sorted((_day(b), n) for b, n in trend)
    agg.trend_year_before = sorted((_day(b), n) for b, n in trend_prev)
    agg.ack_by_mission, agg.ack_overall = _ack(ack, names)
    agg.sla_by_severity = sorted(severities)
    agg.points, agg.regions = _points(cells, names)
    return agg


def _ack(rows: list[tuple[Any, ...]], names: _Names) -> tuple[list[AckStats], AckStats | None]:
    per_mission: list[AckStats] = []
    overall = None
    for mission_id, cases, acked, median, p90, late, g_mission in rows:
        code, name = names.missions.get(mission_id, ("", "Not routed (HQ)")) if not g_mission else ("", "All missions")
        stats = AckStats(
            key=code,
            label=name,
            cases=int(cases),
            acknowledged=int(acked),
            median_min=float(median) if median is not None else None,
            p90_min=float(p90) if p90 is not None else None,
            breaches=int(late),
        )
        if g_mission:
            overall = stats
        else:
            per_mission.append(stats)
    per_mission.sort(key=lambda s: (-s.cases, s.key))
    return per_mission, overall


def _points(
    rows: list[tuple[Any, ...]], names: _Names
) -> tuple[list[tuple[float, float, int]], list[tuple[str, float, float, int]]]:
    """Grid cells with at least MIN cases as points at the cell centre; the rest summed per region."""
    grid = float(settings.MAPS_GRID_DEG)
    minimum = int(settings.MAPS_MIN_CLUSTER_SIZE)
    cells: dict[tuple[int, int], list[tuple[str, str, int]]] = defaultdict(list)
    regional: dict[str, int] = defaultdict(int)
    for gx, gy, country_id, admin1, n in rows:
        iso2 = names.countries.get(country_id, ("",))[0] if country_id else ""
        if gx is None:
            regional[f"{iso2}/{admin1}" if admin1 else iso2] += int(n)
        else:
            cells[(gx, gy)].append((iso2, admin1, int(n)))
    points: list[tuple[float, float, int]] = []
    for (gx, gy), parts in cells.items():
        total = sum(n for _, _, n in parts)
        if total >= minimum:
            points.append((round((gy + 0.5) * grid, 3), round((gx + 0.5) * grid, 3), total))
        else:
            for iso2, admin1, n in parts:
                regional[f"{iso2}/{admin1}" if admin1 else iso2] += n
    centroids = region_centroids()
    regions: list[tuple[str, float, float, int]] = []
    for key, n in sorted(regional.items()):
        where_at = centroids.get(key) or centroids.get(key.split("/")[0])
        if where_at is not None:
            regions.append((key or "?", where_at[0], where_at[1], n))
    points.sort()
    return points, regions


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """Options of the filter form: countries that have cases, active missions, regions, categories."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.iso2, c.name_en FROM geo_country c WHERE EXISTS "
            "(SELECT 1 FROM incidents_incident i WHERE i.country_id = c.id) ORDER BY c.name_en"
        )
        countries = cursor.fetchall()
        cursor.execute("SELECT code, name_en FROM missions_mission WHERE is_active ORDER BY name_en")
        missions = cursor.fetchall()
    return {
        "countries": [(str(a), str(b)) for a, b in countries],
        "missions": [(str(a), str(b)) for a, b in missions],
        "regions": list(REGIONS.items()),
        "categories": [(str(a), str(b)) for a, b in Category.choices],
    }
