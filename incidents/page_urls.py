"""Routes of the browser pages of case work."""

from django.urls import path

from incidents import views
from incidents.alerts import views as alert_views

urlpatterns = [
    path("cases/", views.case_list, name="case-list"),
    path("cases/new/", views.case_log, name="case-log"),
    path("cases/<str:reference>/", views.case_page, name="case-page"),
    path("cases/<str:reference>/note/", views.case_note, name="case-note"),
    path("cases/<str:reference>/status/", views.case_status, name="case-status"),
    path("cases/<str:reference>/transfer/", views.case_transfer, name="case-transfer"),
    path("cases/<str:reference>/pin/", views.case_pin, name="case-pin"),
    path("cases/<str:reference>/persons/", views.case_person_add, name="case-person-add"),
    path("cases/<str:reference>/persons/<int:person_id>/status/", views.case_person_status, name="case-person-status"),
    path("cases/<str:reference>/persons/<int:person_id>/reveal/", views.case_person_reveal, name="case-person-reveal"),
    path("cases/<str:reference>/callers/<int:caller_id>/reveal/", views.case_caller_reveal, name="case-caller-reveal"),
    path("inbox/", alert_views.mission_inbox, name="mission-inbox"),
    path("alerts/<uuid:public_id>/", alert_views.alert_page, name="alert-page"),
    path("alerts/<uuid:public_id>/acknowledge/", alert_views.alert_acknowledge_page, name="alert-acknowledge-page"),
    path("duty/", alert_views.duty_queue, name="duty-queue"),
]
