"""Production settings: secrets come from the environment, with no defaults."""

import os

from safety.settings.base import *  # noqa: F403
from safety.settings.base import env, env_bool

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
# Personal-data keys: required, no default (safety.checks refuses keys that are not Fernet keys).
OSC_DATA_KEYS = [key.strip() for key in os.environ["OSC_DATA_KEYS"].split(",") if key.strip()]
DEBUG = False
ALLOWED_HOSTS = os.environ["DJANGO_ALLOWED_HOSTS"].split(",")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# The proxy's or load balancer's health probe may come over plain HTTP on the inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", "31536000") or 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
