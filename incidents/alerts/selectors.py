"""Reads of alerts, checked against who is asking."""

import uuid

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When

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


INBOX_ALERTS_MAX = 200


def alerts_with_deliveries(alerts: QuerySet[Alert]) -> QuerySet[Alert]:
    """The alerts with their case, recipient, acknowledger, and deliveries with their attempts in order."""
    attempts = Prefetch("attempt_log", queryset=DeliveryAttempt.objects.order_by("number"))
    deliveries = Prefetch("deliveries", queryset=Delivery.objects.order_by("id").prefetch_related(attempts))
    return (
        alerts.prefetch_related(None)
        .select_related("incident", "mission", "acknowledged_by", "escalated_from__mission")
        .prefetch_related(deliveries)
    )


def alerts_unacknowledged_first(alerts: QuerySet[Alert]) -> QuerySet[Alert]:
    pending = Case(When(acknowledged_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
    return alerts.annotate(pending_rank=pending).order_by("pending_rank", "ack_due_at", "-id")


def alerts_of_incident_with_deliveries(*, incident_id: int) -> QuerySet[Alert]:
    """A case's alerts (every recipient, escalations included) with deliveries and attempts per channel."""
    return alerts_with_deliveries(alerts_of_incident(incident_id=incident_id))


def alerts_ackable_by(*, user: AnyUser, alerts: list[Alert]) -> set[int]:
    """The alerts this user may acknowledge: their missions' (duty officers and admins: all)."""
    if sees_all_alerts(user):
        return {a.pk for a in alerts if a.acknowledged_at is None}
    mine = mission_ids_of(user=user)
    return {a.pk for a in alerts if a.acknowledged_at is None and a.mission_id in mine}


def inbox_alerts_of(*, user: AnyUser) -> list[Alert]:
    """The alerts of the user's missions (and those they supervise), unacknowledged first, soonest deadline first."""
    alerts = alert_list_visible_to(user=user).filter(mission_id__in=mission_ids_of(user=user))
    return list(alerts_with_deliveries(alerts_unacknowledged_first(alerts))[:INBOX_ALERTS_MAX])


def hq_alerts_of(*, user: AnyUser) -> list[Alert]:
    """The alerts addressed to the HQ duty officer (escalated past every mission), unacknowledged first."""
    hq_alerts = alert_list_visible_to(user=user).filter(mission__isnull=True)
    return list(alerts_with_deliveries(alerts_unacknowledged_first(hq_alerts))[:INBOX_ALERTS_MAX])


def alert_with_deliveries_for(*, user: AnyUser, public_id: str | uuid.UUID) -> Alert:
    """One alert the user may see, with its deliveries and attempts; AlertNotFound otherwise."""
    alert = alert_get_for(user=user, public_id=public_id)
    return alerts_with_deliveries(alerts_of_incident(incident_id=alert.incident_id).filter(pk=alert.pk)).get()
