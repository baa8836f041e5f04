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
