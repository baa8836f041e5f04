"""Throttles of the API (rates in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], counted in the Redis cache)."""

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ScopedWriteRateThrottle(ScopedRateThrottle):
    """A ScopedRateThrottle that counts only writes: an intake limit must not slow down reading lists."""

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)
