"""Reads of incidents, checked against who is asking."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from incidents.exceptions import CaseAccessDenied, IncidentNotFound
from incidents.models import EventKind, Incident, Status, TimelineEvent
from missions.selectors import mission_ids_of
from safety.auth.roles import Role, has_role, sees_all_cases
from safety.auth.users import AnyUser


def may_work_cases(user: AnyUser) -> bool:
    """Operators, duty officers, admins and mission staff work cases; presenters do not."""
    return sees_all_cases(user) or has_role(user, Role.MISSION_STAFF)


def incident_list_visible_to(*, user: AnyUser) -> QuerySet[Incident]:
    """Every case for operators, duty officers and admins; mission staff: their missions' cases.

    Raises CaseAccessDenied for users whose role has no access to cases (presenters).
    """
    if not may_work_cases(user):
        raise CaseAccessDenied("Your role has no access to case data.")
    base = Incident.objects.select_related("country", "responsible_mission", "created_by")
    if sees_all_cases(user):
        return base
    return base.filter(responsible_mission_id__in=mission_ids_of(user=user))


def incident_get_for(*, user: AnyUser, reference: str) -> Incident:
    """The incident with that reference if the user may see it; IncidentNotFound alike otherwise."""
    if not may_work_cases(user):
        raise IncidentNotFound("No such incident.")
    incident = incident_list_visible_to(user=user).filter(reference=reference).first()
    if incident is None:
        raise IncidentNotFound("No such incident.")
    return incident


@dataclass(frozen=True)
class IncidentFilter:
    status: str | None = None
    category: str | None = None
    severity: int | None = None
    country: str | None = None
    mission: str | None = None
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None
    q: str | None = None


def incident_filter(*, queryset: QuerySet[Incident], filters: IncidentFilter) -> QuerySet[Incident]:
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.category:
        queryset = queryset.filter(category=filters.category)
    if filters.severity:
        queryset = queryset.filter(severity=filters.severity)
    if filters.country:
        queryset = queryset.filter(country__iso2=filters.country)
    if filters.mission:
        queryset = queryset.filter(responsible_mission__code=filters.mission)
    if filters.occurred_from:
        queryset = queryset.filter(occurred_at__gte=filters.occurred_from)
    if filters.occurred_to:
        queryset = queryset.filter(occurred_at__lt=filters.occurred_to)
    if filters.q:
        term = filters.q.strip()
        queryset = queryset.filter(
            Q(reference__iexact=term)
            | Q(location_text__icontains=term)
            | Q(summary__icontains=term)
            | Q(persons__name__icontains=term)
        ).distinct()
    return queryset


def timeline_of(*, incident: Incident) -> QuerySet[TimelineEvent]:
    return TimelineEvent.objects.filter(incident=incident).select_related("actor").order_by("at", "id")


def person_history(*, incident: Incident) -> dict[int, list[TimelineEvent]]:
    """Status history of each affected person of the case (added, then each change), oldest first."""
    history: dict[int, list[TimelineEvent]] = {}
    events = timeline_of(incident=incident).filter(kind__in=[EventKind.PERSON_ADDED, EventKind.PERSON_UPDATED])
    for event in events:
        person_id = event.data.get("person")
        if isinstance(person_id, int):
            history.setdefault(person_id, []).append(event)
    return history


def incident_order_open_first(queryset: QuerySet[Incident]) -> QuerySet[Incident]:
    """Open cases first, then in progress, resolved, closed; newest first within each."""
    rank = Case(
        When(status=Status.OPEN, then=Value(0)),
        When(status=Status.IN_PROGRESS, then=Value(1)),
        When(status=Status.RESOLVED, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return queryset.annotate(open_rank=rank).order_by("open_rank", "-created_at", "-id")
