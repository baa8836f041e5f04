"""Reads of alerts, checked against who is asking."""

import uuid

from django.db.models import Prefetch, QuerySet

from incidents.alerts.exceptions import AlertNotFound
from incidents.alerts.models import Alert, Delivery, DeliveryAttempt
from incidents.exceptions import CaseAccessDenied
from incidents.selectors import may_work_cases
from missions.selectors import mission_ids_of
from safety.auth.roles import Role, has_role
from safety.auth.users import AnyUser


def sees_all_alerts(user: AnyUser) -> bool:
    """The HQ duty officer (and admins) see every alert, the HQ queue included."""
    return has_role(user, Role.DUTY_OFFICER, Role.ADMIN)


def alert_list_visible_to(*, user: AnyUser) -> QuerySet[Alert]:
    """Duty officers and admins: every alert; others: the alerts of their missions (and those they supervise).

    Raises CaseAccessDenied for roles without case access (presenters).
    """
    if not may_work_cases(user):
        raise CaseAccessDenied("Your role has no access to case data.")
    base = Alert.objects.select_related(
        "incident", "incident__country", "mission", "acknowledged_by", "escalated_from"
    ).prefetch_related(Prefetch("deliveries", queryset=Delivery.objects.order_by("id")))
    if sees_all_alerts(user):
        return base
    return base.filter(mission_id__in=mission_ids_of(user=user))


def alert_get_for(*, user: AnyUser, public_id: str | uuid.UUID) -> Alert:
    """The alert if the user may see it; AlertNotFound alike for a missing one and another mission's."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError as exc:
        raise AlertNotFound("No such alert.") from exc
    if not may_work_cases(user):
        raise AlertNotFound("No such alert.")
    alert = alert_list_visible_to(user=user).filter(public_id=key).first()
    if alert is None:
        raise AlertNotFound("No such alert.")
    return alert


def alert_get_by_public_id(*, public_id: str) -> Alert:
    """For a signed link (the signature is the access check): the alert, else AlertNotFound."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError as exc:
        raise AlertNotFound("No such alert.") from exc
    alert = Alert.objects.select_related("incident", "mission").filter(public_id=key).first()
    if alert is None:
        raise AlertNotFound("No such alert.")
    return alert


def attempts_of(*, alert: Alert) -> QuerySet[DeliveryAttempt]:
    return (
        DeliveryAttempt.objects.filter(delivery__alert=alert).select_related("delivery").order_by("delivery", "number")
    )


def alerts_of_incident(*, incident_id: int) -> QuerySet[Alert]:
    return Alert.objects.filter(incident_id=incident_id).select_related("mission").order_by("created_at", "id")
