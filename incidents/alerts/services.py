"""Writes of alerts: the outbox row per (incident, recipient), acknowledgment, escalation steps.

Each function runs in one transaction (the caller's, for `alert_create`) and appends timeline
events for what it changed. Broker work is enqueued only after commit, and only as a hint:
the outbox rows are the truth and the sweeper and auditor resend whatever was not taken.
"""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from incidents.alerts.dispatch import enqueue_alert_delivery, enqueue_escalation_step
from incidents.alerts.models import AckVia, Alert, AlertLevel, Delivery, DeliveryKind
from incidents.models import EventKind, Incident
from incidents.timeline import timeline_append
from missions.models import ChannelKind, Mission
from missions.selectors import channel_list_of
from safety.auth.users import AnyUser

# Escalation steps due within this many seconds are scheduled with an ETA at once; later ones
# are scheduled by the auditor when they come due. Redis redelivers an unacknowledged message
# after the broker's visibility timeout (300 s), so a far ETA would be handed out again and again.
ETA_HORIZON_S = 240.0


def ack_due_at(*, severity: int, start: datetime) -> datetime:
    minutes = settings.ALERT_ACK_WITHIN_MINUTES.get(int(severity), settings.ALERT_ACK_WITHIN_MINUTES[1])
    return start + timedelta(minutes=float(minutes))


def recipient_label(mission: Mission | None) -> str:
    return mission.code if mission is not None else "HQ duty officer"


def alert_schedule_after_commit(*, alert: Alert) -> None:
    """After the current transaction commits: enqueue delivery, and the escalation step if due soon."""
    alert_id, token, due = alert.pk, alert.escalation_token, alert.ack_due_at

    def enqueue() -> None:
        enqueue_alert_delivery(alert_id=alert_id)
        if token and (due - timezone.now()).total_seconds() <= ETA_HORIZON_S:
            enqueue_escalation_step(alert_id=alert_id, token=token, eta=due)

    transaction.on_commit(enqueue)


def alert_create(
    *,
    incident: Incident,
    mission: Mission | None,
    level: AlertLevel | int,
    reason: str,
    escalated_from: Alert | None = None,
) -> Alert:
    """Write the alert for (incident, recipient) with one Delivery per channel, in the caller's transaction.

    Returns the existing alert if that recipient already has one for this case (unique
    constraint). HQ alerts (mission None) are the last step and carry no escalation token.
    The routed/escalated timeline event of the caller says why the alert exists; deliveries,
    failures and acknowledgments append their own.
    """
    existing = Alert.objects.filter(incident=incident, mission=mission).first()
    if existing is not None:
        return existing
    now = timezone.now()
    level = AlertLevel.HQ if mission is None else AlertLevel(level)
    alert = Alert.objects.create(
        incident=incident,
        mission=mission,
        level=level,
        reason=reason[:300],
        escalated_from=escalated_from,
        ack_due_at=ack_due_at(severity=incident.severity, start=now),
        escalation_token="" if level == AlertLevel.HQ else uuid.uuid4().hex,
    )
    deliveries = [
        Delivery(
            alert=alert, kind=DeliveryKind.INBOX, key="inbox", target=recipient_label(mission), next_attempt_at=now
        )
    ]
    for channel in channel_list_of(mission=mission) if mission is not None else []:
        kind = DeliveryKind.EMAIL if channel.kind == ChannelKind.EMAIL else DeliveryKind.WEBHOOK
        deliveries.append(
            Delivery(
                alert=alert,
                kind=kind,
                channel=channel,
                key=f"{kind}:{channel.pk}",
                target=channel.email if kind == DeliveryKind.EMAIL else channel.url,
                next_attempt_at=now,
            )
        )
    Delivery.objects.bulk_create(deliveries)
    alert_schedule_after_commit(alert=alert)
    return alert


def alert_for_routing(*, incident: Incident) -> Alert:
    """The alert that follows a routing decision: the responsible mission, else the HQ duty officer."""
    if incident.responsible_mission is None:
        return alert_create(
            incident=incident, mission=None, level=AlertLevel.HQ, reason=f"unroutable: {incident.routing_reason}"
        )
    return alert_create(
        incident=incident, mission=incident.responsible_mission, level=AlertLevel.MISSION, reason="routed"
    )


def alert_for_reassignment(*, incident: Incident, reason: str) -> Alert:
    """The alert that follows a change of the responsible mission (transfer, override, re-routing).

    In the caller's transaction: earlier unacknowledged alerts of the case addressed to someone
    else stop escalating (their token is cleared), and the new recipient, the mission or else the
    HQ duty officer, gets its own alert with its own deadline (or keeps the one it already has).
    """
    Alert.objects.filter(incident=incident, acknowledged_at__isnull=True).exclude(
        mission=incident.responsible_mission
    ).update(escalation_token="")
    if incident.responsible_mission is None:
        return alert_create(incident=incident, mission=None, level=AlertLevel.HQ, reason=f"unroutable: {reason}")
    return alert_create(
        incident=incident, mission=incident.responsible_mission, level=AlertLevel.MISSION, reason=reason
    )


@transaction.atomic
def alert_acknowledge(
    *, alert: Alert, user: AnyUser | None, via: AckVia | str = AckVia.INBOX, label: str = ""
) -> Alert:
    """Acknowledge the alert (idempotent: a second acknowledgment changes nothing and returns it).

    Records who and when on the timeline, sets Incident.acknowledged_at on the case's first
    acknowledgment, and clears the escalation token so no pending step of this alert acts.
    """
    alert = Alert.objects.select_for_update(of=("self",)).select_related("mission", "incident").get(pk=alert.pk)
    if alert.acknowledged_at is not None:
        return alert
    now = timezone.now()
    alert.acknowledged_at = now
    alert.acknowledged_by = user if user is not None and user.is_authenticated else None
    alert.acknowledged_via = via
    alert.acknowledged_by_label = label[:254]
    alert.escalation_token = ""
    alert.save(
        update_fields=[
            "acknowledged_at",
            "acknowledged_by",
            "acknowledged_via",
            "acknowledged_by_label",
            "escalation_token",
        ]
    )
    first = Incident.objects.filter(pk=alert.incident_id, acknowledged_at__isnull=True).update(acknowledged_at=now)
    who = alert.acknowledged_by.get_username() if alert.acknowledged_by else (label or "unknown")
    timeline_append(
        incident=alert.incident,
        kind=EventKind.ACKNOWLEDGED,
        actor=alert.acknowledged_by,
        message=f"alert to {recipient_label(alert.mission)} acknowledged by {who} via {via}",
        data={
            "alert": str(alert.public_id),
            "mission": alert.mission.code if alert.mission else None,
            "via": str(via),
            "by": who,
            "at": now.isoformat(),
            "first": bool(first),
        },
    )
    return alert


def _next_recipient(alert: Alert) -> tuple[Mission | None, AlertLevel]:
    mission = alert.mission
    if alert.level == AlertLevel.MISSION and mission is not None and mission.parent is not None:
        if mission.parent.is_active:
            return mission.parent, AlertLevel.SUPERVISING
    return None, AlertLevel.HQ


@transaction.atomic
def alert_escalate(*, alert_id: int, token: str, reason: str = "deadline") -> Alert | None:
    """Run one escalation step if `token` is the alert's current token; return the new alert, else None.

    Safe to run twice: the first run clears the token under a row lock, so a duplicate or stale
    step finds a different token and does nothing. A step for an acknowledged case (any alert of
    it) only clears the token. A deadline step that arrives early does nothing and keeps the token.
    """
    alert = (
        Alert.objects.select_for_update(of=("self",))
        .select_related("mission__parent", "incident")
        .filter(pk=alert_id)
        .first()
    )
    if alert is None or not token or alert.escalation_token != token:
        return None
    now = timezone.now()
    if alert.acknowledged_at is not None or alert.incident.acknowledged_at is not None:
        alert.escalation_token = ""
        alert.save(update_fields=["escalation_token"])
        return None
    if reason == "deadline" and now < alert.ack_due_at:
        return None
    target, level = _next_recipient(alert)
    alert.escalation_token = ""
    alert.escalated_at = now
    alert.save(update_fields=["escalation_token", "escalated_at"])
    if reason == "deadline":
        minutes = settings.ALERT_ACK_WITHIN_MINUTES.get(alert.incident.severity)
        why = f"not acknowledged by {recipient_label(alert.mission)} within {minutes:g} min"
    else:
        why = f"{reason} at {recipient_label(alert.mission)}"
    new = alert_create(incident=alert.incident, mission=target, level=level, reason=why, escalated_from=alert)
    timeline_append(
        incident=alert.incident,
        kind=EventKind.ESCALATED,
        actor=None,
        message=f"escalated to {recipient_label(target)}: {why}",
        data={
            "from_alert": str(alert.public_id),
            "to_alert": str(new.public_id),
            "from": alert.mission.code if alert.mission else None,
            "to": target.code if target else None,
            "level": int(level),
            "reason": reason,
        },
    )
    return new
