"""Incidents, the persons they affect, the people who called, and the append-only timeline."""

from django.conf import settings
from django.contrib.gis.db import models
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from missions.models import Mission, RoutingMethod
from safety.geo.models import Country
from safety.privacy.fields import EncryptedDateField, EncryptedTextField

REFERENCE_REGEX = r"^OSC-[0-9]{4}-[0-9]{6,}$"
SUMMARY_MAX = 200
DESCRIPTION_MAX = 10_000
LOCATION_TEXT_MAX = 300
PASSPORT_REGEX = r"^[A-Z0-9]{5,20}$"
E164_REGEX = r"^\+[1-9][0-9]{6,14}$"
# Encrypted columns cannot carry CHECK constraints; the model validates the plain values instead.
passport_format = RegexValidator(PASSPORT_REGEX, "5-20 capital letters and digits")
phone_e164 = RegexValidator(E164_REGEX, "a phone number in E.164 form (+821012345678)")


class Category(models.TextChoices):
    CRIME = "crime", _("Crime")
    ACCIDENT = "accident", _("Accident")
    TERRORISM = "terrorism", _("Terrorist attack")
    NATURAL_DISASTER = "natural_disaster", _("Natural disaster")
    DETENTION = "detention", _("Detention / arrest")
    MISSING_PERSON = "missing_person", _("Missing person")
    UNREST = "unrest", _("Civil unrest")
    HEALTH = "health", _("Health / medical")
    OTHER = "other", _("Other")


class Severity(models.IntegerChoices):
    LOW = 1, _("1 — low")
    MODERATE = 2, _("2 — moderate")
    HIGH = 3, _("3 — high")
    CRITICAL = 4, _("4 — critical")


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone (call center)")
    EMAIL = "email", _("E-mail")
    MISSION = "mission", _("Reported by a mission")
    WALK_IN = "walk_in", _("Walk-in")
    WEB = "web", _("Web / app")
    OTHER = "other", _("Other")


class GeocodeStatus(models.TextChoices):
    """Where a case's point came from; `geocode_source` names the provider when a geocoder found it."""

    GEOCODED = "geocoded", _("Geocoded")
    PENDING = "pending", _("Waiting to be geocoded again")
    NOT_FOUND = "not_found", _("Place not found")
    PIN = "pin", _("Pin given at intake")
    MANUAL = "manual", _("Pin corrected by hand")
    NONE = "none", _("No place given")
    DEMO = "demo", _("Demo data")


class Incident(models.Model):
    reference = models.CharField(max_length=20, unique=True, editable=False)
    category = models.CharField(max_length=30, choices=Category.choices)
    severity = models.PositiveSmallIntegerField(choices=Severity.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    occurred_at = models.DateTimeField()
    location_text = models.CharField(max_length=LOCATION_TEXT_MAX, blank=True)
    location = models.PointField(srid=4326, null=True, blank=True, spatial_index=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    admin1_code = models.CharField(max_length=20, blank=True)
    geocode_confidence = models.FloatField(null=True, blank=True)
    geocode_source = models.CharField(max_length=50, blank=True)
    geocode_status = models.CharField(max_length=20, choices=GeocodeStatus.choices, default=GeocodeStatus.NONE)
    responsible_mission = models.ForeignKey(
        Mission, on_delete=models.PROTECT, null=True, blank=True, related_name="incidents"
    )
    routing_reason = models.CharField(max_length=300, blank=True)
    routing_method = models.CharField(max_length=30, choices=RoutingMethod.choices, default=RoutingMethod.UNROUTABLE)
    needs_review = models.BooleanField(default=False)
    summary = models.CharField(max_length=SUMMARY_MAX)
    description = models.TextField(max_length=DESCRIPTION_MAX, blank=True)
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.PHONE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(
        null=True, blank=True, help_text="When the responsible mission first acknowledged the alert of this case."
    )
    personal_data_erased_at = models.DateTimeField(
        null=True, blank=True, help_text="When the retention task last erased this case's personal data."
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["responsible_mission", "status"]),
            models.Index(fields=["occurred_at"]),
            models.Index(fields=["category", "occurred_at"]),
            models.Index(
                fields=["geocode_status"], name="incident_geocode_pending", condition=models.Q(geocode_status="pending")
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(severity__gte=1, severity__lte=4), name="incident_severity_1_4"),
            models.CheckConstraint(
                condition=models.Q(reference__regex=REFERENCE_REGEX),
                name="incident_reference_format",
            ),
            models.CheckConstraint(condition=models.Q(category__in=Category.values), name="incident_category_valid"),
            models.CheckConstraint(condition=models.Q(status__in=Status.values), name="incident_status_valid"),
            models.CheckConstraint(
                condition=models.Q(geocode_status__in=GeocodeStatus.values), name="incident_geocode_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(routing_method__in=RoutingMethod.values), name="incident_routing_method_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(geocode_confidence__isnull=True)
                | models.Q(geocode_confidence__gte=0, geocode_confidence__lte=1),
                name="incident_confidence_0_1",
            ),
            models.CheckConstraint(
                condition=models.Q(closed_at__isnull=True) | models.Q(status=Status.CLOSED),
                name="incident_closed_at_only_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class PersonStatus(models.TextChoices):
    SAFE = "safe", _("Safe")
    INJURED = "injured", _("Injured")
    MISSING = "missing", _("Missing")
    DECEASED = "deceased", _("Deceased")
    DETAINED = "detained", _("Detained")
    UNKNOWN = "unknown", _("Unknown")


class AffectedPerson(models.Model):
    """A national affected by an incident. Holds personal data."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="persons")
    name = models.CharField(max_length=200)
    date_of_birth = EncryptedDateField(null=True, blank=True, help_text="Encrypted at rest.")
    nationality = models.CharField(max_length=2, default="KR")
    passport_number = EncryptedTextField(
        max_length=20, blank=True, validators=[passport_format], help_text="Encrypted at rest."
    )
    contact = EncryptedTextField(
        max_length=40, blank=True, validators=[phone_e164], help_text="Phone number, E.164; encrypted at rest."
    )
    status = models.CharField(max_length=20, choices=PersonStatus.choices, default=PersonStatus.UNKNOWN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=PersonStatus.values), name="person_status_valid"),
            models.CheckConstraint(
                condition=models.Q(nationality__regex=r"^[A-Z]{2}$"), name="person_nationality_iso2"
            ),
        ]

    def __str__(self) -> str:
        return f"person #{self.pk} of {self.incident_id}"


class Caller(models.Model):
    """Someone who reported the incident. Holds personal data."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="callers")
    name = models.CharField(max_length=200)
    phone = EncryptedTextField(max_length=40, validators=[phone_e164], help_text="E.164; encrypted at rest.")
    relation = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"caller #{self.pk} of {self.incident_id}"


class EventKind(models.TextChoices):
    CREATED = "created", _("Case logged")
    UPDATED = "updated", _("Details changed")
    STATUS_CHANGED = "status_changed", _("Status changed")
    LOCATED = "located", _("Location set")
    ROUTED = "routed", _("Routed to a mission")
    TRANSFERRED = "transferred", _("Transferred")
    NOTE = "note", _("Note")
    PERSON_ADDED = "person_added", _("Person added")
    PERSON_UPDATED = "person_updated", _("Person updated")
    CALLER_ADDED = "caller_added", _("Caller added")
    ALERT = "alert", _("Alert")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ESCALATED = "escalated", _("Escalated")
    PERSONAL_DATA_READ = "personal_data_read", _("Personal data read")
    PERSONAL_DATA_ERASED = "personal_data_erased", _("Personal data erased (retention)")


class TimelineEvent(models.Model):
    """One entry of a case's append-only history (a database trigger refuses UPDATE and DELETE)."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="timeline")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    message = models.CharField(max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["incident", "at"])]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


# Alert models live in their own module and belong to this app (label `incidents`).
from incidents.alerts.models import Alert, Delivery, DeliveryAttempt  # noqa: E402, F401

# Crisis-mode models live in their own module and belong to this app (label `incidents`).
from incidents.crises.models import (  # noqa: E402, F401
    CallbackTask,
    CrisisEvent,
    EventCase,
    EventLogEntry,
    EventPerson,
    Inquiry,
    MatchProposal,
    PersonNote,
    StatusChange,
)
