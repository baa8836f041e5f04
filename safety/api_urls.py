"""Kernel API routes (authentication tokens, the current user)."""

from django.urls import path

from safety import apis

urlpatterns = [
    path("auth/token/", apis.TokenObtainApi.as_view(), name="auth-token"),
    path("auth/tokens/", apis.TokenListApi.as_view(), name="auth-token-list"),
    path("auth/tokens/<uuid:public_id>/revoke/", apis.TokenRevokeApi.as_view(), name="auth-token-revoke"),
    path("me/", apis.MeApi.as_view(), name="me"),
]
