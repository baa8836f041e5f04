"""Routes of the dashboards (one include in safety/urls.py)."""

from django.urls import path

from maps import views

urlpatterns = [
    path("maps/", views.dashboard, name="maps-dashboard"),
    path("maps/export.html", views.export_html, name="maps-export-html"),
    path("maps/export.csv", views.export_csv, name="maps-export-csv"),
    path("maps/export.geojson", views.export_geojson, name="maps-export-geojson"),
    path("api/dashboard/aggregates/", views.DashboardAggregatesApi.as_view(), name="dashboard-aggregates"),
]
