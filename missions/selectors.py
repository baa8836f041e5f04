"""Reads of missions, districts and memberships (other apps read missions only through here)."""

from django.db.models import QuerySet

from missions.models import Jurisdiction, Membership, Mission, MissionChannel
from safety.auth.users import AnyUser


def mission_ids_of(*, user: AnyUser) -> frozenset[int]:
    """Missions whose cases the user works: their memberships, plus every mission those supervise.

    An embassy's staff see the cases of its consulates-general, and of the consular
    offices under those, because the embassy supervises them. Cached on the user object.
    """
    if not user.is_authenticated:
        return frozenset()
    cached: frozenset[int] | None = getattr(user, "_osc_mission_ids", None)
    if cached is not None:
        return cached
    frontier = set(Membership.objects.filter(user=user, mission__is_active=True).values_list("mission_id", flat=True))
    visible = set(frontier)
    while frontier:
        frontier = set(Mission.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - visible
        visible |= frontier
    result = frozenset(visible)
    user.__dict__["_osc_mission_ids"] = result  # an instance attribute the model does not declare
    return result


def mission_list() -> QuerySet[Mission]:
    return Mission.objects.filter(is_active=True).select_related("country", "parent")


def mission_get_by_code(*, code: str) -> Mission | None:
    return mission_list().filter(code=code).first()


def jurisdiction_for(*, country_iso2: str, admin1_code: str) -> Jurisdiction | None:
    """The district row for (country, admin-1): the exact row, else the whole-country row."""
    rows = {
        j.admin1_code: j
        for j in Jurisdiction.objects.select_related("mission", "country").filter(
            country__iso2=country_iso2, admin1_code__in={admin1_code, ""}, mission__is_active=True
        )
    }
    return rows.get(admin1_code) or rows.get("")


def channel_list_of(*, mission: Mission) -> list[MissionChannel]:
    """The active e-mail and webhook channels of a mission (the inbox is implicit)."""
    return list(MissionChannel.objects.filter(mission=mission, is_active=True).order_by("kind", "id"))
