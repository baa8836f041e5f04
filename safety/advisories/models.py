"""A travel advisory: a level for a country or one of its admin-1 regions, valid for a period."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safety.geo.models import Country


class Level(models.TextChoices):
    """The ministry's four levels, plus the time-limited special advisory (between levels 2 and 3)."""

    CAUTION = "1", _("Level 1 — travel caution")
    REFRAIN = "2", _("Level 2 — refrain from travel")
    SPECIAL = "special", _("Special travel advisory")
    WITHDRAW = "3", _("Level 3 — withdraw / avoid travel")
    BAN = "4", _("Level 4 — travel ban")


# Severity order used to pick "the" advisory of an area when several are in force.
LEVEL_RANK = {Level.CAUTION: 1, Level.REFRAIN: 2, Level.SPECIAL: 3, Level.WITHDRAW: 4, Level.BAN: 5}
LEVEL_COLORS = {
    Level.CAUTION: "#2b6cb0",
    Level.REFRAIN: "#d69e2e",
    Level.SPECIAL: "#9f3ec8",
    Level.WITHDRAW: "#dd6b20",
    Level.BAN: "#c53030",
}
NOTE_MAX = 500


class Advisory(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    admin1_code = models.CharField(
        max_length=20, blank=True, help_text="GeoNames admin-1 code; empty for the whole country."
    )
    level = models.CharField(max_length=10, choices=Level.choices)
    valid_from = models.DateTimeField()
    valid_to = models.DateTimeField(null=True, blank=True, help_text="Empty: until further notice.")
    note = models.CharField(max_length=NOTE_MAX, blank=True, help_text="Public text shown with the advisory.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country__iso2", "admin1_code", "-valid_from"]
        verbose_name_plural = "advisories"
        indexes = [models.Index(fields=["country", "admin1_code", "valid_from"])]
        constraints = [
            models.CheckConstraint(condition=Q(level__in=Level.values), name="advisory_level_valid"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="advisory_valid_to_after_from",
            ),
            models.CheckConstraint(
                condition=~Q(level=Level.SPECIAL) | Q(valid_to__isnull=False),
                name="advisory_special_is_time_limited",
            ),
        ]

    def __str__(self) -> str:
        area = f"{self.country_id}/{self.admin1_code}" if self.admin1_code else str(self.country_id)
        return f"{area} {self.get_level_display()}"

    @property
    def rank(self) -> int:
        return LEVEL_RANK[Level(self.level)]
