"""Test fixtures shared by the suite: the test database holds the real reference data."""

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import AbstractUser
from rest_framework.test import APIClient

from maps.rollups import rollups_rebuild
from missions.loaders import missions_load
from missions.models import Membership, Mission
from safety.auth.roles import Role, role_groups_ensure, user_role_grant
from safety.geo.chain import providers_reset
from safety.geo.loaders import countries_load, destinations_load, places_load
from tests.factories import UserFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Load places, countries and missions into the test database once (kept with --reuse-db)."""
    with django_db_blocker.unblock():
        places_load()
        countries_load()
        destinations_load()
        missions_load()
        role_groups_ensure()
        rollups_rebuild()  # a reused test database may hold roll-ups of rows that a bypassed trigger left


@pytest.fixture(autouse=True)
def _fresh_cache():  # type: ignore[no-untyped-def]
    """Login-lockout counters and API throttles live in Redis, outside the rolled-back transaction:
    drop this session's keys (its own KEY_PREFIX, see safety/settings/test.py) before each test."""
    from django.conf import settings
    from django.core.cache import cache

    client = cache._cache.get_client()  # type: ignore[attr-defined]
    keys = list(client.scan_iter(match=f"{settings.CACHES['default']['KEY_PREFIX']}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture
def make_user(db) -> Callable[..., AbstractUser]:  # type: ignore[no-untyped-def]
    def make(role: Role, mission_code: str | None = None, **kwargs: object) -> AbstractUser:
        user = UserFactory(**kwargs)
        user_role_grant(user=user, role=role)
        if mission_code:
            Membership.objects.create(user=user, mission=Mission.objects.get(code=mission_code))
        return user

    return make


@pytest.fixture
def operator(make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.OPERATOR)


@pytest.fixture
def duty_officer(make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.DUTY_OFFICER)


@pytest.fixture
def presenter(make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.PRESENTER)


@pytest.fixture
def admin_user(make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def bangkok_staff(make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.MISSION_STAFF, "emb-th-bangkok")


@pytest.fixture
def tokyo_staff(make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.MISSION_STAFF, "emb-jp-tokyo")


@pytest.fixture
def api() -> Callable[[AbstractUser | None], APIClient]:
    def client_for(user: AbstractUser | None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return client_for


@pytest.fixture
def when() -> datetime:
    return datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


@pytest.fixture
def online_chain(settings):  # type: ignore[no-untyped-def]
    """Configure the geocoder chain as offline + a nominatim at `domain` (a loopback test server)."""

    def configure(domain: str, *, timeout_s: float = 0.5) -> None:
        settings.GEOCODER_CHAIN = ["offline", "nominatim"]
        settings.GEOCODER_NOMINATIM_DOMAIN = domain
        settings.GEOCODER_NOMINATIM_SCHEME = "http"
        settings.GEOCODER_TIMEOUT_S = timeout_s
        settings.GEOCODER_MIN_DELAY_S = 0.0
        providers_reset()

    yield configure
    providers_reset()
