"""Synthetic demo cases at scale (seed_demo): realistic places, mixes and delays, written with COPY.

Seeded rows are marked with geocode_status demo and have no persons, callers or timeline events,
so `--clear` can delete them (the timeline is append-only, the demo never writes to it).
"""

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from django.db import connection, transaction
from django.utils import timezone

from incidents.models import GeocodeStatus, Incident
from missions.routing import route

DEMO_SOURCE = "seed_demo"
DEMO_USERNAME = "demo-seed"

# (GeoNames name, ISO2, weight): where Koreans travel and live (tourism, residents, students, business).
DESTINATIONS: tuple[tuple[str, str, float], ...] = (
    ("Tokyo", "JP", 60),
    ("Osaka", "JP", 55),
    ("Fukuoka", "JP", 35),
    ("Sapporo", "JP", 15),
    ("Kyoto", "JP", 12),
    ("Naha", "JP", 10),
    ("Nagoya", "JP", 8),
    ("Bangkok", "TH", 40),
    ("Pattaya", "TH", 12),
    ("Phuket", "TH", 10),
    ("Chiang Mai", "TH", 6),
    ("Da Nang", "VN", 35),
    ("Hanoi", "VN", 25),
    ("Ho Chi Minh City", "VN", 25),
    ("Nha Trang", "VN", 12),
    ("Manila", "PH", 25),
    ("Cebu City", "PH", 20),
    ("Angeles City", "PH", 8),
    ("Beijing", "CN", 18),
    ("Shanghai", "CN", 22),
    ("Qingdao", "CN", 15),
    ("Shenyang", "CN", 8),
    ("Guangzhou", "CN", 8),
    ("Yanji", "CN", 6),
    ("Hong Kong", "HK", 15),
    ("Taipei", "TW", 18),
    ("Macau", "MO", 4),
    ("Singapore", "SG", 12),
    ("Kuala Lumpur", "MY", 10),
    ("Kota Kinabalu", "MY", 6),
    ("Denpasar", "ID", 10),
    ("Jakarta", "ID", 8),
    ("Phnom Penh", "KH", 6),
    ("Siem Reap", "KH", 4),
    ("Vientiane", "LA", 4),
    ("Ulaanbaatar", "MN", 5),
    ("New Delhi", "IN", 4),
    ("Mumbai", "IN", 3),
    ("Dubai", "AE", 6),
    ("Doha", "QA", 2),
    ("Istanbul", "TR", 6),
    ("Tashkent", "UZ", 3),
    ("Almaty", "KZ", 3),
    ("Moscow", "RU", 4),
    ("Vladivostok", "RU", 5),
    ("Los Angeles", "US", 30),
    ("New York City", "US", 25),
    ("San Francisco", "US", 8),
    ("Seattle", "US", 6),
    ("Honolulu", "US", 10),
    ("Chicago", "US", 5),
    ("Atlanta", "US", 5),
    ("Dallas", "US", 4),
    ("Las Vegas", "US", 5),
    ("Hagåtña", "GU", 12),
    ("Saipan", "MP", 6),
    ("Toronto", "CA", 10),
    ("Vancouver", "CA", 10),
    ("Sydney", "AU", 15),
    ("Melbourne", "AU", 8),
    ("Brisbane", "AU", 5),
    ("Auckland", "NZ", 5),
    ("Paris", "FR", 14),
    ("London", "GB", 12),
    ("Rome", "IT", 10),
    ("Barcelona", "ES", 9),
    ("Madrid", "ES", 4),
    ("Frankfurt am Main", "DE", 6),
    ("Berlin", "DE", 4),
    ("Prague", "CZ", 6),
    ("Vienna", "AT", 4),
    ("Zurich", "CH", 3),
    ("Amsterdam", "NL", 3),
    ("Budapest", "HU", 3),
    ("Lisbon", "PT", 3),
    ("Athens", "GR", 2),
    ("Mexico City", "MX", 3),
    ("Cancún", "MX", 3),
    ("São Paulo", "BR", 3),
    ("Buenos Aires", "AR", 2),
    ("Lima", "PE", 2),
    ("Cairo", "EG", 2),
    ("Nairobi", "KE", 1),
    ("Johannesburg", "ZA", 1),
    ("Tel Aviv", "IL", 1),
)
LONG_TAIL_PLACES = 300
LONG_TAIL_SHARE = 0.06
CATEGORY_MIX = (
    ("crime", 34),
    ("accident", 19),
    ("health", 12),
    ("other", 10),
    ("detention", 7),
    ("missing_person", 6),
    ("natural_disaster", 6),
    ("unrest", 4),
    ("terrorism", 2),
)
SEVERITY_MIX = {
    "crime": (45, 35, 15, 5),
    "accident": (30, 35, 25, 10),
    "health": (30, 40, 22, 8),
    "other": (60, 30, 8, 2),
    "detention": (15, 40, 35, 10),
    "missing_person": (10, 30, 40, 20),
    "natural_disaster": (20, 30, 30, 20),
    "unrest": (25, 35, 30, 10),
    "terrorism": (5, 10, 35, 50),
}
# Median minutes to acknowledge by severity (lognormal); some missions are slower.
ACK_MEDIAN_MIN = {1: 240.0, 2: 45.0, 3: 14.0, 4: 6.0}
SUMMARIES = {
    "crime": "Theft reported",
    "accident": "Traffic accident",
    "health": "Medical emergency",
    "other": "Consular help",
    "detention": "Detained by police",
    "missing_person": "Contact lost",
    "natural_disaster": "Caught in disaster",
    "unrest": "Stranded by unrest",
    "terrorism": "Near an attack",
}
JITTER_KM = 6.0
COLUMNS = (
    "reference",
    "category",
    "severity",
    "status",
    "occurred_at",
    "location_text",
    "location",
    "admin1_code",
    "geocode_confidence",
    "geocode_source",
    "geocode_status",
    "routing_reason",
    "routing_method",
    "needs_review",
    "summary",
    "description",
    "channel",
    "created_at",
    "updated_at",
    "closed_at",
    "country_id",
    "created_by_id",
    "responsible_mission_id",
    "acknowledged_at",
)


@dataclass(frozen=True)
class SeedPlace:
    name: str
    iso2: str
    admin1: str
    lat: float
    lon: float
    country_id: int | None
    mission_id: int | None
    reason: str
    method: str
    weight: float
    mission_slowness: float
    jitter_km: float = JITTER_KM


def _places(rng: random.Random) -> list[SeedPlace]:
    """Resolve the destinations (and a long tail of populous places) in the gazetteer; route each once."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT iso2, id FROM geo_country")
        country_ids = dict(cursor.fetchall())
        found: list[tuple[str, str, str, float, float, float]] = []
        for name, iso2, weight in DESTINATIONS:
            cursor.execute(
                "SELECT name, admin1_code, ST_Y(location), ST_X(location) FROM geo_place "
                "WHERE country_code = %s AND (name = %s OR ascii_name = %s) ORDER BY population DESC LIMIT 1",
                [iso2, name, name],
            )
            row = cursor.fetchone()
            if row:
                found.append((row[0], iso2, row[1], float(row[2]), float(row[3]), weight))
        cursor.execute(
            "SELECT name, country_code, admin1_code, ST_Y(location), ST_X(location), population FROM geo_place "
            "WHERE population >= 300000 ORDER BY population DESC LIMIT 1500"
        )
        tail = cursor.fetchall()
    rng.shuffle(tail)
    tail = tail[:LONG_TAIL_PLACES]
    head_total = sum(w for *_, w in found)
    tail_weights = [math.sqrt(row[5]) for row in tail]
    tail_scale = head_total * LONG_TAIL_SHARE / max(1.0, sum(tail_weights))
    for row, w in zip(tail, tail_weights, strict=True):
        found.append((row[0], row[1], row[2], float(row[3]), float(row[4]), w * tail_scale))
    jitter = _jitter_within_country(found)
    places: list[SeedPlace] = []
    slowness: dict[int | None, float] = {}
    for index, (name, iso2, admin1, lat, lon, weight) in enumerate(found):
        decision = route(point=Point(x=lon, y=lat, srid=4326))
        mission_id = decision.mission.pk if decision.mission else None
        if mission_id not in slowness:
            slowness[mission_id] = rng.lognormvariate(0, 0.45)
        places.append(
            SeedPlace(
                name=name,
                iso2=decision.country_iso2 or iso2,
                admin1=decision.admin1_code or admin1,
                lat=lat,
                lon=lon,
                country_id=country_ids.get(decision.country_iso2 or iso2),
                mission_id=mission_id,
                reason=decision.reason[:300],
                method=decision.method,
                weight=weight,
                mission_slowness=slowness[mission_id],
                jitter_km=jitter.get(index, JITTER_KM),
            )
        )
    return places


def _jitter_within_country(found: list[tuple[str, str, str, float, float, float]]) -> dict[int, float]:
    """Per place, how far its cases may scatter and stay in its country: at most JITTER_KM, at most the
    distance to the country's outline (a degree of longitude counted as its length at that latitude,
    which never overstates the distance), so a case near Macau is never scattered into China."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.i, LEAST(%s, ST_Distance(ST_Boundary(c.boundary), ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326))"
            " * 111.0 * cos(radians(t.lat))) "
            "FROM unnest(%s::int[], %s::float8[], %s::float8[], %s::text[]) AS t(i, lon, lat, iso2) "
            "JOIN geo_country c ON c.iso2 = t.iso2 AND c.boundary IS NOT NULL",
            [
                JITTER_KM,
                list(range(len(found))),
                [row[4] for row in found],
                [row[3] for row in found],
                [row[1] for row in found],
            ],
        )
        return {int(i): float(km) for i, km in cursor.fetchall()}


def _demo_user_id() -> int:
    user, _ = get_user_model().objects.get_or_create(
        username=DEMO_USERNAME, defaults={"is_active": False, "email": "demo-seed@osc.example"}
    )
    return int(user.pk)


def _occurred(rng: random.Random, now: datetime, years: float) -> datetime:
    """Times over the last `years`, growing over time, with summer and winter holiday peaks."""
    while True:
        age_days = rng.random() * 365.25 * years
        moment = now - timedelta(days=age_days, seconds=rng.random() * 86400)
        growth = 1.0 - 0.35 * age_days / (365.25 * years)
        season = 1.0 + 0.35 * math.cos((moment.timetuple().tm_yday - 210) / 365.25 * 2 * math.pi)
        season += 0.15 * math.cos((moment.timetuple().tm_yday - 15) / 365.25 * 2 * math.pi)
        if rng.random() < growth * season / 1.5:
            return moment


def demo_seed(
    *, incidents: int, years: float = 4.0, seed: int = 20261201, progress: Callable[[str], None] | None = None
) -> int:
    """Insert `incidents` synthetic cases with COPY in one transaction; returns how many were written."""
    rng = random.Random(seed)
    now = timezone.now()
    places = _places(rng)
    if progress:
        progress(f"{len(places)} places routed")
    user_id = _demo_user_id()
    categories = [c for c, _ in CATEGORY_MIX]
    category_weights = [w for _, w in CATEGORY_MIX]
    place_weights = [p.weight for p in places]
    chosen_places = rng.choices(places, weights=place_weights, k=incidents)
    chosen_categories = rng.choices(categories, weights=category_weights, k=incidents)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT nextval('incidents_reference_seq') FROM generate_series(1, %s)", [incidents])
        numbers = [row[0] for row in cursor.fetchall()]
        with cursor.copy(f"COPY incidents_incident ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for i in range(incidents):
                place = chosen_places[i]
                category = chosen_categories[i]
                severity = rng.choices((1, 2, 3, 4), weights=SEVERITY_MIX[category])[0]
                occurred = _occurred(rng, now, years)
                created = occurred + timedelta(minutes=rng.lognormvariate(3.0, 1.0))
                if created > now:
                    created = now
                distance_km = place.jitter_km * math.sqrt(rng.random())
                bearing = rng.random() * 2 * math.pi
                lat = place.lat + distance_km / 111.0 * math.cos(bearing)
                lon = place.lon + distance_km / (111.0 * max(0.2, math.cos(math.radians(place.lat)))) * math.sin(
                    bearing
                )
                acked = None
                if place.mission_id is not None and rng.random() > 0.02:
                    delay = rng.lognormvariate(math.log(ACK_MEDIAN_MIN[severity] * place.mission_slowness), 0.9)
                    acked = created + timedelta(minutes=delay)
                    if acked > now:
                        acked = None
                age_days = (now - created).days
                closed_share = 0.0 if age_days < 2 else min(0.97, 0.35 + age_days / 60)
                r = rng.random()
                if r < closed_share:
                    status, closed = "closed", created + timedelta(days=rng.uniform(0.5, min(60, max(1, age_days))))
                    closed = min(closed, now)
                elif r < closed_share + 0.03:
                    status, closed = "resolved", None
                else:
                    status, closed = ("in_progress" if acked else "open"), None
                copy.write_row(
                    (
                        f"OSC-{occurred.year}-{numbers[i]:06d}",
                        category,
                        severity,
                        status,
                        occurred,
                        f"{place.name}, {place.iso2}",
                        f"SRID=4326;POINT({lon:.5f} {lat:.5f})",
                        place.admin1,
                        0.9,
                        DEMO_SOURCE,
                        GeocodeStatus.DEMO,
                        place.reason,
                        place.method,
                        place.mission_id is None,
                        f"[demo] {SUMMARIES[category]}",
                        "",
                        rng.choices(("phone", "email", "mission", "web", "walk_in"), weights=(60, 10, 15, 12, 3))[0],
                        created,
                        closed or acked or created,
                        closed,
                        place.country_id,
                        user_id,
                        place.mission_id,
                        acked,
                    )
                )
                if progress and (i + 1) % 50000 == 0:
                    progress(f"{i + 1:,} written")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE incidents_incident")
    return incidents


def demo_clear() -> int:
    """Delete every seeded case (they have no timeline, persons or callers); returns how many."""
    deleted, _ = Incident.objects.filter(geocode_status=GeocodeStatus.DEMO).delete()
    return int(deleted)
