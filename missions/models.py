"""Missions (embassies, consulates), their districts, the staff who work there and their alert channels."""

from django.conf import settings
from django.contrib.gis.db import models

from safety.geo.models import Country


class MissionKind(models.TextChoices):
    EMBASSY = "embassy", "Embassy"
    CONSULATE_GENERAL = "consulate_general", "Consulate-general"
    CONSULATE = "consulate", "Consulate / consular office"
    EMBASSY_OFFICE = "embassy_office", "Embassy office"
    REPRESENTATIVE_OFFICE = "representative_office", "Representative office"
    PERMANENT_MISSION = "permanent_mission", "Permanent mission"


class RoutingMethod(models.TextChoices):
    """How a case's mission was decided: stored with the case (`Incident.routing_method`)."""

    DISTRICT_AREA = "district_area", "District area polygon"
    DISTRICT = "district", "District"
    CONCURRENT_ACCREDITATION = "concurrent_accreditation", "Concurrent accreditation"
    EMBASSY_FALLBACK = "embassy_fallback", "Embassy of the country"
    NEAREST_COUNTRY = "nearest_country", "Nearest country"
    COUNTRY_GIVEN = "country_given", "Country given"
    UNROUTABLE = "unroutable", "Unroutable (HQ duty officer)"
    MANUAL = "manual", "Chosen by hand"


class Mission(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=30, choices=MissionKind.choices)
    name_en = models.CharField(max_length=200)
    name_ko = models.CharField(max_length=200, blank=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="missions")
    city = models.CharField(max_length=100)
    location = models.PointField(srid=4326)
    timezone = models.CharField(max_length=40)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="Supervising mission (the embassy of a consulate-general).",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(parent=models.F("id")), name="mission_not_own_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_en}"


class JurisdictionBasis(models.TextChoices):
    """Why a mission has an area: its (consular) district, a concurrent accreditation, or an assumption."""

    DISTRICT = "district", "District"
    CONCURRENT_ACCREDITATION = "concurrent_accreditation", "Concurrent accreditation"
    ASSUMED = "assumed", "Assumed (no source found)"


def jurisdiction_basis_of(note: str) -> JurisdictionBasis:
    """The basis the reference data's note states (used by the loader and the data migration)."""
    text = note.lower()
    if "concurrent accreditation" in text:
        return JurisdictionBasis.CONCURRENT_ACCREDITATION
    if "assumed" in text:
        return JurisdictionBasis.ASSUMED
    return JurisdictionBasis.DISTRICT


class Jurisdiction(models.Model):
    """One (country, admin-1) of a mission's district; an empty admin-1 is the whole country."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="jurisdictions")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="jurisdictions")
    admin1_code = models.CharField(max_length=20, blank=True)
    basis = models.CharField(max_length=30, choices=JurisdictionBasis.choices, default=JurisdictionBasis.DISTRICT)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["country__iso2", "admin1_code"]
        constraints = [
            models.UniqueConstraint(fields=["country", "admin1_code"], name="jurisdiction_one_mission_per_area"),
            models.CheckConstraint(
                condition=models.Q(basis__in=JurisdictionBasis.values), name="jurisdiction_basis_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country_id}/{self.admin1_code or '*'} → {self.mission_id}"


class MembershipRole(models.TextChoices):
    STAFF = "staff", "Staff"
    CONSUL = "consul", "Consul (case officer)"
    CHIEF = "chief", "Head of mission"


class Membership(models.Model):
    """A user working at a mission, with a role there."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=MembershipRole.choices, default=MembershipRole.STAFF)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "mission"], name="membership_unique_user_mission"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.mission_id} ({self.role})"


class ChannelKind(models.TextChoices):
    EMAIL = "email", "E-mail"
    WEBHOOK = "webhook", "Webhook"


class MissionChannel(models.Model):
    """An alert channel of a mission besides the in-app inbox, which every mission always has.

    E-mail channels carry an address; webhook channels an http(s) URL and the secret that
    signs each request (X-Signature, HMAC-SHA256 over timestamp and body).
    """

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(max_length=20, choices=ChannelKind.choices)
    name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    secret = models.CharField(max_length=200, blank=True, help_text="Webhook signing secret.")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["mission", "kind", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=ChannelKind.values), name="channel_kind_valid"),
            models.CheckConstraint(
                condition=~models.Q(kind="email") | ~models.Q(email=""), name="channel_email_has_address"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="webhook") | (~models.Q(url="") & ~models.Q(secret="")),
                name="channel_webhook_has_url_and_secret",
            ),
            models.UniqueConstraint(
                fields=["mission", "kind", "email", "url"], name="channel_unique_per_mission_target"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mission_id} {self.kind} {self.email or self.url}"


class DistrictArea(models.Model):
    """Part of a mission's district drawn as a polygon, where admin-1 is too coarse (California).

    Takes precedence over the `Jurisdiction` rows for points of `country` it covers. Points on a
    shared edge are covered by both areas; the higher `priority`, then the lower id, wins.
    Lookups go through `DistrictAreaPiece` (subdivided, GiST), rebuilt by `district_area_save`.
    """

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="district_areas")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="district_areas")
    admin1_code = models.CharField(
        max_length=20, blank=True, help_text="The admin-1 the area lies in, reported for points inside it."
    )
    name = models.CharField(max_length=200, unique=True)
    geom = models.MultiPolygonField(srid=4326)
    priority = models.SmallIntegerField(default=0)
    note = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["country__iso2", "name"]

    def __str__(self) -> str:
        return f"{self.name} → {self.mission_id}"


class DistrictAreaPiece(models.Model):
    """A piece of a district area cut by ST_Subdivide, for point lookups."""

    area = models.ForeignKey(DistrictArea, on_delete=models.CASCADE, related_name="pieces")
    geom = models.PolygonField(srid=4326, spatial_index=True)

    class Meta:
        indexes = [models.Index(fields=["area"])]
