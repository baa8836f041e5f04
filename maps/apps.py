"""App config of the plenary dashboards."""

from django.apps import AppConfig


class MapsConfig(AppConfig):
    name = "maps"
    default_auto_field = "django.db.models.BigAutoField"
