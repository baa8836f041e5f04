"""Crisis mode: an event (earthquake, attack, unrest) with the nationals it may affect, what is known of
them, who asked about them, and who must be called back. Models of the `incidents` app."""

import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from missions.models import Mission
from safety.privacy.fields import EncryptedDateField, EncryptedTextField


class EventKindChoice(models.TextChoices):
    EARTHQUAKE = "earthquake", _("Earthquake")
    FLOOD = "flood", _("Flood / storm")
    ATTACK = "attack", _("Terrorist attack")
    UNREST = "unrest", _("Civil unrest")
    ACCIDENT = "accident", _("Mass accident")
    OTHER = "other", _("Other")


class EventStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class CrisisEvent(models.Model):
    """A declared crisis. The area is a polygon; a circle is kept as a buffered polygon plus its centre."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name_ko = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=EventKindChoice.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=EventStatus.choices, default=EventStatus.ACTIVE)
    area = models.MultiPolygonField(srid=4326)
    centre = models.PointField(srid=4326, null=True, blank=True)
    radius_km = models.FloatField(null=True, blank=True)
    missions = models.ManyToManyField(Mission, related_name="crisis_events", blank=True)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=EventStatus.values), name="crisis_status_valid"),
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True) | models.Q(ends_at__gte=models.F("starts_at")),
                name="crisis_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(radius_km__isnull=True) | models.Q(radius_km__gt=0),
                name="crisis_radius_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_en} ({self.public_id})"


class EventLogEntry(models.Model):
    """The crisis event's own append-only log."""

    event = models.ForeignKey(CrisisEvent, on_delete=models.PROTECT, related_name="log")
    kind = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.event_id} {self.kind}"


class LinkState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    UNLINKED = "unlinked", _("Unlinked")


class EventCase(models.Model):
    event = models.ForeignKey(CrisisEvent, on_delete=models.CASCADE, related_name="case_links")
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="crisis_links")
    state = models.CharField(max_length=10, choices=LinkState.choices, default=LinkState.CONFIRMED)
    reason = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "incident"], name="crisis_case_unique")]

    def __str__(self) -> str:
        return f"{self.event_id}~{self.incident_id} {self.state}"


class ClaimedStatus(models.TextChoices):
    SAFE = "safe", _("Safe")
    INJURED = "injured", _("Injured")
    MISSING = "missing", _("Missing")
    DECEASED = "deceased", _("Deceased")
    DETAINED = "detained", _("Detained")
    UNCONFIRMED = "unconfirmed", _("Unconfirmed")


class NoteSource(models.TextChoices):
    SELF = "self", _("The person themself")
    MISSION = "mission", _("Mission")
    HQ = "hq", _("Headquarters")
    AUTHORITY = "authority", _("Local authority")
    HOSPITAL = "hospital", _("Hospital")
    FAMILY = "family", _("Family")
    FELLOW_TRAVELLER = "fellow_traveller", _("Fellow traveller")
    MEDIA = "media", _("Media")


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    UNKNOWN = "", _("Unknown")


class EventPerson(models.Model):
    """A national who may be affected. Holds personal data; merged records are linked, never deleted."""

    event = models.ForeignKey(CrisisEvent, on_delete=models.CASCADE, related_name="persons")
    name_hangul = models.CharField(max_length=100, blank=True)
    name_latin = models.CharField(max_length=200, blank=True)
    dob = EncryptedDateField(null=True, blank=True, help_text="Encrypted at rest.")
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    passport = EncryptedTextField(max_length=20, blank=True, help_text="Encrypted at rest.")
    contact = EncryptedTextField(max_length=40, blank=True, help_text="E.164; encrypted at rest.")
    last_known_location = models.CharField(max_length=300, blank=True)
    hospital = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=12, choices=ClaimedStatus.choices, default=ClaimedStatus.UNCONFIRMED)
    status_note = models.ForeignKey(
        "incidents.PersonNote", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from")
    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.SET_NULL, null=True, blank=True, related_name="crisis_persons"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ClaimedStatus.values), name="crisis_person_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("id")), name="crisis_person_not_merged_into_self"
            ),
        ]

    @property
    def display_name(self) -> str:
        return self.name_hangul or self.name_latin

    def __str__(self) -> str:
        return f"crisis person #{self.pk} of event {self.event_id}"


class PersonNote(models.Model):
    person = models.ForeignKey(EventPerson, on_delete=models.PROTECT, related_name="notes")
    source = models.CharField(max_length=20, choices=NoteSource.choices)
    reported_at = models.DateTimeField()
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    claimed_status = models.CharField(max_length=12, choices=ClaimedStatus.choices)
    text = models.TextField(blank=True, max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reported_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(source__in=NoteSource.values), name="crisis_note_source_valid"),
            models.CheckConstraint(
                condition=models.Q(claimed_status__in=ClaimedStatus.values), name="crisis_note_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"note #{self.pk} on {self.person_id}: {self.claimed_status}"


class StatusChange(models.Model):
    """Every change of a person's derived status, with the note behind it."""

    person = models.ForeignKey(EventPerson, on_delete=models.PROTECT, related_name="status_changes")
    old_status = models.CharField(max_length=12, choices=ClaimedStatus.choices)
    new_status = models.CharField(max_length=12, choices=ClaimedStatus.choices)
    note = models.ForeignKey(PersonNote, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.old_status} -> {self.new_status}"


class InquiryStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Inquiry(models.Model):
    """Someone asking about a national. Holds personal data."""

    event = models.ForeignKey(CrisisEvent, on_delete=models.CASCADE, related_name="inquiries")
    caller_name = models.CharField(max_length=200)
    relation = models.CharField(max_length=100, blank=True)
    callback_number = EncryptedTextField(max_length=40, help_text="E.164; encrypted at rest.")
    language = models.CharField(max_length=10, default="ko")
    sought_name = models.CharField(max_length=200)
    sought_age = models.PositiveSmallIntegerField(null=True, blank=True)
    sought_dob = EncryptedDateField(null=True, blank=True)
    sought_passport = EncryptedTextField(max_length=20, blank=True)
    staying_at = models.CharField(max_length=300, blank=True)
    travelling_with = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=InquiryStatus.choices, default=InquiryStatus.OPEN)
    person = models.ForeignKey(EventPerson, on_delete=models.PROTECT, null=True, blank=True, related_name="inquiries")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=InquiryStatus.values), name="crisis_inquiry_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"inquiry #{self.pk} of event {self.event_id}"


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class MatchProposal(models.Model):
    """The matcher thinks an inquiry (or a person) may be about a candidate person; a human decides."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, null=True, blank=True, related_name="proposals")
    person = models.ForeignKey(
        EventPerson, on_delete=models.CASCADE, null=True, blank=True, related_name="proposals_as_subject"
    )
    candidate = models.ForeignKey(EventPerson, on_delete=models.CASCADE, related_name="proposals_as_candidate")
    score = models.FloatField()
    verdict = models.CharField(max_length=10)
    reasons = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=10, choices=ProposalState.choices, default=ProposalState.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(inquiry__isnull=False) & models.Q(person__isnull=True))
                | (models.Q(inquiry__isnull=True) & models.Q(person__isnull=False)),
                name="crisis_proposal_one_subject",
            ),
            models.UniqueConstraint(fields=["inquiry", "candidate"], name="crisis_proposal_inquiry_pair"),
            models.UniqueConstraint(fields=["person", "candidate"], name="crisis_proposal_person_pair"),
        ]

    def __str__(self) -> str:
        return f"proposal #{self.pk} {self.state}"


class CallbackTask(models.Model):
    """Call an inquirer back: the person they asked about changed status."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.PROTECT, related_name="callbacks")
    status_change = models.ForeignKey(StatusChange, on_delete=models.PROTECT, related_name="callbacks")
    due_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True, max_length=2000)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done_at__isnull=True) | ~models.Q(outcome=""),
                name="crisis_callback_done_needs_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"callback #{self.pk} for inquiry {self.inquiry_id}"
