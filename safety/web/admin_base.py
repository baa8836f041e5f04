"""Admin base classes shared by the apps: offline map widgets, read-only append-only tables."""

from typing import Any

from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin
from django.http import HttpRequest

from safety.web.widgets import OfflineMapWidget


class OfflineGISAdmin(GISModelAdmin):
    # django-stubs declare type[OSMWidget]; GeoDjango instantiates any geometry widget class here.
    gis_widget = OfflineMapWidget  # type: ignore[assignment]


class AppendOnlyAdmin(admin.ModelAdmin):
    """Rows may be read, never changed or deleted."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
