"""Reads of travel advisories (the case page and the maps read them only through here)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from safety.advisories.exceptions import AdvisoryNotFound
from safety.advisories.models import LEVEL_RANK, Advisory, Level


def advisory_list() -> QuerySet[Advisory]:
    return Advisory.objects.select_related("country")


def _in_force(at: datetime) -> Q:
    return Q(valid_from__lte=at) & (Q(valid_to__isnull=True) | Q(valid_to__gt=at))


def advisories_in_force(*, at: datetime | None = None) -> list[Advisory]:
    """Every advisory in force at `at` (default now), most severe first."""
    at = at or timezone.now()
    rows = list(advisory_list().filter(_in_force(at)))
    rows.sort(key=lambda a: (-LEVEL_RANK[Level(a.level)], a.country.iso2, a.admin1_code))
    return rows


def advisories_for(
    country_iso2: str | None, admin1_code: str | None = "", at: datetime | None = None
) -> list[Advisory]:
    """The advisories in force at `at` (default now) for a place in that country and admin-1, most severe first.

    A whole-country advisory applies to every admin-1 of it; an admin-1 advisory only to that region.
    Unknown or empty countries give an empty list.
    """
    if not country_iso2:
        return []
    at = at or timezone.now()
    areas = Q(admin1_code="")
    if admin1_code:
        areas |= Q(admin1_code=admin1_code)
    rows = list(advisory_list().filter(_in_force(at), areas, country__iso2=country_iso2.upper()))
    rows.sort(key=lambda a: (-LEVEL_RANK[Level(a.level)], a.admin1_code == "", -a.valid_from.timestamp()))
    return rows


@dataclass(frozen=True)
class AdvisorySummary:
    level: str
    label: str
    since: datetime
    until: datetime | None
    admin1_code: str
    note: str


def advisory_highest_for(
    country_iso2: str | None, admin1_code: str | None = "", at: datetime | None = None
) -> AdvisorySummary | None:
    """The most severe advisory in force for the place, as a plain summary, or None."""
    rows = advisories_for(country_iso2, admin1_code, at)
    if not rows:
        return None
    top = rows[0]
    return AdvisorySummary(top.level, top.get_level_display(), top.valid_from, top.valid_to, top.admin1_code, top.note)


def advisory_get(*, public_id: str) -> Advisory:
    advisory = advisory_list().filter(public_id=public_id).first()
    if advisory is None:
        raise AdvisoryNotFound("No such advisory.")
    return advisory
