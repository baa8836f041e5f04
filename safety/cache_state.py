"""What the project does while the cache (Redis) is unreachable: fail open, warn once per outage.

The throttles and the login lockout count in the cache. A cache outage must not stop intake or
login, so their callers catch CACHE_ERRORS, call cache_failed() (one warning per outage, not per
request) and go on as if nothing was counted; cache_recovered() logs the end of the outage.
"""

import logging
import threading

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("safety.cache")

CACHE_ERRORS: tuple[type[Exception], ...] = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)

_lock = threading.Lock()
_down = False


def cache_failed(exc: BaseException, *, where: str) -> None:
    global _down
    with _lock:
        first = not _down
        _down = True
    if first:
        logger.warning(
            "cache unreachable (%s: %s) in %s: throttles and lockout fail open", type(exc).__name__, exc, where
        )


def cache_recovered() -> None:
    global _down
    if not _down:
        return
    with _lock:
        was_down, _down = _down, False
    if was_down:
        logger.warning("cache reachable again: throttles and lockout count again")


def cache_is_down() -> bool:
    return _down
