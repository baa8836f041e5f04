"""The naive baseline of bench/alerts.py: `transaction.on_commit(task.delay)` with no outbox.

Loaded only by the benchmark's workers (`celery -A safety worker -I bench.naive_tasks`) and its
naive web server. It writes the inbox row and posts the webhook from the task, with no delivery
state, retries or idempotency: what the outbox is measured against, and what loses alerts when
the broker is down.
"""

import json
import time
import uuid

import requests
from celery import shared_task
from django.conf import settings
from django.db import transaction

from incidents.alerts.delivery import webhook_signature
from incidents.alerts.messages import webhook_body
from incidents.alerts.models import Alert, AlertLevel
from incidents.alerts.services import ack_due_at
from incidents.models import Incident
from missions.models import ChannelKind
from missions.selectors import channel_list_of


@shared_task(name="bench.naive_deliver", acks_late=True)
def naive_deliver(*, incident_id: int) -> None:
    incident = Incident.objects.select_related("responsible_mission", "country").get(pk=incident_id)
    mission = incident.responsible_mission
    alert = Alert.objects.create(
        incident=incident,
        mission=mission,
        level=AlertLevel.MISSION if mission else AlertLevel.HQ,
        reason="naive",
        ack_due_at=ack_due_at(severity=incident.severity, start=incident.created_at),
    )
    for channel in channel_list_of(mission=mission) if mission else []:
        if channel.kind != ChannelKind.WEBHOOK:
            continue
        body = json.dumps(webhook_body(alert=alert), ensure_ascii=False, sort_keys=True).encode()
        timestamp = str(int(time.time()))
        requests.post(
            channel.url,
            data=body,
            timeout=settings.ALERT_WEBHOOK_TIMEOUT_S,
            headers={
                "Content-Type": "application/json",
                "Idempotency-Key": str(uuid.uuid4()),
                "X-Signature-Timestamp": timestamp,
                "X-Signature": webhook_signature(secret=channel.secret, timestamp=timestamp, body=body),
            },
        )


def naive_alert_for_routing(*, incident: Incident) -> None:
    """Stands in for incidents.alerts.services.alert_for_routing in the naive web server."""
    incident_id = incident.pk
    transaction.on_commit(lambda: naive_deliver.delay(incident_id=incident_id))
