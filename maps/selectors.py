"""Aggregates of incidents for the dashboards: counts and times only, never a case's details.

Every figure is read from the roll-ups (maps.models, kept by the triggers of maps/rollup_sql.py) through the
ORM, never from the incidents table: a period is read as whole months from the month rows and the days at its
edges from the day rows, so the cost follows the number of distinct keys, not the number of cases.
Grid cells with fewer than settings.MAPS_MIN_CLUSTER_SIZE cases are moved to their region (admin-1, else
country) so no point on a map can single out one person's case.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, DateField, Q, QuerySet, Sum
from django.db.models.functions import Trunc
from django.utils import timezone

from incidents.models import Category, Status
from maps.filters import REGIONS, DashboardFilter
from maps.models import AckRollup, CaseRollup, CellRollup, Grain, PendingAck, RollupGrid
from maps.shapes import region_centroids
from missions.models import Mission
from safety.geo.models import Country

OPEN_STATUSES = (Status.OPEN.value, Status.IN_PROGRESS.value)


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


def _month_after(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def _period_q(start: datetime, end: datetime, *, days_only: bool = False) -> Q:
    """Roll-up rows covering [start, end) exactly: whole months from month rows, the edges from day rows."""
    first, stop = start.date(), end.date()
    m0 = first if first.day == 1 else _month_after(first)
    m1 = stop.replace(day=1)
    if days_only or m0 >= m1:
        return Q(grain=Grain.DAY, period__gte=first, period__lt=stop)
    return (
        Q(grain=Grain.MONTH, period__gte=m0, period__lt=m1)
        | Q(grain=Grain.DAY, period__gte=first, period__lt=m0)
        | Q(grain=Grain.DAY, period__gte=m1, period__lt=stop)
    )


def _filters_q(f: DashboardFilter) -> Q | None:
    """The non-period filters on a roll-up's keys; None when the filter matches nothing (unknown code)."""
    q = Q()
    if f.category:
        q &= Q(category=f.category)
    if f.severity:
        q &= Q(severity=f.severity)
    if f.country:
        country = Country.objects.filter(iso2=f.country).values_list("id", flat=True).first()
        if country is None:
            return None
        q &= Q(country_id=country)
    if f.region:
        q &= Q(country_id__in=list(Country.objects.filter(continent=f.region).values_list("id", flat=True)))
    if f.mission:
        mission = Mission.objects.filter(code=f.mission).values_list("id", flat=True).first()
        if mission is None:
            return None
        q &= Q(mission_id=mission)
    return q


def _deadlines() -> dict[int, float]:
    return {int(k): float(v) for k, v in settings.ALERT_ACK_WITHIN_MINUTES.items()}


def _late_acked_q() -> Q:
    """Acknowledged after the deadline (bucket values are rounded up, so `>` is exact on aligned deadlines)."""
    q = Q(pk__in=[])
    for severity, minutes in _deadlines().items():
        q |= Q(severity=severity, minutes__gt=minutes)
    return q


def _late_pending_q(now: datetime) -> Q:
    q = Q(pk__in=[])
    for severity, minutes in _deadlines().items():
        q |= Q(severity=severity, created_at__lt=now - timedelta(minutes=minutes))
    return q


@dataclass(frozen=True)
class _Names:
    countries: dict[int, tuple[str, str, str]]
    missions: dict[int, tuple[str, str]]


def _names() -> _Names:
    countries = {
        pk: (iso2, name, continent)
        for pk, iso2, name, continent in Country.objects.values_list("id", "iso2", "name_en", "continent")
    }
    missions = {pk: (code, name) for pk, code, name in Mission.objects.values_list("id", "code", "name_en")}
    return _Names(countries, missions)


def _percentile(values: list[tuple[int, int]], total: int, q: float) -> float | None:
    """percentile_cont(q) over `total` values given as sorted (value, count) pairs."""
    if not total:
        return None
    position = q * (total - 1)
    lo, frac = int(position), position - int(position)

    def at(index: int) -> float:
        seen = 0
        for value, count in values:
            seen += count
            if index < seen:
                return float(value)
        return float(values[-1][0])

    low = at(lo)
    return low if frac == 0 else low + frac * (at(lo + 1) - low)


def dashboard_aggregates(*, f: DashboardFilter) -> Aggregates:
    """Every figure of the dashboard for the filter, from the roll-ups."""
    agg = Aggregates(filter=f)
    extra = _filters_q(f)
    if extra is None:
        agg.ack_overall = AckStats("", "All missions", 0, 0, None, None, 0)
        return agg
    names = _names()
    weekly = f.granularity == "week"
    cur, prev = _period_q(f.start, f.end, days_only=weekly), _period_q(*_bounds(f.year_before()), days_only=weekly)
    bucket = Trunc("period", f.granularity, output_field=DateField())
    cases: QuerySet[CaseRollup] = CaseRollup.objects.filter(cur & extra)
    rows = cases.values_list("category", "country_id", "status", "severity", "mission_id").annotate(
        cases=Sum("n"), acked=Sum("acked")
    )
    by_category: dict[str, int] = defaultdict(int)
    by_country: dict[int | None, int] = defaultdict(int)
    by_status: dict[str, int] = defaultdict(int)
    by_severity: dict[int, int] = defaultdict(int)
    mission_cases: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    for category, country_id, status, severity, mission_id, n, acked in rows:
        if not n:
            continue
        by_category[category] += n
        by_country[country_id] += n
        by_status[status] += n
        by_severity[int(severity)] += n
        mission_cases[mission_id][0] += n
        mission_cases[mission_id][1] += acked
    trend = cases.annotate(bucket=bucket).values_list("bucket").annotate(cases=Sum("n")).order_by("bucket")
    trend_prev = (
        CaseRollup.objects.filter(prev & extra)
        .annotate(bucket=bucket)
        .values_list("bucket")
        .annotate(cases=Sum("n"))
        .order_by("bucket")
    )
    agg.trend = [(_moment(b), int(n)) for b, n in trend if n]
    agg.trend_year_before = [(_moment(b), int(n)) for b, n in trend_prev if n]
    labels = dict(Category.choices)
    agg.by_category = sorted(
        ((k, str(labels.get(k, k)), n) for k, n in by_category.items() if n), key=lambda r: (-r[2], r[0])
    )
    countries: list[tuple[str, str, int]] = []
    regions: dict[str, int] = defaultdict(int)
    for country_id, n in by_country.items():
        if not n:
            continue
        iso2, name, continent = names.countries.get(country_id or 0, ("", "Unknown", ""))
        countries.append((iso2, name, n))
        regions[continent or ""] += n
    agg.by_country = sorted(countries, key=lambda r: (-r[2], r[0]))
    agg.by_region = sorted(((k, REGIONS.get(k, "Unknown"), n) for k, n in regions.items()), key=lambda r: (-r[2], r[0]))
    agg.by_status = {k: v for k, v in by_status.items() if v}
    agg.total = sum(agg.by_status.values())
    late_by: dict[tuple[int | None, int], int] = defaultdict(int)
    ack_values: dict[int | None, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    acks = AckRollup.objects.filter(cur & extra)
    for mission_id, severity, minutes, n, late in acks.values_list("mission_id", "severity", "minutes").annotate(
        cases=Sum("n"), late=Sum("n", filter=_late_acked_q())
    ):
        ack_values[mission_id][minutes] += n
        late_by[(mission_id, int(severity))] += late or 0
    pending = PendingAck.objects.filter(_pending_period(f) & extra & _late_pending_q(timezone.now()))
    for mission_id, severity, n in pending.values_list("mission_id", "severity").annotate(cases=Count("pk")):
        late_by[(mission_id, int(severity))] += n
    late_severity: dict[int, int] = defaultdict(int)
    late_mission: dict[int | None, int] = defaultdict(int)
    for (mission_id, severity), n in late_by.items():
        late_severity[severity] += n
        late_mission[mission_id] += n
    agg.sla_by_severity = sorted((s, n, late_severity.get(s, 0)) for s, n in by_severity.items() if n)
    agg.ack_by_mission, agg.ack_overall = _ack(mission_cases, ack_values, late_mission, names)
    cells = (
        CellRollup.objects.filter(cur & extra)
        .values_list("gx", "gy", "country_id", "admin1_code")
        .annotate(cases=Sum("n"))
    )
    agg.points, agg.regions = _points([c for c in cells if c[4]], names)
    return agg


def _bounds(f: DashboardFilter) -> tuple[datetime, datetime]:
    return f.start, f.end


def _pending_period(f: DashboardFilter) -> Q:
    return Q(day__gte=f.start.date(), day__lt=f.end.date())


def _moment(day: date | datetime) -> datetime:
    if isinstance(day, datetime):
        return day
    return timezone.make_aware(datetime(day.year, day.month, day.day))  # noqa: DTZ001 - made aware in the current zone


def _ack(
    cases: dict[int | None, list[int]],
    values: dict[int | None, dict[int, int]],
    late: dict[int | None, int],
    names: _Names,
) -> tuple[list[AckStats], AckStats | None]:
    per_mission: list[AckStats] = []
    everything: dict[int, int] = defaultdict(int)
    for mission_id, (n, acked) in cases.items():
        if not n:
            continue
        pairs = sorted(values.get(mission_id, {}).items())
        for value, count in pairs:
            everything[value] += count
        code, name = names.missions.get(mission_id or 0, ("", "Not routed (HQ)"))
        per_mission.append(
            AckStats(
                code,
                name,
                n,
                acked,
                _percentile(pairs, acked, 0.5),
                _percentile(pairs, acked, 0.9),
                late.get(mission_id, 0),
            )
        )
    per_mission.sort(key=lambda s: (-s.cases, s.key))
    all_pairs = sorted(everything.items())
    acked_all = sum(s.acknowledged for s in per_mission)
    overall = AckStats(
        key="",
        label="All missions",
        cases=sum(s.cases for s in per_mission),
        acknowledged=acked_all,
        median_min=_percentile(all_pairs, acked_all, 0.5),
        p90_min=_percentile(all_pairs, acked_all, 0.9),
        breaches=sum(s.breaches for s in per_mission),
    )
    return per_mission, overall


def _points(
    rows: list[tuple[Any, ...]], names: _Names
) -> tuple[list[tuple[float, float, int]], list[tuple[str, float, float, int]]]:
    """Grid cells with at least MIN cases as points at the cell centre; the rest summed per region."""
    stored = RollupGrid.objects.filter(pk=1).values_list("grid_deg", flat=True).first()
    grid = float(stored if stored is not None else 0.1)  # as the trigger (maps/rollup_sql.py GRID)
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
    with_cases = CaseRollup.objects.filter(grain=Grain.MONTH, n__gt=0).values("country_id")
    countries = Country.objects.filter(id__in=with_cases).order_by("name_en").values_list("iso2", "name_en")
    missions = Mission.objects.filter(is_active=True).order_by("name_en").values_list("code", "name_en")
    return {
        "countries": [(str(a), str(b)) for a, b in countries],
        "missions": [(str(a), str(b)) for a, b in missions],
        "regions": list(REGIONS.items()),
        "categories": [(str(a), str(b)) for a, b in Category.choices],
    }
