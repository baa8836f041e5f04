"""Authentication: password rules, lockout, session expiry, scoped expiring revocable API tokens."""

import hashlib
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from safety.auth.roles import Role
from safety.models import ApiToken, AuditEntry
from safety.web.middleware import SESSION_AUTH_AT
from tests.factories import UserFactory

GOOD_PASSWORD = "correct-horse-battery"
CASE = {
    "category": "crime",
    "severity": 2,
    "occurred_at": "2026-11-20T14:30:00+07:00",
    "summary": "Bag snatched",
    "country": "TH",
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("short-pw1", "password_too_short"),
        ("aaaaaaaaaaaaaaaa", "password_too_repetitive"),
        ("abababababababab", "password_too_repetitive"),
        ("x" * 60 + "0123456789abcdefghijklmnopqrstuvwxyz" * 3, "password_too_long"),
        ("123456789012", "password_entirely_numeric"),
        ("password1234", "password_too_common"),
    ],
)
def test_weak_passwords_are_refused(password, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_password(password, UserFactory.build(username="kim"))
    assert code in {error.code for error in excinfo.value.error_list}


def test_a_long_passphrase_without_symbols_is_accepted():
    validate_password("seoul river morning tram", None)
    validate_password("osc-demo-2026", None)  # the demo users' password stays valid


def obtain(api, username, password, **extra):  # type: ignore[no-untyped-def]
    return api(None).post("/api/auth/token/", {"username": username, "password": password, **extra}, format="json")


@pytest.mark.django_db
def test_token_endpoint_locks_out_after_repeated_failures(api, make_user):
    make_user(Role.OPERATOR, username="kim")
    for _ in range(settings.OSC_LOGIN_MAX_FAILURES - 1):
        assert obtain(api, "kim", "wrong").json()["code"] == "invalid_credentials"
    locking = obtain(api, "kim", "wrong")
    assert locking.status_code == 429 and locking.json()["code"] == "login_locked"
    refused = obtain(api, "kim", GOOD_PASSWORD)  # even the right password, while locked
    assert refused.status_code == 429 and "token" not in refused.json()
    assert not ApiToken.objects.exists()
    assert AuditEntry.objects.filter(action="login_failed", object_ref="kim").count() == 4
    assert AuditEntry.objects.filter(action="login_locked", object_ref="kim").count() == 1
    # Another user from the same address is not affected (the address limit is much higher).
    make_user(Role.OPERATOR, username="lee")
    assert obtain(api, "lee", GOOD_PASSWORD).status_code == 200
    # An administrator lifts the lock.
    from django.core.management import call_command

    call_command("unlock_login", "kim")
    assert obtain(api, "kim", GOOD_PASSWORD).status_code == 200
    assert AuditEntry.objects.get(action="login_unlocked").detail["was_locked"] is True


@pytest.mark.django_db
def test_unknown_usernames_lock_the_same_way(api):
    for _ in range(settings.OSC_LOGIN_MAX_FAILURES):
        obtain(api, "nobody-here", "wrong")
    assert obtain(api, "nobody-here", "wrong").json()["code"] == "login_locked"


@pytest.mark.django_db
def test_success_clears_the_failure_count(api, make_user):
    make_user(Role.OPERATOR, username="park")
    for _ in range(2):  # 2 × 5 requests: within the login throttle
        for _ in range(settings.OSC_LOGIN_MAX_FAILURES - 1):
            obtain(api, "park", "wrong")
        assert obtain(api, "park", GOOD_PASSWORD).status_code == 200


@pytest.mark.django_db
def test_django_login_view_shares_the_lockout(client, make_user):
    make_user(Role.ADMIN, username="boss", is_staff=True, is_superuser=True)
    for _ in range(settings.OSC_LOGIN_MAX_FAILURES):
        page = client.post("/admin/login/", {"username": "boss", "password": "wrong"})
        assert page.status_code == 200
    page = client.post("/admin/login/", {"username": "boss", "password": GOOD_PASSWORD})
    assert page.status_code == 200 and "잠겼습니다" in page.content.decode()  # "locked for N seconds", in Korean
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_throttle_on_the_token_endpoint(api, make_user):
    make_user(Role.OPERATOR, username="choi")
    statuses = [obtain(api, "choi", GOOD_PASSWORD).status_code for _ in range(10)]
    assert statuses == [200] * 10
    throttled = obtain(api, "choi", GOOD_PASSWORD)
    assert throttled.status_code == 429 and throttled.json()["code"] == "throttled"
    # A forged X-Forwarded-For does not buy new attempts (no trusted proxy configured).
    forged = api(None).post(
        "/api/auth/token/",
        {"username": "choi", "password": GOOD_PASSWORD},
        format="json",
        HTTP_X_FORWARDED_FOR="203.0.113.77",
    )
    assert forged.status_code == 429


def test_session_settings():
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600 and settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and settings.SESSION_COOKIE_HTTPONLY


@pytest.mark.django_db
def test_session_cookie_ends_with_the_browser(client, make_user):
    make_user(Role.OPERATOR, username="jung", is_staff=True)
    client.post("/admin/login/", {"username": "jung", "password": GOOD_PASSWORD})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value and not cookie["max-age"] and not cookie["expires"]
    assert cookie["httponly"]


@pytest.mark.django_db
def test_session_older_than_the_absolute_limit_is_logged_out(client, operator):
    client.force_login(operator)
    assert client.get("/api/me/").status_code == 200
    session = client.session
    session[SESSION_AUTH_AT] = time.time() - settings.OSC_SESSION_MAX_AGE_S - 1
    session.save()
    assert client.get("/api/me/").status_code == 401
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_tokens_are_stored_hashed_and_scoped(api, make_user):
    user = make_user(Role.OPERATOR, username="han")
    read = obtain(api, "han", GOOD_PASSWORD).json()
    write = obtain(api, "han", GOOD_PASSWORD, scope="write", name="hospital feed", expires_in_days=7).json()
    assert read["scope"] == "read" and write["scope"] == "write" and write["name"] == "hospital feed"
    row = ApiToken.objects.get(public_id=write["id"])
    assert row.key_hash == hashlib.sha256(write["token"].encode()).hexdigest()
    assert timedelta(days=6, hours=23) < row.expires_at - timezone.now() <= timedelta(days=7)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM safety_apitoken")
        dump = repr(cursor.fetchall())
    assert read["token"] not in dump and write["token"] not in dump

    reader, writer = api(None), api(None)
    reader.credentials(HTTP_AUTHORIZATION=f"Token {read['token']}")
    writer.credentials(HTTP_AUTHORIZATION=f"Bearer {write['token']}")
    assert reader.get("/api/me/").json()["username"] == user.username
    refused = reader.post("/api/incidents/", CASE, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "insufficient_scope"
    assert writer.post("/api/incidents/", CASE, format="json").status_code == 201
    assert AuditEntry.objects.filter(action="token_issued", actor=user).count() == 2


@pytest.mark.django_db
def test_expired_revoked_and_unknown_tokens_fail(api, make_user):
    make_user(Role.OPERATOR, username="yoon")
    first = obtain(api, "yoon", GOOD_PASSWORD, scope="write").json()
    second = obtain(api, "yoon", GOOD_PASSWORD).json()
    client = api(None)
    client.credentials(HTTP_AUTHORIZATION=f"Token {first['token']}")
    assert client.get("/api/me/").status_code == 200
    ApiToken.objects.filter(public_id=first["id"]).update(
        created_at=timezone.now() - timedelta(days=2), expires_at=timezone.now() - timedelta(seconds=1)
    )
    expired = client.get("/api/me/")
    assert expired.status_code == 401 and expired.json()["code"] == "authentication_failed"

    client.credentials(HTTP_AUTHORIZATION=f"Token {second['token']}")
    assert client.get("/api/me/").status_code == 200
    owner = api(None)
    owner.credentials(HTTP_AUTHORIZATION=f"Token {second['token']}")
    assert owner.post(f"/api/auth/tokens/{second['id']}/revoke/").status_code == 403  # a read token cannot
    from django.contrib.auth import get_user_model

    session = api(get_user_model().objects.get(username="yoon"))
    listed = session.get("/api/auth/tokens/").json()
    assert {t["id"] for t in listed} == {first["id"], second["id"]} and all("token" not in t for t in listed)
    revoked = session.post(f"/api/auth/tokens/{second['id']}/revoke/")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert session.post(f"/api/auth/tokens/{second['id']}/revoke/").status_code == 200  # idempotent
    assert AuditEntry.objects.filter(action="token_revoked").count() == 1
    assert client.get("/api/me/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")
    assert client.get("/api/me/").status_code == 401


@pytest.mark.django_db
def test_a_user_cannot_see_or_revoke_anothers_token(api, make_user):
    make_user(Role.OPERATOR, username="seo")
    other = make_user(Role.OPERATOR, username="oh")
    token = obtain(api, "seo", GOOD_PASSWORD).json()
    assert api(other).get("/api/auth/tokens/").json() == []
    response = api(other).post(f"/api/auth/tokens/{token['id']}/revoke/")
    assert response.status_code == 404 and response.json()["code"] == "token_not_found"
    assert ApiToken.objects.get(public_id=token["id"]).revoked_at is None


@pytest.mark.django_db
def test_token_expiry_bounds_are_enforced(api, make_user):
    make_user(Role.OPERATOR, username="shin")
    response = obtain(api, "shin", GOOD_PASSWORD, expires_in_days=settings.OSC_TOKEN_MAX_DAYS + 1)
    assert response.status_code == 400 and "expires_in_days" in response.json()["fields"]
    assert obtain(api, "shin", GOOD_PASSWORD, scope="admin").status_code == 400
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_drf_plain_authtoken_is_gone():
    assert "rest_framework.authtoken" not in settings.INSTALLED_APPS
    assert "authtoken_token" not in connection.introspection.table_names()


@pytest.mark.django_db
def test_accounts_login_form_says_locked(rf, make_user):
    from django.urls import resolve

    from safety.auth.forms import LockoutAuthenticationForm

    view = resolve("/accounts/login/").func
    assert view.view_initkwargs["authentication_form"] is LockoutAuthenticationForm
    make_user(Role.OPERATOR, username="kang")
    messages = []
    for password in ["wrong"] * settings.OSC_LOGIN_MAX_FAILURES + [GOOD_PASSWORD]:
        request = rf.post("/accounts/login/")
        form = LockoutAuthenticationForm(request, data={"username": "kang", "password": password})
        assert not form.is_valid()
        messages.append(form.errors.as_data()["__all__"][0].code)
    assert messages == ["invalid_login"] * (settings.OSC_LOGIN_MAX_FAILURES - 1) + ["login_locked"] * 2
