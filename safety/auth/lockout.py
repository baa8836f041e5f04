"""Login lockout: failed logins counted in the cache (Redis) per (username, address), per username, per address.

- (username, address): after OSC_LOGIN_MAX_FAILURES failures within OSC_LOGIN_LOCKOUT_S the pair
  waits OSC_LOGIN_DELAY_S, doubling with each further failure, at most OSC_LOGIN_DELAY_MAX_S.
  Someone guessing from other addresses does not make the real user wait at their own address.
- username, all addresses: past OSC_LOGIN_USER_CEILING failures within the window, each address
  may try that username once per OSC_LOGIN_USER_SLOW_S: it slows a spread-out attack, never locks
  the real user out (they get in after that short wait).
- address: OSC_LOGIN_MAX_FAILURES_PER_ADDR failures from one address lock the address for the window.

Unknown usernames are counted the same, so a wait says nothing about whether an account exists.
While the cache is unreachable nothing is counted and every login is let through to the password
check (safety.cache_state: one warning per outage).
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

from safety.cache_state import CACHE_ERRORS, cache_failed, cache_recovered


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]


def _user_key(username: str) -> str:
    return f"login:user:{_digest(username.strip().lower())}"


def _addr_key(addr: str) -> str:
    return f"login:addr:{_digest(addr)}"


def _pair_key(username: str, addr: str) -> str:
    # The username's epoch is part of the key: login_unlock() moves it on, which forgets every pair at once.
    epoch = cache.get(f"{_user_key(username)}:epoch", 0)
    return f"login:pair:{epoch}:{_digest(username.strip().lower() + chr(0) + addr)}"


def _count(key: str) -> int:
    cache.add(key, 0, timeout=settings.OSC_LOGIN_LOCKOUT_S)
    return int(cache.incr(key))


def _remaining(key: str, now: float) -> int:
    until = cache.get(key)
    return max(0, int(until - now + 0.999)) if until else 0


def login_wait_s(*, username: str | None, addr: str | None) -> int:
    """Seconds this username from this address must wait before its password is checked (0: go ahead).

    Past the per-username ceiling this also takes the address's one try for the next
    OSC_LOGIN_USER_SLOW_S, so call it once per login attempt.
    """
    try:
        wait = _login_wait_s(username=username, addr=addr)
    except CACHE_ERRORS as exc:
        cache_failed(exc, where="login lockout")
        return 0
    cache_recovered()
    return wait


def _login_wait_s(*, username: str | None, addr: str | None) -> int:
    now = time.time()
    wait = 0
    if addr:
        wait = max(wait, _remaining(f"{_addr_key(addr)}:until", now))
    if username and addr:
        pair = _pair_key(username, addr)
        wait = max(wait, _remaining(f"{pair}:until", now))
        if wait == 0 and (cache.get(f"{_user_key(username)}:failures") or 0) >= settings.OSC_LOGIN_USER_CEILING:
            slow_s = settings.OSC_LOGIN_USER_SLOW_S
            if not cache.add(f"{pair}:slow", now + slow_s, timeout=slow_s):
                wait = max(wait, _remaining(f"{pair}:slow", now), 1)
    return wait


def login_failure_register(*, username: str | None, addr: str | None) -> int:
    """Count one failed login; the seconds the next attempt of this username from this address waits."""
    try:
        wait = _login_failure_register(username=username, addr=addr)
    except CACHE_ERRORS as exc:
        cache_failed(exc, where="login lockout")
        return 0
    cache_recovered()
    return wait


def _login_failure_register(*, username: str | None, addr: str | None) -> int:
    now = time.time()
    wait = 0
    if username:
        _count(f"{_user_key(username)}:failures")
    if username and addr:
        pair = _pair_key(username, addr)
        failures = _count(f"{pair}:failures")
        if failures >= settings.OSC_LOGIN_MAX_FAILURES:
            doublings = min(failures - settings.OSC_LOGIN_MAX_FAILURES, 20)
            wait = min(settings.OSC_LOGIN_DELAY_S * 2**doublings, settings.OSC_LOGIN_DELAY_MAX_S)
            cache.set(f"{pair}:until", now + wait, timeout=max(1, wait))
    if addr:
        key = _addr_key(addr)
        if _count(f"{key}:failures") >= settings.OSC_LOGIN_MAX_FAILURES_PER_ADDR:
            window_s = settings.OSC_LOGIN_LOCKOUT_S
            if cache.add(f"{key}:until", now + window_s, timeout=window_s):
                cache.delete(f"{key}:failures")
            wait = max(wait, window_s)
    return wait


def login_success_register(*, username: str | None, addr: str | None) -> None:
    """A successful login clears the failures of this username from this address (not the others')."""
    if not (username and addr):
        return
    try:
        pair = _pair_key(username, addr)
        cache.delete_many([f"{pair}:failures", f"{pair}:until"])
    except CACHE_ERRORS as exc:
        cache_failed(exc, where="login lockout")


def login_is_locked(*, username: str) -> bool:
    """Whether the username has failed often enough (from any address) for waits to be pending."""
    failures = cache.get(f"{_user_key(username)}:failures") or 0
    return bool(failures >= settings.OSC_LOGIN_MAX_FAILURES)


def login_unlock(*, username: str) -> None:
    """Forget a username's failures from every address (for an administrator helping a user)."""
    key = _user_key(username)
    cache.add(f"{key}:epoch", 0, timeout=None)
    cache.incr(f"{key}:epoch")
    cache.delete(f"{key}:failures")
