"""Missions API routes."""

from django.urls import path

from missions import apis

urlpatterns = [
    path("route/", apis.RouteApi.as_view(), name="route"),
]
