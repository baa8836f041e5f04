"""Settings for the test suite: real PostGIS and Redis, no network beyond loopback."""

import secrets

from safety.settings.base import *  # noqa: F403
from safety.settings.base import CACHES, env

SECRET_KEY = env("DJANGO_SECRET_KEY", "test-only-insecure-key")
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Fixed test keys: the first encrypts, the second is an "old" key that still decrypts (rotation tests).
OSC_DATA_KEYS = ["dGVzdC1rZXktb25lLWZvci1waWktYXQtcmVzdC0wMDE=", "dGVzdC1rZXktdHdvLWZvci1waWktYXQtcmVzdC0wMDI="]
# One key prefix per test session: parallel runs of other worktrees share the Redis db without clashing.
CACHES["default"]["KEY_PREFIX"] = f"osc-test-{secrets.token_hex(6)}"
