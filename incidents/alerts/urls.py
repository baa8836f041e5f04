"""Alert routes: the API under /api/alerts/, the signed e-mail link under /alerts/ack/."""

from django.urls import include, path

from incidents.alerts import apis, views

api_urlpatterns = [
    path("alerts/", apis.AlertListApi.as_view(), name="alert-list"),
    path("alerts/<str:public_id>/", apis.AlertDetailApi.as_view(), name="alert-detail"),
    path("alerts/<str:public_id>/acknowledge/", apis.AlertAcknowledgeApi.as_view(), name="alert-acknowledge"),
    path("alerts/<str:public_id>/cap.xml", apis.AlertCapApi.as_view(), name="alert-cap"),
]

urlpatterns = [
    path("api/", include(api_urlpatterns)),
    path("alerts/ack/<str:token>/", views.alert_ack_link, name="alert-ack-link"),
]
