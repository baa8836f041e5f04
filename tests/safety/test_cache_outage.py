"""A cache (Redis) outage: throttles and the login lockout fail open, intake and login go on; /healthz says so."""

import logging

import pytest

from safety.auth.roles import Role
from tests.reliability.conftest import RedisServer

GOOD_PASSWORD = "correct-horse-battery"
CASE = {
    "category": "crime",
    "severity": 2,
    "occurred_at": "2026-11-20T14:30:00+07:00",
    "summary": "Bag snatched",
    "country": "TH",
}


@pytest.fixture
def own_cache(settings):  # type: ignore[no-untyped-def]
    server = RedisServer()
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": "osc-outage",
        }
    }
    yield server
    server.stop()


@pytest.mark.django_db
def test_cache_outage_intake_and_login_go_on(api, make_user, client, own_cache, caplog):
    operator = make_user(Role.OPERATOR, username="kim")
    assert api(operator).post("/api/incidents/", CASE, format="json").status_code == 201
    assert client.get("/healthz").json()["checks"]["cache"] == "ok"

    own_cache.stop()
    with caplog.at_level(logging.WARNING, logger="safety.cache"):
        statuses = [api(operator).post("/api/incidents/", CASE, format="json").status_code for _ in range(5)]
        login = api(None).post("/api/auth/token/", {"username": "kim", "password": GOOD_PASSWORD}, format="json")
        wrong = api(None).post("/api/auth/token/", {"username": "kim", "password": "wrong"}, format="json")
    assert statuses == [201] * 5
    assert login.status_code == 200 and login.json()["token"]
    assert wrong.json()["code"] == "invalid_credentials"
    assert len([r for r in caplog.records if r.name == "safety.cache"]) == 1  # one warning per outage
    health = client.get("/healthz").json()
    assert health["status"] in {"degraded", "unavailable"} and health["checks"]["cache"] != "ok"

    own_cache.start()
    assert api(operator).post("/api/incidents/", CASE, format="json").status_code == 201
    assert client.get("/healthz").json()["checks"]["cache"] == "ok"
