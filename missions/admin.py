"""Admin of missions, districts and memberships."""

from django.contrib import admin

from missions.models import Jurisdiction, Membership, Mission, MissionChannel
from safety.admin_base import OfflineGISAdmin


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
