"""Settings for running the product on a developer's or demo machine."""

from safety.settings.base import *  # noqa: F403
from safety.settings.base import env

DEBUG = env("DJANGO_DEBUG", "1") == "1"
SECRET_KEY = env("DJANGO_SECRET_KEY", "local-only-insecure-key-not-for-production")
