"""Settings for the test suite: real PostGIS and Redis, no network beyond loopback."""

from safety.settings.base import *  # noqa: F403
from safety.settings.base import env

SECRET_KEY = env("DJANGO_SECRET_KEY", "test-only-insecure-key")
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
