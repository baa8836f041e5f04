"""App config of the travel advisories (a kernel app: it knows nothing of missions, incidents or maps)."""

from django.apps import AppConfig


class AdvisoriesConfig(AppConfig):
    name = "safety.advisories"
    label = "advisories"
    verbose_name = "Travel advisories"
    default_auto_field = "django.db.models.BigAutoField"
