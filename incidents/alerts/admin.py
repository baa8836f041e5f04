"""Admin of alerts: read-only, to see deliveries, failed channels and every attempt."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from incidents.alerts.models import Alert, Delivery, DeliveryAttempt
from safety.web.admin_base import AppendOnlyAdmin


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DeliveryInline(ReadOnlyInline):
    model = Delivery
    fields = ("key", "target", "status", "attempts", "next_attempt_at", "delivered_at", "failed_at", "last_error")
    readonly_fields = fields


class AttemptInline(ReadOnlyInline):
    model = DeliveryAttempt
    fields = ("number", "at", "outcome", "http_status", "error", "duration_ms")
    readonly_fields = fields


@admin.register(Alert)
class AlertAdmin(AppendOnlyAdmin):
    list_display = ("public_id", "incident", "mission", "level", "created_at", "ack_due_at", "acknowledged_at")
    list_filter = ("level", "acknowledged_via")
    search_fields = ("incident__reference", "mission__code", "public_id")
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(AppendOnlyAdmin):
    list_display = ("alert", "key", "target", "status", "attempts", "delivered_at", "failed_at", "last_error")
    list_filter = ("status", "kind")
    search_fields = ("alert__incident__reference", "target")
    inlines = [AttemptInline]
