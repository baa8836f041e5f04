"""Login lockout: failed logins counted in the cache (Redis) per username and per client address.

OSC_LOGIN_MAX_FAILURES failures for one username within OSC_LOGIN_LOCKOUT_S lock that username
for OSC_LOGIN_LOCKOUT_S (even with the right password); OSC_LOGIN_MAX_FAILURES_PER_ADDR failures
from one address lock the address. Unknown usernames are counted the same, so a lock says
nothing about whether an account exists.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]


def _keys(*, username: str | None, addr: str | None) -> list[tuple[str, int]]:
    keys = []
    if username:
        keys.append((f"login:user:{_digest(username.strip().lower())}", settings.OSC_LOGIN_MAX_FAILURES))
    if addr:
        keys.append((f"login:addr:{_digest(addr)}", settings.OSC_LOGIN_MAX_FAILURES_PER_ADDR))
    return keys


def login_is_locked(*, username: str | None, addr: str | None) -> bool:
    return any(cache.get(f"{key}:locked") for key, _ in _keys(username=username, addr=addr))


def login_failure_register(*, username: str | None, addr: str | None) -> bool:
    """Count one failed login; True when this failure started a lock."""
    window_s = settings.OSC_LOGIN_LOCKOUT_S
    locked_now = False
    for key, limit in _keys(username=username, addr=addr):
        cache.add(f"{key}:failures", 0, timeout=window_s)
        failures = cache.incr(f"{key}:failures")
        if failures >= limit and cache.add(f"{key}:locked", 1, timeout=window_s):
            cache.delete(f"{key}:failures")
            locked_now = True
    return locked_now


def login_success_register(*, username: str | None) -> None:
    """A successful login clears the username's failure count (not the address's)."""
    for key, _ in _keys(username=username, addr=None):
        cache.delete(f"{key}:failures")


def login_unlock(*, username: str) -> None:
    """Lift a username's lock (for an administrator helping a user)."""
    for key, _ in _keys(username=username, addr=None):
        cache.delete_many([f"{key}:failures", f"{key}:locked"])
