"""Login lockout by (username, address) with growing waits, and a per-username ceiling that only slows."""

import time

import pytest

from safety.auth.roles import Role

GOOD_PASSWORD = "correct-horse-battery"


def obtain(api, username, password, addr):  # type: ignore[no-untyped-def]
    return api(None).post(
        "/api/auth/token/", {"username": username, "password": password}, format="json", REMOTE_ADDR=addr
    )


@pytest.fixture
def quick_lockout(settings, monkeypatch):  # type: ignore[no-untyped-def]
    settings.OSC_LOGIN_DELAY_S = 1
    settings.OSC_LOGIN_DELAY_MAX_S = 4
    settings.OSC_LOGIN_USER_CEILING = 10
    settings.OSC_LOGIN_USER_SLOW_S = 1
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "login", "1000/min")
    return settings


@pytest.mark.django_db
def test_lockout_attacker_elsewhere_does_not_lock_the_real_user_out(api, make_user, quick_lockout):
    make_user(Role.OPERATOR, username="victim")
    # An attacker hammers the name from 30 addresses, far past the per-user ceiling.
    for _round in range(3):
        for n in range(30):
            obtain(api, "victim", "wrong", f"198.51.100.{n + 1}")
    # The real user from their own address gets in, at most after the short per-user wait.
    first = obtain(api, "victim", GOOD_PASSWORD, "203.0.113.9")
    if first.status_code == 429:
        assert first.json()["code"] == "login_locked"
        time.sleep(quick_lockout.OSC_LOGIN_USER_SLOW_S + 0.1)
        first = obtain(api, "victim", GOOD_PASSWORD, "203.0.113.9")
    assert first.status_code == 200 and first.json()["token"]


@pytest.mark.django_db
def test_lockout_pair_waits_grow_and_end(api, make_user, quick_lockout):
    make_user(Role.OPERATOR, username="kim")
    addr = "198.51.100.200"
    for _ in range(quick_lockout.OSC_LOGIN_MAX_FAILURES - 1):
        assert obtain(api, "kim", "wrong", addr).json()["code"] == "invalid_credentials"
    assert obtain(api, "kim", "wrong", addr).json()["code"] == "login_locked"  # wait 1 s starts
    assert obtain(api, "kim", GOOD_PASSWORD, addr).status_code == 429  # even the right password, meanwhile
    assert obtain(api, "kim", GOOD_PASSWORD, "198.51.100.201").status_code == 200  # other address: fine
    time.sleep(1.1)
    assert obtain(api, "kim", "wrong", addr).json()["code"] == "login_locked"  # 6th failure: 2 s
    time.sleep(1.1)
    assert obtain(api, "kim", GOOD_PASSWORD, addr).status_code == 429  # still within the doubled wait
    time.sleep(1.0)
    assert obtain(api, "kim", GOOD_PASSWORD, addr).status_code == 200


@pytest.mark.django_db
def test_lockout_message_is_the_same_for_unknown_users(api, make_user, quick_lockout):
    make_user(Role.OPERATOR, username="known")
    answers = []
    for name in ("known", "nobody-here"):
        for _ in range(quick_lockout.OSC_LOGIN_MAX_FAILURES):
            last = obtain(api, name, "wrong", "198.51.100.50")
        answers.append((last.status_code, last.json()["code"], last.json()["message"]))
    assert answers[0] == answers[1] and answers[0][1] == "login_locked"
