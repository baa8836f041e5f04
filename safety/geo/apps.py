"""App config of the geography kernel."""

from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "safety.geo"
    label = "geo"
    verbose_name = "Geography"
    default_auto_field = "django.db.models.BigAutoField"
