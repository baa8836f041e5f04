"""Case API routes."""

from django.urls import path

from incidents import apis
from incidents.crises import apis as crisis_apis

urlpatterns = [
    path("crises/", crisis_apis.EventListCreateApi.as_view(), name="crisis-list"),
    path("crises/<str:public_id>/", crisis_apis.EventDetailApi.as_view(), name="crisis-detail"),
    path("crises/<str:public_id>/persons/", crisis_apis.EventPersonListApi.as_view(), name="crisis-persons"),
    path(
        "crises/<str:public_id>/persons/<int:person_id>/notes/",
        crisis_apis.PersonNoteCreateApi.as_view(),
        name="crisis-person-notes",
    ),
    path("crises/<str:public_id>/inquiries/", crisis_apis.InquiryCreateApi.as_view(), name="crisis-inquiries"),
    path(
        "crises/<str:public_id>/proposals/<int:proposal_id>/decide/",
        crisis_apis.ProposalDecideApi.as_view(),
        name="crisis-proposal-decide",
    ),
    path("crises/<str:public_id>/callbacks/", crisis_apis.CallbackListApi.as_view(), name="crisis-callbacks"),
    path(
        "crises/<str:public_id>/callbacks/<int:callback_id>/done/",
        crisis_apis.CallbackDoneApi.as_view(),
        name="crisis-callback-done",
    ),
    path("incidents/", apis.IncidentListCreateApi.as_view(), name="incident-list"),
    path("incidents/<str:reference>/", apis.IncidentDetailApi.as_view(), name="incident-detail"),
    path(
        "incidents/<str:reference>/timeline/",
        apis.IncidentTimelineApi.as_view(),
        name="incident-timeline",
    ),
    path(
        "incidents/<str:reference>/persons/<int:person_id>/reveal/",
        apis.PersonRevealApi.as_view(),
        name="incident-person-reveal",
    ),
    path(
        "incidents/<str:reference>/callers/<int:caller_id>/reveal/",
        apis.CallerRevealApi.as_view(),
        name="incident-caller-reveal",
    ),
    path(
        "incidents/<str:reference>/location/",
        apis.IncidentLocationCorrectApi.as_view(),
        name="incident-location",
    ),
    path(
        "incidents/<str:reference>/mission/",
        apis.IncidentMissionOverrideApi.as_view(),
        name="incident-mission",
    ),
]
