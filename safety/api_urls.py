"""Kernel API routes (authentication tokens)."""

from django.urls import path

from safety import apis

urlpatterns = [
    path("auth/token/", apis.TokenObtainApi.as_view(), name="auth-token"),
    path("me/", apis.MeApi.as_view(), name="me"),
]
