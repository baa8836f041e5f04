"""Countries (Natural Earth polygons), their subdivided pieces, and the GeoNames gazetteer."""

from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex


class Country(models.Model):
    """An ISO 3166-1 country or territory. `boundary` is null where Natural Earth has none."""

    iso2 = models.CharField(max_length=2, unique=True)
    iso3 = models.CharField(max_length=3, blank=True)
    name_en = models.CharField(max_length=100)
    name_ko = models.CharField(max_length=100, blank=True)
    continent = models.CharField(max_length=2, blank=True)
    population = models.BigIntegerField(null=True, blank=True)
    boundary = models.MultiPolygonField(srid=4326, null=True, blank=True)
    boundary_source = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["iso2"]
        verbose_name_plural = "countries"
        constraints = [
            models.CheckConstraint(condition=models.Q(iso2__regex=r"^[A-Z]{2}$"), name="country_iso2_upper"),
            models.CheckConstraint(
                condition=models.Q(iso3="") | models.Q(iso3__regex=r"^[A-Z]{3}$"),
                name="country_iso3_upper",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.iso2} {self.name_en}"


class CountryPiece(models.Model):
    """A piece of a country boundary cut by ST_Subdivide, for fast point lookups (GiST)."""

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="pieces")
    geom = models.PolygonField(srid=4326, spatial_index=True)

    class Meta:
        indexes = [models.Index(fields=["country"])]


class Place(models.Model):
    """A populated place of the GeoNames gazetteer (cities500)."""

    geonameid = models.BigIntegerField(unique=True)
    name = models.CharField(max_length=200)
    ascii_name = models.CharField(max_length=200, blank=True)
    alternate_names = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    country_code = models.CharField(max_length=2, db_index=True)
    admin1_code = models.CharField(max_length=20, blank=True)
    population = models.BigIntegerField(default=0)
    timezone = models.CharField(max_length=40, blank=True)
    location = models.PointField(srid=4326, spatial_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["country_code", "admin1_code"]),
            GinIndex(fields=["alternate_names"], name="place_altnames_gin"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(population__gte=0), name="place_population_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country_code})"


class ReferenceDataset(models.Model):
    """What was loaded from which source, at which version, with which checksum."""

    name = models.CharField(max_length=50, unique=True)
    source = models.CharField(max_length=300)
    version = models.CharField(max_length=100)
    checksum = models.CharField(max_length=64)
    rows = models.IntegerField(default=0)
    loaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


class PlaceNameKind(models.IntegerChoices):
    NAME = 0, "name"
    ASCII = 1, "ASCII name"
    ALTERNATE = 2, "alternate name"


class PlaceName(models.Model):
    """One searchable name of a place, normalised by `osc_norm` (lower case, no accents, no punctuation).

    Built from `Place` by `placenames_load`; denormalised (country, admin-1, population) so a
    lookup is one index scan. Exact matches use the B-tree on `name`, misspellings the trigram index.
    """

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="search_names")
    name = models.CharField(max_length=200)
    kind = models.PositiveSmallIntegerField(choices=PlaceNameKind.choices)
    country_code = models.CharField(max_length=2)
    admin1_code = models.CharField(max_length=20, blank=True)
    population = models.BigIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["name", "country_code"], name="placename_name_country"),
            models.Index(fields=["country_code"], name="placename_country"),
        ]


class GeocodeCacheEntry(models.Model):
    """A remembered answer of an online geocoder (found or not), so a provider is asked once per query."""

    provider = models.CharField(max_length=50)
    query = models.CharField(max_length=300, help_text="the normalised query")
    found = models.BooleanField()
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "query"], name="geocodecache_unique_query")]

    def __str__(self) -> str:
        return f"{self.provider}: {self.query}"


class DestinationKind(models.TextChoices):
    ADMIN1 = "admin1", "admin-1 region"
    ADMIN2 = "admin2", "admin-2 region"
    ISLAND = "island", "island"
    ISLAND_GROUP = "island_group", "island group"
    PENINSULA = "peninsula", "peninsula"
    RANGE = "range", "mountain range"
    PEAK = "peak", "peak"
    DESERT = "desert", "desert"
    PARK = "park", "park"
    AIRPORT = "airport", "airport"
    SEAPORT = "seaport", "seaport"
    LANDMARK = "landmark", "landmark"
    BEACH = "beach", "beach"
    RESORT = "resort", "resort"
    TREK = "trek", "trek"
    BORDER_CROSSING = "border_crossing", "border crossing"
    THEME_PARK = "theme_park", "theme park"
    HERITAGE = "heritage", "heritage site"


class Destination(models.Model):
    """A place travellers go that is not a populated place: an island, an airport, a landmark, a trek.

    Loaded by `destinations_load` from the curated `data/destinations.csv` and `airportsdata`;
    `key` is the natural key (source prefix + id) that makes the load idempotent.
    """

    key = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=DestinationKind.choices)
    name_en = models.CharField(max_length=200)
    name_ko = models.CharField(max_length=200, blank=True)
    name_local = models.CharField(max_length=200, blank=True)
    codes = ArrayField(models.CharField(max_length=8), default=list, blank=True)
    country_code = models.CharField(max_length=2, db_index=True)
    admin1_code = models.CharField(max_length=20, blank=True)
    admin1_name = models.CharField(max_length=100, blank=True)
    point = models.PointField(srid=4326, spatial_index=True)
    extent = models.MultiPolygonField(srid=4326, null=True, blank=True)
    importance = models.FloatField(default=0.5)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(importance__gte=0) & models.Q(importance__lte=1), name="destination_importance_0_1"
            ),
            models.CheckConstraint(condition=models.Q(country_code__regex=r"^[A-Z]{2}$"), name="destination_iso2"),
        ]

    def __str__(self) -> str:
        return f"{self.name_en} ({self.kind}, {self.country_code})"


class DestinationName(models.Model):
    """One searchable name of a destination, normalised by `osc_norm` like `PlaceName` (B-tree + trigram)."""

    destination = models.ForeignKey(Destination, on_delete=models.CASCADE, related_name="search_names")
    name = models.CharField(max_length=200)
    country_code = models.CharField(max_length=2)
    importance = models.FloatField(default=0.5)

    class Meta:
        indexes = [
            models.Index(fields=["name", "country_code"], name="destname_name_country"),
            GinIndex(fields=["name"], name="destname_name_trgm", opclasses=["gin_trgm_ops"]),
        ]
