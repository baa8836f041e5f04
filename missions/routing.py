"""Routing: which mission is responsible for a place, and why.

One SQL statement per batch of points answers, for each point: the country whose subdivided
boundary covers it (`ST_Intersects` on the pieces, so points on a border or on a cut line of
`ST_Subdivide` are never dropped), the admin-1 of the nearest gazetteer place in that country
that has one, the district area polygon covering it (these take precedence over admin-1 rows),
the district row (exact admin-1, else the whole country) and the country's embassy.
"""

import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.geos import Point

from missions.models import JurisdictionBasis, Mission, MissionKind, RoutingMethod
from missions.selectors import jurisdiction_for
from safety.geo.reverse import NEAREST_COUNTRY_MAX_KM, nearest_countries
from safety.geo.sql import fetchall_prepared

# Mission rows are read through a short-lived per-process cache: routing needs code and names only,
# and the SQL checks `is_active` at lookup time, so a stale entry can only show an old name.
MISSION_CACHE_TTL_S = 30.0


@dataclass(frozen=True)
class RoutingDecision:
    """The responsible mission (None: the HQ duty officer), the area used, and the reason."""

    mission: Mission | None
    country_iso2: str | None
    admin1_code: str
    reason: str
    method: RoutingMethod

    def as_dict(self, *, lat: float | None = None, lon: float | None = None) -> dict[str, object]:
        return {
            "lat": lat,
            "lon": lon,
            "mission": self.mission.code if self.mission else None,
            "country": self.country_iso2,
            "admin1": self.admin1_code,
            "reason": self.reason,
            "method": self.method,
        }


# osc_route() is created by migration 0005_jurisdiction_basis (PL/pgSQL: plans are cached per connection).
_ROUTE_SQL = """
SELECT q.i, r.iso2, r.admin1, r.area_name, r.area_mission, r.area_admin1,
       r.j_mission, r.j_admin1, r.j_note, r.j_basis, r.embassy
FROM unnest(%s::float8[], %s::float8[], %s::text[]) WITH ORDINALITY AS q(lon, lat, forced, i)
LEFT JOIN LATERAL osc_route(q.lon, q.lat, q.forced) r ON true
ORDER BY q.i
"""
_ROUTE_ONE_SQL = "SELECT * FROM osc_route(%s, %s, %s)"

_missions: tuple[float, dict[int, Mission]] = (0.0, {})


def _mission(mission_id: int) -> Mission:
    """The mission by id from the per-process cache (replaced whole, so threads never see it half-built)."""
    global _missions
    loaded_at, missions = _missions
    now = time.monotonic()
    if now - loaded_at > MISSION_CACHE_TTL_S or mission_id not in missions:
        missions = {m.pk: m for m in Mission.objects.select_related("country")}
        _missions = (now, missions)
    return missions[mission_id]


def _decide(row: tuple[object, ...], how: str) -> RoutingDecision | None:
    _, iso2, admin1, area_name, area_mission, area_admin1, j_mission, j_admin1, j_note, j_basis, embassy = row
    if iso2 is None:
        return None
    iso2, admin1 = str(iso2), str(admin1 or "")
    if area_mission is not None:
        # Raw SQL row values are typed object; this column is an integer mission id.
        mission = _mission(int(area_mission))  # type: ignore[call-overload]
        return RoutingDecision(
            mission,
            iso2,
            str(area_admin1 or admin1),
            f"{how}: in district area '{area_name}' of {mission.code}",
            RoutingMethod.DISTRICT_AREA,
        )
    if j_mission is not None:
        # Raw SQL row values are typed object; this column is an integer mission id.
        mission = _mission(int(j_mission))  # type: ignore[call-overload]
        note = str(j_note or "district")
        area = f"{iso2}/{j_admin1}" if j_admin1 else iso2
        if j_basis == JurisdictionBasis.CONCURRENT_ACCREDITATION:
            return RoutingDecision(
                mission,
                iso2,
                admin1,
                f"{how}: {iso2} has no resident mission; concurrent accreditation of {mission.code}",
                RoutingMethod.CONCURRENT_ACCREDITATION,
            )
        return RoutingDecision(
            mission,
            iso2,
            admin1,
            f"{how}: {area} is in the district of {mission.code} ({note})",
            RoutingMethod.DISTRICT,
        )
    if embassy is not None:
        # Raw SQL row values are typed object; this column is an integer mission id.
        mission = _mission(int(embassy))  # type: ignore[call-overload]
        return RoutingDecision(
            mission,
            iso2,
            admin1,
            f"{how}: no district row for {iso2}/{admin1 or '*'}, embassy {mission.code}",
            RoutingMethod.EMBASSY_FALLBACK,
        )
    return RoutingDecision(
        None, iso2, admin1, f"{how}: no mission covers {iso2}; HQ duty officer", RoutingMethod.UNROUTABLE
    )


def _lookup(points: Sequence[tuple[float, float]], forced: Sequence[str | None]) -> list[tuple[object, ...]]:
    if len(points) == 1:
        rows = fetchall_prepared(_ROUTE_ONE_SQL, [float(points[0][0]), float(points[0][1]), forced[0] or ""])
        return [(1, *rows[0])] if rows else [(1, *([None] * 10))]
    lons = [float(p[0]) for p in points]
    lats = [float(p[1]) for p in points]
    return fetchall_prepared(_ROUTE_SQL, [lons, lats, [f or "" for f in forced]])


def route_points(points: Sequence[tuple[float, float]], *, max_km: float | None = None) -> list[RoutingDecision]:
    """Route many (lon, lat) points in one statement; the points at sea in two more, whatever their number.

    At sea: the nearest country within `max_km` (default `ROUTING_NEAREST_COUNTRY_MAX_KM`).
    """
    if not points:
        return []
    if max_km is None:
        max_km = float(getattr(settings, "ROUTING_NEAREST_COUNTRY_MAX_KM", NEAREST_COUNTRY_MAX_KM))
    rows = _lookup(points, [None] * len(points))
    decisions: list[RoutingDecision | None] = [_decide(row, "inside") for row in rows]
    at_sea = [i for i, decision in enumerate(decisions) if decision is None]
    for i, decision in zip(at_sea, _at_sea([points[i] for i in at_sea], max_km=max_km), strict=True):
        decisions[i] = decision
    return [d for d in decisions if d is not None]


def _at_sea(points: Sequence[tuple[float, float]], *, max_km: float) -> list[RoutingDecision]:
    """Points off every polygon: the nearest countries in one statement, then one routing of them all."""
    if not points:
        return []
    nearest = nearest_countries(points, max_km=max_km)
    found = [i for i, hit in enumerate(nearest) if hit is not None]
    forced_rows = _lookup([points[i] for i in found], [nearest[i][0] for i in found]) if found else []  # type: ignore[index]
    routed = dict(zip(found, forced_rows, strict=True))
    decisions: list[RoutingDecision] = []
    for i, hit in enumerate(nearest):
        if hit is None:
            decisions.append(
                RoutingDecision(
                    None,
                    None,
                    "",
                    f"at sea, no country within {max_km:.0f} km; HQ duty officer",
                    RoutingMethod.UNROUTABLE,
                )
            )
            continue
        iso2, km = hit
        decision = _decide(routed[i], f"off every boundary, nearest country {iso2} at {km:.0f} km")
        assert decision is not None  # the country was forced
        if decision.mission is not None:
            decision = RoutingDecision(
                decision.mission,
                decision.country_iso2,
                decision.admin1_code,
                decision.reason,
                RoutingMethod.NEAREST_COUNTRY,
            )
        decisions.append(decision)
    return decisions


def _by_country(country_iso2: str, admin1_code: str, how: str) -> RoutingDecision | None:
    row = jurisdiction_for(country_iso2=country_iso2, admin1_code=admin1_code)
    if row is not None:
        area = f"{country_iso2}/{row.admin1_code}" if row.admin1_code else country_iso2
        basis = row.note or "district"
        method = (
            RoutingMethod.CONCURRENT_ACCREDITATION
            if row.basis == JurisdictionBasis.CONCURRENT_ACCREDITATION
            else RoutingMethod.COUNTRY_GIVEN
        )
        return RoutingDecision(
            row.mission,
            country_iso2,
            admin1_code,
            f"{how}: {area} is in the district of {row.mission.code} ({basis})",
            method,
        )
    embassy = Mission.objects.filter(country__iso2=country_iso2, kind=MissionKind.EMBASSY, is_active=True).first()
    if embassy is not None:
        return RoutingDecision(
            embassy,
            country_iso2,
            admin1_code,
            f"{how}: no district row for {country_iso2}/{admin1_code or '*'}, embassy {embassy.code}",
            RoutingMethod.COUNTRY_GIVEN,
        )
    return None


def route(*, point: Point | None, country_iso2: str | None = None, admin1_code: str = "") -> RoutingDecision:
    """Decide the responsible mission for a point, else for the country (and admin-1) given, else HQ.

    At sea or off every polygon: the nearest country within NEAREST_COUNTRY_MAX_KM, else the
    duty officer. Without a point: the country given (its admin-1 row when known, else the
    whole-country row, else its embassy), else the duty officer.
    """
    if point is not None:
        decision = route_points([(point.x, point.y)])[0]
        if decision.mission is not None or country_iso2 is None:
            return decision
    if country_iso2:
        by_country = _by_country(country_iso2, admin1_code, "by the country given")
        if by_country is not None:
            return by_country
        return RoutingDecision(
            None,
            country_iso2,
            admin1_code,
            f"no mission covers {country_iso2}; HQ duty officer",
            RoutingMethod.UNROUTABLE,
        )
    return RoutingDecision(None, None, "", "location unknown; HQ duty officer", RoutingMethod.UNROUTABLE)
