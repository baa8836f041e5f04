"""Admin of missions, districts and memberships."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from missions.models import DistrictArea, Jurisdiction, Membership, Mission, MissionChannel
from missions.services import district_area_pieces_rebuild
from safety.web.admin_base import OfflineGISAdmin


class JurisdictionInline(admin.TabularInline):
    model = Jurisdiction
    extra = 0
    autocomplete_fields = ("country",)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


class MissionChannelInline(admin.TabularInline):
    model = MissionChannel
    extra = 0
    fields = ("kind", "name", "email", "url", "secret", "is_active")


@admin.register(Mission)
class MissionAdmin(OfflineGISAdmin):
    list_display = ("code", "kind", "name_en", "name_ko", "country", "city", "parent", "is_active")
    list_filter = ("kind", "is_active", "country__continent")
    search_fields = ("code", "name_en", "name_ko", "city")
    autocomplete_fields = ("country", "parent")
    inlines = [JurisdictionInline, MembershipInline, MissionChannelInline]


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ("country", "admin1_code", "mission", "note")
    list_filter = ("country",)
    search_fields = ("country__iso2", "mission__code", "admin1_code")
    autocomplete_fields = ("country", "mission")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "mission", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "mission__code")
    autocomplete_fields = ("user", "mission")


@admin.register(MissionChannel)
class MissionChannelAdmin(admin.ModelAdmin):
    list_display = ("mission", "kind", "name", "email", "url", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("mission__code", "email", "url")
    autocomplete_fields = ("mission",)


@admin.register(DistrictArea)
class DistrictAreaAdmin(OfflineGISAdmin):
    """District areas drawn on the offline map; saving rebuilds the subdivided lookup pieces."""

    list_display = ("name", "mission", "country", "admin1_code", "priority")
    list_filter = ("country",)
    search_fields = ("name", "mission__code")
    autocomplete_fields = ("country", "mission")
    readonly_fields = ("piece_count",)

    @admin.display(description="lookup pieces")
    def piece_count(self, obj: DistrictArea) -> int:
        return obj.pieces.count() if obj.pk else 0

    def save_model(self, request: HttpRequest, obj: DistrictArea, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        district_area_pieces_rebuild(area=obj)
