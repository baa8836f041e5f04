"""Admin of cases; the timeline is shown read-only."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from incidents.models import AffectedPerson, Caller, Incident, TimelineEvent
from safety.web.admin_base import AppendOnlyAdmin, OfflineGISAdmin


class AffectedPersonInline(admin.TabularInline):
    # Encrypted personal data is not shown here: it is read through the audited reveal action only.
    model = AffectedPerson
    extra = 0
    exclude = ("date_of_birth", "passport_number", "contact")


class CallerInline(admin.TabularInline):
    model = Caller
    extra = 0
    exclude = ("phone",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a caller needs a phone, which this inline does not show


class TimelineInline(admin.TabularInline):
    model = TimelineEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "kind", "actor", "message", "data")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Incident)
class IncidentAdmin(OfflineGISAdmin):
    list_display = (
        "reference",
        "category",
        "severity",
        "status",
        "country",
        "responsible_mission",
        "occurred_at",
    )
    list_filter = ("status", "category", "severity", "needs_review")
    search_fields = ("reference", "location_text", "summary")
    readonly_fields = ("reference", "created_by", "created_at", "updated_at", "routing_reason")
    autocomplete_fields = ("country", "responsible_mission")
    date_hierarchy = "occurred_at"
    inlines = [AffectedPersonInline, CallerInline, TimelineInline]


@admin.register(TimelineEvent)
class TimelineEventAdmin(AppendOnlyAdmin):
    list_display = ("at", "incident", "kind", "actor", "message")
    list_filter = ("kind",)
    search_fields = ("incident__reference",)


import incidents.alerts.admin  # noqa: E402, F401 - registers the alert admin (Django discovers only this module)
