"""Routing: which mission is responsible for a place, and why."""

from dataclasses import dataclass

from django.contrib.gis.geos import Point
from django.db import connection

from missions.models import Mission, MissionKind
from missions.selectors import jurisdiction_for

NEAREST_COUNTRY_MAX_KM = 200.0


@dataclass(frozen=True)
class RoutingDecision:
    """The responsible mission (None: the HQ duty officer), the area used, and the reason."""

    mission: Mission | None
    country_iso2: str | None
    admin1_code: str
    reason: str
    method: str

    @property
    def routed(self) -> bool:
        return self.mission is not None


def country_at(*, point: Point) -> str | None:
    """The country whose boundary covers the point (border points belong to a neighbour too)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.iso2 FROM geo_countrypiece p JOIN geo_country c ON c.id = p.country_id "
            "WHERE ST_Intersects(p.geom, ST_SetSRID(ST_MakePoint(%s, %s), 4326)) ORDER BY c.iso2 LIMIT 1",
            [point.x, point.y],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def nearest_country(*, point: Point, max_km: float) -> tuple[str, float] | None:
    """The nearest country boundary within `max_km` of the point, with its distance in km."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.iso2, ST_Distance(p.geom::geography, pt::geography) / 1000.0 AS km
            FROM geo_countrypiece p JOIN geo_country c ON c.id = p.country_id,
                 ST_SetSRID(ST_MakePoint(%s, %s), 4326) AS pt
            WHERE ST_DWithin(p.geom::geography, pt::geography, %s)
            ORDER BY km LIMIT 1
            """,
            [point.x, point.y, max_km * 1000.0],
        )
        row = cursor.fetchone()
    return (row[0], float(row[1])) if row else None


def admin1_at(*, point: Point, country_iso2: str) -> str:
    """The admin-1 code of the nearest gazetteer place in that country ('' if it has none)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT admin1_code FROM geo_place WHERE country_code = %s AND admin1_code <> '' "
            "ORDER BY location <-> ST_SetSRID(ST_MakePoint(%s, %s), 4326) LIMIT 1",
            [country_iso2, point.x, point.y],
        )
        row = cursor.fetchone()
    return row[0] if row else ""


def _by_country(country_iso2: str, admin1_code: str, how: str) -> RoutingDecision | None:
    row = jurisdiction_for(country_iso2=country_iso2, admin1_code=admin1_code)
    if row is not None:
        area = f"{country_iso2}/{row.admin1_code}" if row.admin1_code else country_iso2
        basis = row.note or "district"
        return RoutingDecision(
            row.mission,
            country_iso2,
            admin1_code,
            f"{how}: {area} is in the district of {row.mission.code} ({basis})",
            "district",
        )
    embassy = Mission.objects.filter(country__iso2=country_iso2, kind=MissionKind.EMBASSY, is_active=True).first()
    if embassy is not None:
        return RoutingDecision(
            embassy,
            country_iso2,
            admin1_code,
            f"{how}: no district row for {country_iso2}/{admin1_code or '*'}, embassy {embassy.code}",
            "embassy_fallback",
        )
    return None


def route(*, point: Point | None, country_iso2: str | None = None) -> RoutingDecision:
    """Decide the responsible mission for a point, else for the country given, else HQ."""
    if point is not None:
        iso2 = country_at(point=point)
        how = "inside"
        if iso2 is None:
            nearest = nearest_country(point=point, max_km=NEAREST_COUNTRY_MAX_KM)
            if nearest is not None:
                iso2, km = nearest
                how = f"off every boundary, nearest country {iso2} at {km:.0f} km"
        if iso2 is not None:
            decision = _by_country(iso2, admin1_at(point=point, country_iso2=iso2), how)
            if decision is not None:
                return decision
            return RoutingDecision(None, iso2, "", f"{how}: no mission covers {iso2}; HQ duty officer", "unroutable")
    if country_iso2:
        decision = _by_country(country_iso2, "", "by the country given")
        if decision is not None:
            return decision
        return RoutingDecision(
            None,
            country_iso2,
            "",
            f"no mission covers {country_iso2}; HQ duty officer",
            "unroutable",
        )
    reason = (
        "point at sea, far from any country; HQ duty officer"
        if point is not None
        else "location unknown; HQ duty officer"
    )
    return RoutingDecision(None, None, "", reason, "unroutable")
