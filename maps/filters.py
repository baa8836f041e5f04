"""The filters shared by the dashboard map and figures: period (presets or custom), category, severity, region,
country, mission. Parsed from query parameters or command-line options, validated, never trusted raw."""

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.utils import timezone

from incidents.models import Category, Severity
from safety.errors import ApplicationError

PERIOD_PRESETS = {
    "30d": "Last 30 days",
    "90d": "Last 90 days",
    "12m": "Last 12 months",
    "ytd": "Year to date",
    "prev_year": "Previous calendar year",
    "all": "All time",
    "custom": "Custom",
}
REGIONS = {
    "AS": "Asia",
    "EU": "Europe",
    "NA": "North America",
    "SA": "South America",
    "AF": "Africa",
    "OC": "Oceania",
    "AN": "Antarctica",
}
ALL_TIME_START = datetime(2000, 1, 1, tzinfo=UTC)


class FilterInvalid(ApplicationError):
    code = "invalid_input"
    status_code = 400


@dataclass(frozen=True)
class DashboardFilter:
    """Half-open period [start, end) in UTC plus optional equality filters."""

    start: datetime
    end: datetime
    preset: str = "12m"
    category: str = ""
    severity: int | None = None
    region: str = ""
    country: str = ""
    mission: str = ""

    @property
    def granularity(self) -> str:
        return "week" if self.end - self.start <= timedelta(days=120) else "month"

    def year_before(self) -> "DashboardFilter":
        return replace(self, start=_minus_year(self.start), end=_minus_year(self.end))

    def as_query(self) -> dict[str, str]:
        query = {"period": self.preset}
        if self.preset == "custom":
            query["from"] = self.start.date().isoformat()
            query["to"] = (self.end - timedelta(days=1)).date().isoformat()
        for name in ("category", "region", "country", "mission"):
            if getattr(self, name):
                query[name] = getattr(self, name)
        if self.severity:
            query["severity"] = str(self.severity)
        return query

    def describe(self) -> str:
        last = (self.end - timedelta(seconds=1)).date()
        text = f"{self.start.date().isoformat()} – {last.isoformat()}"
        extra = [f"{name}={value}" for name, value in self.as_query().items() if name not in ("period", "from", "to")]
        return text + (" · " + ", ".join(extra) if extra else "")


def _minus_year(moment: datetime) -> datetime:
    try:
        return moment.replace(year=moment.year - 1)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - 1, day=28)


def _day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


# Custom periods stay inside these years: the year-before comparison and the day after `to` must still be dates.
DATE_MIN, DATE_MAX = date(1900, 1, 1), date(2999, 12, 31)


def _parse_date(name: str, raw: str) -> date:
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError as exc:
        raise FilterInvalid(f"{name}: not a date (YYYY-MM-DD).", fields={name: ["not a date (YYYY-MM-DD)"]}) from exc
    if not DATE_MIN <= day <= DATE_MAX:
        bounds = f"between {DATE_MIN.isoformat()} and {DATE_MAX.isoformat()}"
        raise FilterInvalid(f"{name}: must be {bounds}.", fields={name: [f"must be {bounds}"]})
    return day


def filter_parse(params: Any, *, now: datetime | None = None) -> DashboardFilter:
    """A DashboardFilter from a mapping of strings (a QueryDict or options); FilterInvalid (400) when bad."""
    now = now or timezone.now()
    get = params.get
    today = now.astimezone(UTC).date()
    tomorrow = _day_start(today + timedelta(days=1))
    raw_from, raw_to = (get("from") or "").strip(), (get("to") or "").strip()
    preset = (get("period") or ("custom" if raw_from or raw_to else "12m")).strip()
    if preset not in PERIOD_PRESETS:
        raise FilterInvalid("period: unknown preset.", fields={"period": [f"one of {', '.join(PERIOD_PRESETS)}"]})
    if preset == "30d":
        start, end = tomorrow - timedelta(days=30), tomorrow
    elif preset == "90d":
        start, end = tomorrow - timedelta(days=90), tomorrow
    elif preset == "12m":
        start, end = _minus_year(tomorrow), tomorrow
    elif preset == "ytd":
        start, end = datetime(today.year, 1, 1, tzinfo=UTC), tomorrow
    elif preset == "prev_year":
        start, end = datetime(today.year - 1, 1, 1, tzinfo=UTC), datetime(today.year, 1, 1, tzinfo=UTC)
    elif preset == "all":
        start, end = ALL_TIME_START, tomorrow
    else:
        start = _day_start(_parse_date("from", raw_from)) if raw_from else ALL_TIME_START
        end = _day_start(_parse_date("to", raw_to) + timedelta(days=1)) if raw_to else tomorrow
        if end <= start:
            raise FilterInvalid("to: must not be before from.", fields={"to": ["must not be before from"]})
    category = (get("category") or "").strip()
    if category and category not in Category.values:
        raise FilterInvalid("category: unknown.", fields={"category": ["unknown category"]})
    severity_raw = (get("severity") or "").strip()
    severity = None
    if severity_raw:
        if not severity_raw.isdigit() or int(severity_raw) not in Severity.values:
            raise FilterInvalid("severity: 1 to 4.", fields={"severity": ["1 to 4"]})
        severity = int(severity_raw)
    region = (get("region") or "").strip().upper()
    if region and region not in REGIONS:
        raise FilterInvalid("region: unknown.", fields={"region": [f"one of {', '.join(REGIONS)}"]})
    country = (get("country") or "").strip().upper()
    if country and (len(country) != 2 or not country.isalpha()):
        raise FilterInvalid("country: an ISO 3166-1 alpha-2 code.", fields={"country": ["two letters"]})
    mission = (get("mission") or "").strip()
    if mission and (len(mission) > 60 or not all(ch.isalnum() or ch in "-_" for ch in mission)):
        raise FilterInvalid("mission: a mission code.", fields={"mission": ["a mission code"]})
    return DashboardFilter(
        start=start,
        end=end,
        preset=preset,
        category=category,
        severity=severity,
        region=region,
        country=country,
        mission=mission,
    )
