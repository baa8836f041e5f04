"""Derived map shapes, cached: simplified countries, approximate admin-1 regions, mission districts."""

from django.db import models


class ShapeKind(models.TextChoices):
    COUNTRY = "country", "Country (simplified)"
    ADMIN1 = "admin1", "Admin-1 region (approximated from the gazetteer)"
    DISTRICT = "district", "Part of a mission district inside a split country"


class MapShape(models.Model):
    """A geometry as GeoJSON text, built from the reference data by `maps.shapes` (rebuildable at will).

    Keys: country `KR`; admin-1 `US/CA`; district `cg-us-los-angeles/US`.
    """

    kind = models.CharField(max_length=20, choices=ShapeKind.choices)
    key = models.CharField(max_length=100)
    geometry = models.TextField()
    built_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="mapshape_unique_kind_key")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"


class Grain(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"


class _Rollup(models.Model):
    """Common keys of the roll-ups (kept by the triggers of maps/rollup_sql.py; never written from Python)."""

    grain = models.CharField(max_length=5, choices=Grain.choices)
    period = models.DateField()
    country_id = models.IntegerField(null=True)
    category = models.CharField(max_length=30)
    severity = models.SmallIntegerField()
    mission_id = models.IntegerField(null=True)
    n = models.IntegerField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.grain} {self.period} n={self.n}"


class CaseRollup(_Rollup):
    """Cases per day or month × country × category × severity × mission × status; how many acknowledged."""

    status = models.CharField(max_length=20)
    acked = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "period", "country_id", "category", "severity", "mission_id", "status"],
                name="caserollup_key",
                nulls_distinct=False,
            )
        ]
        indexes = [models.Index(fields=["grain", "period"], name="caserollup_period")]


class CellRollup(_Rollup):
    """Cases per day or month × map grid cell (MAPS_GRID_DEG, as stored in RollupGrid) × country × admin-1 × …"""

    gx = models.IntegerField(null=True)
    gy = models.IntegerField(null=True)
    admin1_code = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "grain",
                    "period",
                    "country_id",
                    "category",
                    "severity",
                    "mission_id",
                    "gx",
                    "gy",
                    "admin1_code",
                ],
                name="cellrollup_key",
                nulls_distinct=False,
            )
        ]
        indexes = [models.Index(fields=["grain", "period"], name="cellrollup_period")]


class AckRollup(_Rollup):
    """Acknowledged cases per … × minutes to acknowledge, rounded up to a bucket (see maps/rollup_sql.py)."""

    minutes = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "period", "country_id", "category", "severity", "mission_id", "minutes"],
                name="ackrollup_key",
                nulls_distinct=False,
            )
        ]
        indexes = [models.Index(fields=["grain", "period"], name="ackrollup_period")]


class PendingAck(models.Model):
    """One open, unacknowledged case (the live queue): whether it is past its deadline depends on the clock."""

    incident_id = models.BigIntegerField(primary_key=True)
    day = models.DateField()
    created_at = models.DateTimeField()
    country_id = models.IntegerField(null=True)
    category = models.CharField(max_length=30)
    severity = models.SmallIntegerField()
    mission_id = models.IntegerField(null=True)

    def __str__(self) -> str:
        return f"pending {self.incident_id}"


class RollupGrid(models.Model):
    """The grid size (degrees) the cell roll-up was built with; one row, id 1."""

    grid_deg = models.FloatField()

    def __str__(self) -> str:
        return f"grid {self.grid_deg}°"
