"""URL routes of the whole project (the only module, with safety.celery, that imports the apps)."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from safety import health
from safety.geo import views as geo_views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("geo/basemap.geojson", geo_views.basemap, name="geo-basemap"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/", include("safety.api_urls")),
    path("api/", include("incidents.urls")),
    path("", include("maps.urls")),
]
