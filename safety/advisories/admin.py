"""Admin of travel advisories."""

from django.contrib import admin

from safety.advisories.models import Advisory


@admin.register(Advisory)
class AdvisoryAdmin(admin.ModelAdmin):
    list_display = ("country", "admin1_code", "level", "valid_from", "valid_to", "note")
    list_filter = ("level",)
    search_fields = ("country__iso2", "country__name_en", "country__name_ko", "admin1_code", "note")
    autocomplete_fields = ("country",)
    readonly_fields = ("public_id", "created_at", "updated_at")
