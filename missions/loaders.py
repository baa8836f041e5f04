"""Loader of the missions and their districts from the project's copy of the reference CSVs.

Idempotent: upserts by mission code and by (country, admin-1); rows that left the CSV are
deleted (jurisdictions) or deactivated (missions, which cases may reference).
"""

import csv
import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils import timezone

from missions.models import Jurisdiction, Mission, jurisdiction_basis_of
from safety.geo.loaders import Progress, _quiet
from safety.geo.models import Country, ReferenceDataset

DATA_DIR = Path(__file__).resolve().parent / "data"
SOURCE = "ROK overseas missions and jurisdictions (prototype reference data compiled 2025; see missions/data/README.md)"


class ReferenceDataError(Exception):
    """The reference CSV contradicts itself or the countries loaded."""


@dataclass(frozen=True)
class MissionsLoadResult:
    missions: int
    jurisdictions: int
    skipped: bool
    seconds: float


def _read(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _checksum() -> str:
    digest = hashlib.sha256()
    for name in ("missions.csv", "jurisdictions.csv"):
        digest.update((DATA_DIR / name).read_bytes())
    return digest.hexdigest()


def missions_load(*, progress: Progress = _quiet, force: bool = False) -> MissionsLoadResult:
    """Upsert missions and jurisdictions; needs countries loaded first."""
    started = time.monotonic()
    checksum = _checksum()
    current = (
        ReferenceDataset.objects.filter(name="missions", checksum=checksum).exists()
        and ReferenceDataset.objects.filter(
            name="jurisdictions", checksum=checksum, rows=Jurisdiction.objects.count()
        ).exists()
    )
    if current and not force:
        progress("missions: up to date")
        district_areas_load(progress=progress)
        return MissionsLoadResult(
            Mission.objects.count(), Jurisdiction.objects.count(), True, time.monotonic() - started
        )

    missions = _read("missions.csv")
    jurisdictions = _read("jurisdictions.csv")
    countries = {c.iso2: c for c in Country.objects.all()}
    missing = sorted({r["country"] for r in missions + jurisdictions} - set(countries))
    if missing:
        raise ReferenceDataError(f"countries not loaded: {', '.join(missing)} (run the countries loader first)")

    with transaction.atomic():
        by_code: dict[str, Mission] = {}
        for row in missions:
            mission, _ = Mission.objects.update_or_create(
                code=row["code"],
                defaults={
                    "kind": row["kind"],
                    "name_en": row["name_en"],
                    "name_ko": row["name_ko"],
                    "country": countries[row["country"]],
                    "city": row["city"],
                    "location": Point(x=float(row["longitude"]), y=float(row["latitude"]), srid=4326),
                    "timezone": row["timezone"],
                    "is_active": True,
                    "parent": None,
                },
            )
            by_code[mission.code] = mission
        for row in missions:
            if row["parent"]:
                if row["parent"] not in by_code:
                    raise ReferenceDataError(f"mission {row['code']}: unknown parent {row['parent']}")
                Mission.objects.filter(code=row["code"]).update(parent=by_code[row["parent"]])
        Mission.objects.exclude(code__in=by_code).update(is_active=False)
        progress(f"missions: {len(by_code)} missions")

        seen: set[tuple[str, str]] = set()
        for row in jurisdictions:
            key = (row["country"], row["admin1"])
            if key in seen:
                raise ReferenceDataError(f"jurisdictions: {key} assigned twice")
            if row["mission"] not in by_code:
                raise ReferenceDataError(f"jurisdictions: unknown mission {row['mission']}")
            seen.add(key)
            Jurisdiction.objects.update_or_create(
                country=countries[row["country"]],
                admin1_code=row["admin1"],
                defaults={
                    "mission": by_code[row["mission"]],
                    "basis": jurisdiction_basis_of(row["note"]),
                    "note": row["note"][:300],
                },
            )
        stale = [
            j.pk for j in Jurisdiction.objects.select_related("country") if (j.country.iso2, j.admin1_code) not in seen
        ]
        Jurisdiction.objects.filter(pk__in=stale).delete()
        progress(f"missions: {len(seen)} jurisdiction rows")

        now = timezone.now()
        for name, rows in (("missions", len(by_code)), ("jurisdictions", len(seen))):
            ReferenceDataset.objects.update_or_create(
                name=name,
                defaults={
                    "source": SOURCE,
                    "version": f"sha256:{checksum[:12]}",
                    "checksum": checksum,
                    "rows": rows,
                    "loaded_at": now,
                },
            )
    district_areas_load(progress=progress, force=True)
    return MissionsLoadResult(len(by_code), len(seen), False, time.monotonic() - started)


def district_areas_load(*, progress: Progress = _quiet, force: bool = False) -> int:
    """Load the shipped district area polygons (`data/district_areas.geojson`); skipped when unchanged."""
    from missions.models import DistrictArea
    from missions.services import district_areas_import_geojson

    path = DATA_DIR / "district_areas.geojson"
    checksum = hashlib.sha256(path.read_bytes()).hexdigest()
    count = DistrictArea.objects.count()
    if not force and ReferenceDataset.objects.filter(name="district_areas", checksum=checksum, rows=count).exists():
        progress("district areas: up to date")
        return count
    areas = district_areas_import_geojson(path=path)
    ReferenceDataset.objects.update_or_create(
        name="district_areas",
        defaults={
            "source": SOURCE,
            "version": f"sha256:{checksum[:12]}",
            "checksum": checksum,
            "rows": DistrictArea.objects.count(),
            "loaded_at": timezone.now(),
        },
    )
    progress(f"district areas: {len(areas)} polygons")
    return len(areas)
