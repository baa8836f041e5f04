"""Hostile input: intake throttle, request size limit, CSRF on session writes, security headers."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.authentication import SessionAuthentication
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from incidents.models import Incident
from safety.auth.authentication import ScopedTokenAuthentication

CASE = {
    "category": "crime",
    "severity": 2,
    "occurred_at": "2026-11-20T14:30:00+07:00",
    "summary": "Bag snatched",
    "country": "TH",
}


@pytest.mark.django_db
def test_intake_is_throttled_per_user_and_reading_is_not(api, operator, duty_officer, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "intake", "3/min")
    client = api(operator)
    assert [client.post("/api/incidents/", CASE, format="json").status_code for _ in range(3)] == [201] * 3
    refused = client.post("/api/incidents/", CASE, format="json")
    assert refused.status_code == 429 and refused.json()["code"] == "throttled"
    assert Incident.objects.count() == 3
    assert all(client.get("/api/incidents/").status_code == 200 for _ in range(5))
    assert api(duty_officer).post("/api/incidents/", CASE, format="json").status_code == 201  # per user


def test_rates_are_configured_for_login_and_intake():
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert set(rates) >= {"login", "intake"}
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"


@pytest.mark.django_db
def test_oversized_body_is_refused_before_parsing(api, operator):
    body = b'{"summary": "' + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + b'"}'
    response = api(operator).generic("POST", "/api/incidents/", body, content_type="application/json")
    assert response.status_code == 413 and response.json()["code"] == "request_too_large"
    assert Incident.objects.count() == 0


@pytest.mark.django_db
def test_session_writes_need_the_csrf_token(operator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(operator)
    refused = client.post("/api/incidents/", CASE, content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["message"]
    assert Incident.objects.count() == 0
    client.get("/admin/login/")  # any page that sets the cookie
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    accepted = client.post("/api/incidents/", CASE, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201


def _views(resolver: URLResolver, prefix: str = "") -> list[tuple[str, object]]:
    found = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            found += _views(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            found.append((prefix + str(pattern.pattern), pattern.callback))
    return found


def test_every_view_enforces_csrf_when_a_session_is_used():
    """DRF views are csrf_exempt at the Django level and check CSRF in SessionAuthentication: each API view
    authenticates only with that (CSRF-enforcing) class or with header tokens, which browsers never send."""
    allowed = {SessionAuthentication, ScopedTokenAuthentication}
    exempt_plain_views = []
    for route, callback in _views(get_resolver()):
        view_class = getattr(callback, "cls", None)
        if view_class is not None and issubclass(view_class, APIView):
            classes = {type(a) for a in view_class().get_authenticators()}
            assert classes <= allowed, (route, classes)
        elif getattr(callback, "csrf_exempt", False):
            exempt_plain_views.append(route)
    assert exempt_plain_views == [], exempt_plain_views


@pytest.mark.django_db
def test_security_headers(client, operator):
    client.force_login(operator)
    response = client.get("/api/me/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "object-src 'none'" in csp and "frame-ancestors" in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert Client().get("/healthz")["Content-Security-Policy"] == csp


@pytest.mark.django_db
def test_malformed_bodies_get_the_error_shape(api, operator):
    client = api(operator)
    for body, content_type in [
        (b"{not json", "application/json"),
        (b"\xff\xfe", "application/json"),
        (b"[1, 2]", "application/json"),
        (b"a=b", "text/plain"),
    ]:
        response = client.generic("POST", "/api/incidents/", body, content_type=content_type)
        assert 400 <= response.status_code < 500, (body, response.status_code)
        assert set(response.json()) == {"code", "message", "fields"}
    assert Incident.objects.count() == 0
