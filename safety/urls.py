"""URL routes of the whole project (the only module, with safety.celery, that imports the apps)."""

from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from safety.auth.forms import LockoutAuthenticationForm
from safety.geo import views as geo_views
from safety.web import health
from safety.web import views as safety_views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("geo/basemap.geojson", geo_views.basemap, name="geo-basemap"),
    path("accounts/login/", LoginView.as_view(authentication_form=LockoutAuthenticationForm), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/", include("safety.api.urls")),
    path("api/", include("incidents.urls")),
    path("", safety_views.landing, name="landing"),
    path("no-role/", safety_views.no_role, name="no-role"),
    path("prefs/timezone/", safety_views.timezone_set, name="timezone-set"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("incidents.page_urls")),
    path("", include("incidents.alerts.urls")),
    path("api/", include("missions.urls")),
    path("api/", include("safety.advisories.urls")),
    path("", include("maps.urls")),
]
