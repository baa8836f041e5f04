"""Travel-advisory API routes (mounted under /api/)."""

from django.urls import path

from safety.advisories import apis

urlpatterns = [
    path("advisories/", apis.AdvisoryListCreateApi.as_view(), name="advisory-list"),
    path("advisories/<uuid:public_id>/", apis.AdvisoryDetailApi.as_view(), name="advisory-detail"),
]
