"""Settings for running the product on a developer's or demo machine."""

from safety.settings.base import *  # noqa: F403
from safety.settings.base import OSC_DATA_KEYS, env

DEBUG = env("DJANGO_DEBUG", "1") == "1"
SECRET_KEY = env("DJANGO_SECRET_KEY", "local-only-insecure-key-not-for-production")
# A fixed development key so local demo data stays readable across restarts; never used in production.
OSC_DATA_KEYS = OSC_DATA_KEYS or ["bG9jYWwtZGV2ZWxvcG1lbnQta2V5LW5vdC1zZWNyZXQ="]
