"""Kernel API routes (authentication tokens, the current user)."""

from django.urls import path

from safety.api import views as apis
from safety.geo import apis as geo_apis

urlpatterns = [
    path("auth/token/", apis.TokenObtainApi.as_view(), name="auth-token"),
    path("auth/tokens/", apis.TokenListApi.as_view(), name="auth-token-list"),
    path("auth/tokens/<uuid:public_id>/revoke/", apis.TokenRevokeApi.as_view(), name="auth-token-revoke"),
    path("me/", apis.MeApi.as_view(), name="me"),
    path("geocode/", geo_apis.GeocodeApi.as_view(), name="geocode"),
]
