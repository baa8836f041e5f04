"""Admin of countries and the gazetteer."""

from django.contrib import admin

from safety.geo.models import Country, Place, ReferenceDataset
from safety.web.admin_base import OfflineGISAdmin


@admin.register(Country)
class CountryAdmin(OfflineGISAdmin):
    list_display = ("iso2", "iso3", "name_en", "name_ko", "continent")
    search_fields = ("iso2", "iso3", "name_en", "name_ko")
    list_filter = ("continent",)


@admin.register(Place)
class PlaceAdmin(OfflineGISAdmin):
    list_display = ("name", "country_code", "admin1_code", "population", "timezone")
    search_fields = ("name", "ascii_name", "=geonameid")
    list_filter = ("country_code",)
    show_full_result_count = False


@admin.register(ReferenceDataset)
class ReferenceDatasetAdmin(admin.ModelAdmin):
    list_display = ("name", "version", "rows", "loaded_at", "source")
    readonly_fields = ("name", "version", "rows", "loaded_at", "source", "checksum")
