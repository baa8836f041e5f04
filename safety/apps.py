"""The kernel app: registers the security system checks."""

from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "safety"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from safety import checks  # noqa: F401 - registers the checks
        from safety.web.middleware import stamp_session_login

        user_logged_in.connect(stamp_session_login, dispatch_uid="osc-session-login-stamp")
