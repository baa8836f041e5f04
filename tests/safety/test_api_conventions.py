"""Health, schema, docs and the one error shape."""

import pytest
from django.test import Client

from safety.auth.roles import Role


@pytest.mark.django_db
def test_healthz_reports_database_and_broker_ok():
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "broker": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_healthz_reports_a_broker_that_is_down(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "ok"
    assert response.json()["checks"]["broker"] != "ok"


@pytest.mark.django_db
def test_schema_requires_login_and_is_openapi_3(api, operator):
    assert api(None).get("/api/schema/").status_code in (401, 403)
    response = api(operator).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")
    assert "/api/incidents/" in response.json()["paths"]


@pytest.mark.django_db
def test_swagger_ui_is_served_from_local_assets(client, operator):
    client.force_login(operator)
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page
    assert "cdn" not in page.lower()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page


@pytest.mark.django_db
def test_errors_have_code_message_fields(api):
    response = api(None).get("/api/incidents/")
    assert response.status_code in (401, 403)
    assert set(response.json()) == {"code", "message", "fields"}
    assert response.json()["code"] in ("not_authenticated", "authentication_failed")


@pytest.mark.django_db
def test_token_obtain_and_use(api, make_user):
    user = make_user(Role.OPERATOR, username="tokenuser")
    bad = api(None).post("/api/auth/token/", {"username": "tokenuser", "password": "wrong"}, format="json")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_credentials"
    good = api(None).post(
        "/api/auth/token/",
        {"username": "tokenuser", "password": "correct-horse-battery"},
        format="json",
    )
    token = good.json()["token"]
    client = api(None)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/me/")
    assert me.json() == {"username": user.username, "roles": ["operator"]}


@pytest.mark.django_db
def test_basemap_is_geojson_of_countries(client, operator):
    assert client.get("/geo/basemap.geojson").status_code == 302
    client.force_login(operator)
    body = client.get("/geo/basemap.geojson").json()
    assert body["type"] == "FeatureCollection"
    codes = {f["properties"]["iso2"] for f in body["features"]}
    assert {"TH", "JP", "US", "FR", "GP"} <= codes


@pytest.mark.django_db
def test_admin_map_widget_loads_openlayers_locally(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/admin/missions/mission/add/").content.decode()
    assert "/static/vendor/ol/dist/ol.js" in page
    assert "cdn.jsdelivr" not in page and "openstreetmap" not in page.lower()
