"""The folium map of the dashboard: switchable layers built from aggregates only (no case is ever a point)."""

import json
from datetime import datetime
from typing import Any

import folium
from branca.element import Figure, MacroElement
from django.conf import settings
from django.db import connection
from folium.plugins import FastMarkerCluster, HeatMap
from folium.template import Template

from maps.assets import offline
from maps.selectors import Aggregates
from maps.shapes import features_json, map_shapes_ensure, region_centroids, shapes_cached
from safety.advisories.models import LEVEL_COLORS, LEVEL_RANK, Advisory, Level
from safety.advisories.selectors import advisories_in_force

CHOROPLETH_COLORS = ["#fff5eb", "#fdd0a2", "#fd8d3c", "#e6550d", "#a63603"]


def safe_json(text: str) -> str:
    """JSON text made safe inside <script>: no '<', '>' or '&' survive outside \\u escapes."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _bins(values: list[int]) -> list[int]:
    """Five lower bounds for the choropleth: quantiles of the non-zero counts, strictly increasing."""
    if not values:
        return [1, 2, 3, 4, 5]
    ordered = sorted(values)
    bounds = [1]
    for q in (0.4, 0.7, 0.85, 0.95):
        candidate = ordered[min(len(ordered) - 1, int(q * len(ordered)))]
        bounds.append(max(candidate, bounds[-1] + 1))
    return bounds


def _missions() -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT m.code, m.name_en, m.city, m.kind, ST_Y(m.location), ST_X(m.location),
                   coalesce(array_agg(c.iso2 ORDER BY c.iso2) FILTER (WHERE j.admin1_code = '' AND c.iso2 IS NOT NULL),
                            '{}')
            FROM missions_mission m
            LEFT JOIN missions_jurisdiction j ON j.mission_id = m.id
            LEFT JOIN geo_country c ON c.id = j.country_id
            WHERE m.is_active GROUP BY m.id ORDER BY m.code
            """
        )
        return [
            {
                "code": code,
                "name": name,
                "city": city,
                "kind": kind,
                "lat": round(lat, 3),
                "lon": round(lon, 3),
                "countries": list(countries),
            }
            for code, name, city, kind, lat, lon, countries in cursor.fetchall()
        ]


def _country_names() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT iso2, name_en FROM geo_country")
        return dict(cursor.fetchall())


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _advisories(at: datetime, names: dict[str, str]) -> tuple[list[Advisory], list[dict[str, Any]]]:
    rows = advisories_in_force(at=at)
    centroids = region_centroids()
    out = []
    for a in rows:
        key = f"{a.country.iso2}/{a.admin1_code}" if a.admin1_code else a.country.iso2
        lat_lon = centroids.get(key) or centroids.get(a.country.iso2)
        out.append(
            {
                "country": a.country.iso2,
                "admin1": a.admin1_code,
                "area": names.get(a.country.iso2, a.country.iso2) + (f" / {a.admin1_code}" if a.admin1_code else ""),
                "level": a.level,
                "valid_from": _iso(a.valid_from),
                "valid_to": _iso(a.valid_to),
                "note": a.note,
                "lat": lat_lon[0] if lat_lon else None,
                "lon": lat_lon[1] if lat_lon else None,
            }
        )
    return rows, out


class SharedFastMarkerCluster(FastMarkerCluster):
    """folium's FastMarkerCluster (same plugin assets) reading its rows from OSC_DATA.cluster_rows.

    The rows stay out of folium's script pipeline, which would compile them as a Jinja template.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function(){
                {{ this.callback }}
                var data = OSC_DATA.cluster_rows;
                var cluster = L.markerClusterGroup({{ this.options|tojavascript }});
                cluster.options.iconCreateFunction = {{ this.icon_create_function.strip() }};
                for (var i = 0; i < data.length; i++) { callback(data[i]).addTo(cluster); }
                return cluster;
            })();
        {% endmacro %}"""
    )


class SharedHeatMap(HeatMap):
    """folium's HeatMap (same plugin assets) reading its points from OSC_DATA.heat."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.heatLayer(OSC_DATA.heat, {{ this.options|tojavascript }});
        {% endmacro %}
        """
    )


class JsLayer(folium.map.Layer):
    """A layer made by a function of osc-map.js from OSC_DATA, switchable in the layer control."""

    _template = Template(
        "{% macro script(this, kwargs) %}var {{ this.get_name() }} = OSC.{{ this.factory }}(OSC_DATA);{% endmacro %}"
    )

    def __init__(self, factory: str, *, name: str, overlay: bool = True, show: bool = True) -> None:
        super().__init__(name=name, overlay=overlay, control=True, show=show)
        self._name = "OscLayer"
        self.factory = factory


class Legend(MacroElement):
    _template = Template(
        "{% macro script(this, kwargs) %}"
        "OSC.legend(OSC_DATA).addTo({{ this._parent.get_name() }}); OSC.ready({{ this._parent.get_name() }});"
        "{% endmacro %}"
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "OscLegend"


class FragmentFigure(Figure):
    """Renders header, body and script of the map as three parts separated by NUL, for the page template."""

    _template = Template(
        "{{ this.header.render(**kwargs) }}\x00{{ this.html.render(**kwargs) }}\x00{{ this.script.render(**kwargs) }}"
    )


def build_map(agg: Aggregates, *, at: datetime) -> tuple[folium.Map, str]:
    """The folium map for these aggregates (advisories in force at `at`) and its data: the JSON text of OSC_DATA,
    safe to place inside <script>, to be declared before the map's script."""
    names = _country_names()
    advisory_rows, advisories = _advisories(at, names)
    map_shapes_ensure(admin1_countries=sorted({a.country.iso2 for a in advisory_rows if a.admin1_code}))
    shapes = shapes_cached()
    counts = {iso2: n for iso2, _, n in agg.by_country if iso2}
    missions = _missions()
    districts = dict(shapes["district"])
    district_props: dict[str, dict[str, object]] = {key: {"mission": key.split("/")[0]} for key in districts}
    advisory_regions = {
        f"{a['country']}/{a['admin1']}": shapes["admin1"].get(f"{a['country']}/{a['admin1']}")
        for a in advisories
        if a["admin1"]
    }
    rows: list[list[object]] = [[lat, lon, n, 0] for lat, lon, n in agg.points]
    rows += [[lat, lon, n, key] for key, lat, lon, n in agg.regions]
    # Rows mix coordinates, counts and keys; r[2] is always the integer count.
    peak = max((int(r[2]) for r in rows), default=1) or 1  # type: ignore[call-overload]
    plain = {
        "cluster_rows": rows,
        # r[2] is the integer count (see peak above).
        "heat": [[r[0], r[1], round(min(1.0, 0.15 + float(r[2]) / float(peak)), 3)] for r in rows],  # type: ignore[arg-type]
        "country_names": names,
        "choropleth": {"counts": counts, "bins": _bins(list(counts.values())), "colors": CHOROPLETH_COLORS},
        "missions": missions,
        "mission_index": {m["code"]: {"name": m["name"]} for m in missions},
        "advisories": advisories,
        "advisory_regions": {k: json.loads(v) for k, v in advisory_regions.items() if v},
        "advisory_levels": {lvl.value: {"label": str(lvl.label), "color": LEVEL_COLORS[lvl]} for lvl in Level},
        "advisory_order": [lvl.value for lvl in sorted(Level, key=lambda lv: LEVEL_RANK[lv])],
        "min_cluster": settings.MAPS_MIN_CLUSTER_SIZE,
        "period": agg.filter.describe(),
    }
    payload = (
        '{"countries":'
        + features_json(shapes["country"])
        + ',"districts":'
        + features_json(districts, district_props)
        + ","
        + json.dumps(plain, ensure_ascii=False, separators=(",", ":"))[1:]
    )

    figure = FragmentFigure()
    tiles_url = settings.MAP_TILE_URL
    m = folium.Map(
        location=[25, 60],
        zoom_start=2,
        min_zoom=2,
        max_zoom=12,
        minZoom=2,
        maxZoom=12,
        tiles=None,
        prefer_canvas=True,
        world_copy_jump=True,
        control_scale=True,
    )
    figure.add_child(m)
    offline(m)
    if tiles_url:
        folium.TileLayer(tiles=tiles_url, attr=settings.MAP_TILE_ATTRIBUTION or "tiles", name="Tiles").add_to(m)
    else:
        m.add_child(JsLayer("basemap", name="Countries (offline base map)", overlay=False))
    m.add_child(JsLayer("choropleth", name="Incidents per country", show=True))
    cluster = SharedFastMarkerCluster(
        [],
        callback="OSC.clusterRow",
        icon_create_function="OSC.clusterIcon",
        name="Incidents (clustered)",
        overlay=True,
        show=True,
        chunkedLoading=True,
        maxClusterRadius=60,
    )
    m.add_child(offline(cluster))
    heat = SharedHeatMap(
        [],
        name="Heat map",
        radius=18,
        blur=15,
        min_opacity=0.3,
        show=False,
    )
    m.add_child(offline(heat))
    m.add_child(JsLayer("missions", name="Missions and districts", show=False))
    m.add_child(JsLayer("advisories", name="Travel advisories", show=False))
    folium.LayerControl(collapsed=False).add_to(m)
    m.add_child(Legend())
    return m, safe_json(payload)


def render_parts(m: folium.Map) -> tuple[str, str, str]:
    """(head, body, script) of the map; the head's links point at the local copies."""
    figure = m.get_root()
    if not isinstance(figure, FragmentFigure):
        raise TypeError("build the map with build_map()")
    head, body, script = figure.render().split("\x00")
    return head, body, script
