"""Routing: districts, district area polygons (California), border and cut-line points, at sea, split countries."""

import json
from io import StringIO

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.db import connection

from missions.models import DistrictArea, Mission
from missions.routing import route, route_points
from missions.services import district_area_save, district_areas_import_geojson
from safety.geo.models import Country


def at(lat: float, lon: float):  # type: ignore[no-untyped-def]
    return route(point=Point(x=lon, y=lat, srid=4326))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lat", "lon", "mission", "method"),
    [
        (37.7749, -122.4194, "cg-us-san-francisco", "district_area"),  # San Francisco
        (38.5816, -121.4944, "cg-us-san-francisco", "district_area"),  # Sacramento
        (36.7378, -119.7871, "cg-us-san-francisco", "district_area"),  # Fresno (north of the cut)
        (35.3733, -119.0187, "cg-us-los-angeles", "district_area"),  # Bakersfield (Kern)
        (34.0522, -118.2437, "cg-us-los-angeles", "district_area"),  # Los Angeles
        (32.7157, -117.1611, "cg-us-los-angeles", "district_area"),  # San Diego
        (39.5296, -119.8138, "cg-us-los-angeles", "district"),  # Reno, NV: outside the California polygons
        (42.3265, -122.8756, "cg-us-seattle", "district"),  # Medford, OR
        (45.4215, -75.6972, "emb-ca-ottawa", "district_area"),  # Ottawa: the embassy, not CG Toronto
        (43.6532, -79.3832, "cg-ca-toronto", "district"),
        (34.6937, 135.5023, "cg-jp-osaka", "district"),  # split country
        (31.2304, 121.4737, "cg-cn-shanghai", "district"),
        (31.62, 121.45, "cg-cn-shanghai", "district"),  # Chongming: its gazetteer place has no admin-1
        (10.7769, 106.7009, "cg-vn-ho-chi-minh-city", "district"),
        (12.6392, -8.0029, "emb-sn-dakar", "concurrent_accreditation"),  # Bamako, Mali
    ],
)
def test_route_inside_districts(lat, lon, mission, method):
    decision = at(lat, lon)
    assert decision.mission is not None and decision.mission.code == mission, decision
    assert decision.method == method
    assert mission in decision.reason


@pytest.mark.django_db
def test_route_california_cut_line_and_its_edges_are_never_dropped():
    on_cut = at(35.79, -120.5)
    assert on_cut.mission.code in {"cg-us-san-francisco", "cg-us-los-angeles"}
    assert on_cut.method == "district_area"
    assert at(35.7901, -120.5).mission.code == "cg-us-san-francisco"
    assert at(35.7899, -120.5).mission.code == "cg-us-los-angeles"
    # The corner where the cut meets the California-Nevada line is a vertex of both polygons.
    corner = at(35.79, -115.6914)
    assert corner.method == "district_area" and corner.admin1_code == "CA"
    assert [at(35.79, -120.5).mission.code for _ in range(3)] == [on_cut.mission.code] * 3


def _points_on_cut_lines(limit: int) -> list[tuple[str, float, float]]:
    """Points on the lines where ST_Subdivide cut a country: on the edge of two pieces, inside no piece."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.iso2, ST_X(pt), ST_Y(pt) FROM (
                SELECT a.country_id,
                       ST_LineInterpolatePoint(
                           (ST_Dump(ST_CollectionExtract(
                               ST_Intersection(ST_Boundary(a.geom), ST_Boundary(b.geom)), 2))).geom,
                           0.5) AS pt
                FROM geo_countrypiece a JOIN geo_countrypiece b
                  ON a.country_id = b.country_id AND a.id < b.id AND ST_Touches(a.geom, b.geom)
                WHERE a.country_id IN (SELECT id FROM geo_country WHERE iso2 IN ('TH', 'JP', 'US', 'CL', 'NO'))
            ) s JOIN geo_country c ON c.id = s.country_id
            LIMIT %s
            """,
            [limit],
        )
        return cursor.fetchall()


@pytest.mark.django_db
def test_route_points_on_subdivide_cut_lines_keep_their_country():
    points = _points_on_cut_lines(40)
    assert len(points) >= 20
    with connection.cursor() as cursor:
        for _iso2, lon, lat in points:
            cursor.execute(
                "SELECT count(*) FROM geo_countrypiece WHERE ST_Contains(geom, ST_SetSRID(ST_MakePoint(%s, %s), 4326))",
                [lon, lat],
            )
            (contained,) = cursor.fetchone()
            assert contained == 0, "the point lies on a cut line (ST_Contains would drop it)"
    decisions = route_points([(lon, lat) for _, lon, lat in points])
    assert [d.country_iso2 for d in decisions] == [iso2 for iso2, _, _ in points]
    assert all(d.mission is not None for d in decisions)


@pytest.mark.django_db
def test_route_point_on_a_shared_border_vertex_is_routed_to_one_neighbour():
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT ST_X(p.geom), ST_Y(p.geom)
            FROM geo_country th, geo_country kh, ST_DumpPoints(th.boundary) p
            WHERE th.iso2 = 'TH' AND kh.iso2 = 'KH' AND ST_Intersects(kh.boundary, p.geom)
            LIMIT 3
            """
        )
        vertices = cursor.fetchall()
    assert vertices
    for lon, lat in vertices:
        decision = at(lat, lon)
        assert decision.country_iso2 in {"TH", "KH"} and decision.mission is not None


@pytest.mark.django_db
def test_route_at_sea_nearest_country_within_reach_else_duty_officer():
    off_pattaya = at(12.90, 100.70)
    assert off_pattaya.mission.code == "emb-th-bangkok" and off_pattaya.method == "nearest_country"
    assert "nearest country TH" in off_pattaya.reason
    off_california = at(37.0, -124.5)
    assert off_california.mission.code == "cg-us-san-francisco"
    mid_pacific = at(0.0, -140.0)
    assert mid_pacific.mission is None and mid_pacific.method == "unroutable"
    assert "HQ duty officer" in mid_pacific.reason


@pytest.mark.django_db
def test_route_without_a_point_uses_the_country_else_duty_officer():
    laos = route(point=None, country_iso2="LA")
    assert laos.mission.code.startswith("emb-la-")
    japan = route(point=None, country_iso2="JP")
    assert japan.mission.code == "emb-jp-tokyo", "split country without admin-1: the embassy"
    nowhere = route(point=None)
    assert nowhere.mission is None and nowhere.reason == "location unknown; HQ duty officer"
    far_at_sea_in_thailand_case = route(point=Point(x=-140.0, y=0.0, srid=4326), country_iso2="TH")
    assert far_at_sea_in_thailand_case.mission.code == "emb-th-bangkok"


@pytest.mark.django_db
def test_district_area_polygon_takes_precedence_and_import_is_all_or_nothing(tmp_path):
    osaka = at(34.6937, 135.5023)
    assert osaka.mission.code == "cg-jp-osaka"
    district_area_save(
        name="Test: central Osaka to Tokyo",
        mission=Mission.objects.get(code="emb-jp-tokyo"),
        country=Country.objects.get(iso2="JP"),
        geom=Point(x=135.5023, y=34.6937, srid=4326).buffer(0.05),
    )
    assert at(34.6937, 135.5023).mission.code == "emb-jp-tokyo"
    assert at(34.6937, 135.6523).mission.code == "cg-jp-osaka"
    bad = tmp_path / "bad.geojson"
    good_feature = {
        "type": "Feature",
        "properties": {"name": "Test: ok", "mission": "emb-jp-tokyo", "country": "JP"},
        "geometry": {"type": "Polygon", "coordinates": [[[135, 34], [135.1, 34], [135.1, 34.1], [135, 34]]]},
    }
    bad_feature = {**good_feature, "properties": {"name": "Test: bad", "mission": "no-such", "country": "JP"}}
    bad.write_text(json.dumps({"type": "FeatureCollection", "features": [good_feature, bad_feature]}))
    before = DistrictArea.objects.count()
    with pytest.raises(Exception, match="known mission"):
        district_areas_import_geojson(path=bad)
    assert DistrictArea.objects.count() == before


@pytest.mark.django_db
def test_route_command_and_api(tmp_path, api, operator):
    path = tmp_path / "points.csv"
    path.write_text("lat,lon\n34.0522,-118.2437\n0,-140\n", encoding="utf-8")
    out = StringIO()
    call_command("route", "37.7749", "-122.4194", "--json", "--file", str(path), stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["mission"] for r in rows] == ["cg-us-san-francisco", "cg-us-los-angeles", None]
    assert all(list(r) == ["lat", "lon", "mission", "country", "admin1", "reason"] for r in rows)
    body = api(operator).get("/api/route/", {"lat": 35.6595, "lon": 139.7005}).json()
    assert body["mission"] == "emb-jp-tokyo" and body["country"] == "JP" and body["admin1"] == "40"
    bad = api(operator).get("/api/route/", {"lat": 95, "lon": 0})
    assert bad.status_code == 400 and "lat" in bad.json()["fields"]


@pytest.mark.django_db
def test_district_area_cut_lines_of_its_pieces_keep_the_area():
    area = district_area_save(
        name="Test: big round area around Nagoya",
        mission=Mission.objects.get(code="emb-jp-tokyo"),
        country=Country.objects.get(iso2="JP"),
        geom=Point(x=136.9, y=35.2, srid=4326).buffer(0.4, quadsegs=200),
    )
    assert area.pieces.count() > 1
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT ST_X(pt), ST_Y(pt) FROM (
                SELECT ST_LineInterpolatePoint((ST_Dump(ST_CollectionExtract(
                    ST_Intersection(ST_Boundary(a.geom), ST_Boundary(b.geom)), 2))).geom, 0.5) AS pt
                FROM missions_districtareapiece a JOIN missions_districtareapiece b
                  ON a.area_id = b.area_id AND a.id < b.id AND ST_Touches(a.geom, b.geom)
                WHERE a.area_id = %s
            ) s
            """,
            [area.pk],
        )
        points = cursor.fetchall()
    assert points
    decisions = route_points(points)
    assert all(d.method == "district_area" and d.mission.code == "emb-jp-tokyo" for d in decisions)


@pytest.mark.django_db
def test_route_at_sea_distance_is_a_setting(settings):
    assert at(11.5, 100.5).mission.code == "emb-th-bangkok"  # Gulf of Thailand, 79 km out
    settings.ROUTING_NEAREST_COUNTRY_MAX_KM = 50.0
    assert at(11.5, 100.5).mission is None
