"""Writes of missions data: district areas (polygons) with their subdivided lookup pieces."""

import json
from pathlib import Path
from typing import Any

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon
from django.db import connection, transaction

from missions.exceptions import DistrictAreaInvalid
from missions.models import DistrictArea, Mission
from safety.geo.models import Country

SUBDIVIDE_MAX_VERTICES = 256


def _multipolygon(geom: GEOSGeometry) -> MultiPolygon:
    if geom.srid not in (None, 4326):
        geom = geom.transform(4326, clone=True)
    if isinstance(geom, Polygon):
        geom = MultiPolygon(geom)
    if not isinstance(geom, MultiPolygon):
        raise DistrictAreaInvalid(
            "A district area must be a polygon or a multipolygon.", fields={"geom": [geom.geom_type]}
        )
    geom.srid = 4326
    if not geom.valid:
        raise DistrictAreaInvalid("The polygon is not valid.", fields={"geom": [geom.valid_reason]})
    return geom


def district_area_pieces_rebuild(*, area: DistrictArea) -> int:
    """Replace the area's lookup pieces with `ST_Subdivide` of its polygon (in the caller's transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM missions_districtareapiece WHERE area_id = %s", [area.pk])
        cursor.execute(
            "INSERT INTO missions_districtareapiece (area_id, geom) "
            "SELECT a.id, (ST_Dump(ST_Subdivide(a.geom, %s))).geom FROM missions_districtarea a WHERE a.id = %s",
            [SUBDIVIDE_MAX_VERTICES, area.pk],
        )
        return cursor.rowcount


@transaction.atomic
def district_area_save(
    *,
    name: str,
    mission: Mission,
    country: Country,
    geom: GEOSGeometry,
    admin1_code: str = "",
    priority: int = 0,
    note: str = "",
    source: str = "",
) -> DistrictArea:
    """Create or update (by name) a district area polygon and rebuild its pieces, in one transaction."""
    area = DistrictArea.objects.filter(name=name).first() or DistrictArea(name=name)
    area.mission = mission
    area.country = country
    area.geom = _multipolygon(geom)
    area.admin1_code = admin1_code
    area.priority = priority
    area.note = note[:300]
    area.source = source[:300]
    area.full_clean(exclude=["mission", "country", "geom"])
    area.save()
    district_area_pieces_rebuild(area=area)
    return area


@transaction.atomic
def district_areas_import_geojson(*, path: Path, replace: bool = False) -> list[DistrictArea]:
    """Import a GeoJSON FeatureCollection of areas (properties: name, mission, country, admin1,
    priority, note, source). With `replace`, areas not in the file are deleted. All or nothing."""
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
        features: list[dict[str, Any]] = collection["features"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DistrictAreaInvalid(f"Not a GeoJSON FeatureCollection: {exc}") from exc
    areas = []
    for index, feature in enumerate(features):
        props = feature.get("properties") or {}
        mission = Mission.objects.filter(code=props.get("mission")).first()
        country = Country.objects.filter(iso2=props.get("country")).first()
        if mission is None or country is None or not props.get("name"):
            raise DistrictAreaInvalid(
                f"feature {index}: needs a name, a known mission and a known country",
                fields={str(index): [str(props.get("mission")), str(props.get("country"))]},
            )
        geom = GEOSGeometry(json.dumps(feature["geometry"]), srid=4326)
        areas.append(
            district_area_save(
                name=str(props["name"]),
                mission=mission,
                country=country,
                geom=geom,
                admin1_code=str(props.get("admin1") or ""),
                priority=int(props.get("priority") or 0),
                note=str(props.get("note") or ""),
                source=str(props.get("source") or ""),
            )
        )
    if replace:
        DistrictArea.objects.exclude(pk__in=[a.pk for a in areas]).delete()
    return areas
