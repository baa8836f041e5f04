"""Throttles of the API (rates in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], counted in the Redis cache).

They fail open: while the cache (Redis) is unreachable a request is let through, with one logged
warning per outage (safety.cache_state), so intake and login never depend on the cache being up.
"""

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle as DrfScopedRateThrottle

from safety.cache_state import CACHE_ERRORS, cache_failed, cache_recovered

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ScopedRateThrottle(DrfScopedRateThrottle):
    """DRF's ScopedRateThrottle that lets requests through while the cache is down."""

    def allow_request(self, request: Request, view: Any) -> bool:
        try:
            allowed = super().allow_request(request, view)
        except CACHE_ERRORS as exc:
            cache_failed(exc, where=f"throttle {getattr(view, 'throttle_scope', '')}")
            return True
        cache_recovered()
        return allowed


class ScopedWriteRateThrottle(ScopedRateThrottle):
    """A ScopedRateThrottle that counts only writes: an intake limit must not slow down reading lists."""

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)
