"""Admin of the audit log (read-only)."""

from django.contrib import admin

from safety.admin_base import AppendOnlyAdmin
from safety.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(AppendOnlyAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_ref", "remote_addr")
    list_filter = ("action", "object_type")
    search_fields = ("object_ref", "actor__username")
    date_hierarchy = "at"
