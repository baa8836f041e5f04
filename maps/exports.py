"""Exports of the aggregates: CSV (long format) and GeoJSON (aggregated points and regions). No case details."""

import csv
import io
import json
from typing import Any

from maps.selectors import Aggregates


def aggregates_csv(agg: Aggregates) -> str:
    """One row per figure value: figure, key, label, value (and the second value where a figure has one)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["figure", "key", "label", "value", "value2"])
    writer.writerow(["period", agg.filter.start.isoformat(), agg.filter.end.isoformat(), agg.total, ""])
    for key, label, n in agg.by_category:
        writer.writerow(["by_category", key, label, n, ""])
    for key, label, n in agg.by_region:
        writer.writerow(["by_region", key, label, n, ""])
    for key, label, n in agg.by_country:
        writer.writerow(["by_country", key, label, n, ""])
    for status, n in sorted(agg.by_status.items()):
        writer.writerow(["by_status", status, status, n, ""])
    for bucket, n in agg.trend:
        writer.writerow(["trend", bucket.date().isoformat(), agg.filter.granularity, n, ""])
    for bucket, n in agg.trend_year_before:
        writer.writerow(["trend_year_before", bucket.date().isoformat(), agg.filter.granularity, n, ""])
    for s in agg.ack_by_mission:
        writer.writerow(["ack_median_min", s.key, s.label, _num(s.median_min), s.cases])
        writer.writerow(["ack_p90_min", s.key, s.label, _num(s.p90_min), s.cases])
        writer.writerow(["sla_breaches_by_mission", s.key, s.label, s.breaches, s.cases])
    for severity, n, breaches in agg.sla_by_severity:
        writer.writerow(["sla_breaches_by_severity", severity, f"severity {severity}", breaches, n])
    return out.getvalue()


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def aggregates_geojson(agg: Aggregates) -> dict[str, Any]:
    """Grid cells with enough cases as points; smaller groups summed at their region's representative point."""
    features: list[dict[str, Any]] = []
    for lat, lon, n in agg.points:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {"kind": "grid_cell", "count": n},
            }
        )
    for key, lat, lon, n in agg.regions:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {"kind": "region", "region": key, "count": n},
            }
        )
    return {
        "type": "FeatureCollection",
        "properties": {
            "from": agg.filter.start.isoformat(),
            "to": agg.filter.end.isoformat(),
            "total": agg.total,
            "by_country": {key: n for key, _, n in agg.by_country if key},
        },
        "features": features,
    }


def geojson_text(agg: Aggregates) -> str:
    return json.dumps(aggregates_geojson(agg), ensure_ascii=False)
