"""Admin of the audit log (read-only, per case and per user) and of API tokens (revocable); lockout on login."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from safety.auth.forms import LockoutAdminAuthenticationForm
from safety.auth.tokens import token_revoke
from safety.models import ApiToken, AuditEntry
from safety.web.admin_base import AppendOnlyAdmin

admin.site.login_form = LockoutAdminAuthenticationForm


@admin.register(AuditEntry)
class AuditEntryAdmin(AppendOnlyAdmin):
    """The audit log. /admin/safety/auditentry/case/<reference>/ and …/user/<username>/ filter it."""

    list_display = ("at", "actor_link", "action", "object_type", "object_ref", "case_link", "remote_addr")
    list_filter = ("action", "object_type")
    search_fields = ("object_ref", "case_ref", "actor__username")
    date_hierarchy = "at"
    list_select_related = ("actor",)

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        if lookup in ("case_ref", "actor__username"):
            return True
        # Django's own signature has an optional request; the stubs require one.
        return super().lookup_allowed(lookup, value, request)  # type: ignore[arg-type]

    def get_urls(self) -> list[URLPattern]:
        own = [
            path("case/<str:reference>/", self.admin_site.admin_view(self.case_view), name="safety_auditentry_case"),
            path("user/<str:username>/", self.admin_site.admin_view(self.user_view), name="safety_auditentry_user"),
        ]
        return own + super().get_urls()

    def _filtered(self, **query: str) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:safety_auditentry_changelist") + "?" + urlencode(query))

    def case_view(self, request: HttpRequest, reference: str) -> HttpResponseRedirect:
        return self._filtered(case_ref=reference)

    def user_view(self, request: HttpRequest, username: str) -> HttpResponseRedirect:
        return self._filtered(actor__username=username)

    @admin.display(description="actor", ordering="actor__username")
    def actor_link(self, entry: AuditEntry) -> str:
        if entry.actor is None:
            return "—"
        url = reverse("admin:safety_auditentry_user", args=[entry.actor.get_username()])
        return format_html('<a href="{}">{}</a>', url, entry.actor.get_username())

    @admin.display(description="case", ordering="case_ref")
    def case_link(self, entry: AuditEntry) -> str:
        if not entry.case_ref:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:safety_auditentry_case", args=[entry.case_ref]), entry.case_ref
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued through the API (the key is shown once); here they are listed and revoked."""

    list_display = ("key_prefix", "user", "name", "scope", "created_at", "expires_at", "revoked_at", "last_used_at")
    list_filter = ("scope",)
    search_fields = ("user__username", "name", "key_prefix")
    readonly_fields = [f.name for f in ApiToken._meta.fields if f.name != "id"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            token_revoke(token=token, actor=request.user, request=request)
        self.message_user(request, f"{queryset.count()} token(s) revoked.", messages.SUCCESS)
