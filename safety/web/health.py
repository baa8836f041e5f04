"""Health endpoint: checks the database and the celery broker; reports the cache (Redis) state."""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from kombu import Connection

from safety.cache_state import CACHE_ERRORS


def _check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT postgis_lib_version()")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - health reports any failure instead of raising
        return f"{type(exc).__name__}: {exc}"
    return None


def _check_broker() -> str | None:
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001 - health reports any failure instead of raising
        return f"{type(exc).__name__}: {exc}"
    return None


def _check_cache() -> str | None:
    try:
        cache.get("healthz:probe")
    except CACHE_ERRORS as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def healthz(request: HttpRequest) -> JsonResponse:
    """200 with {"status": "ok"} when the database and broker answer, else 503 naming what failed.

    The cache is reported (`checks.cache`, and status "degraded") but does not make the answer a 503:
    while it is down, throttles and the login lockout fail open and intake goes on.
    """
    started = time.monotonic()
    checks = {"database": _check_database(), "broker": _check_broker()}
    ok = all(error is None for error in checks.values())
    cache_error = _check_cache()
    body = {
        "status": ("ok" if cache_error is None else "degraded") if ok else "unavailable",
        "checks": {
            **{name: ("ok" if error is None else error) for name, error in checks.items()},
            "cache": "ok" if cache_error is None else cache_error,
        },
        "duration_ms": round((time.monotonic() - started) * 1000, 1),
    }
    return JsonResponse(body, status=200 if ok else 503)
