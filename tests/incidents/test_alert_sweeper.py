"""The sweeper and the escalation auditor pick exactly what they must, and publish it to the real Redis."""

import json
from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.utils import timezone

from incidents.alerts.models import Alert, Delivery, DeliveryStatus
from incidents.alerts.services import alert_acknowledge
from incidents.alerts.sweeper import escalation_steps_audit, pending_deliveries_resend
from tests.factories import log_incident

PATTAYA = {"lat": 12.9276, "lon": 100.8771}


@pytest.fixture
def broker_queue():  # type: ignore[no-untyped-def]
    """The messages this test publishes to the 'celery' queue of the configured Redis, removed after."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    before = client.llen("celery")

    def published() -> list[dict]:  # type: ignore[type-arg]
        raw = client.lrange("celery", 0, client.llen("celery") - before - 1) if client.llen("celery") > before else []
        return [json.loads(item) for item in raw]

    yield published
    for _ in range(client.llen("celery") - before):
        client.lpop("celery")


@pytest.mark.django_db
def test_sweeper_resends_only_deliveries_pending_past_the_grace(operator, broker_queue):
    old = log_incident(reported_by=operator, **PATTAYA)
    fresh = log_incident(reported_by=operator, **PATTAYA)
    done = log_incident(reported_by=operator, **PATTAYA)
    past = timezone.now() - timedelta(seconds=settings.ALERT_SWEEP_AFTER_S + 5)
    Delivery.objects.filter(alert__incident__in=[old, done]).update(next_attempt_at=past)
    Delivery.objects.filter(alert__incident=done).update(status=DeliveryStatus.FAILED)
    assert pending_deliveries_resend() == 1
    [message] = broker_queue()
    assert message["headers"]["task"] == "incidents.deliver_alert_channel"
    old_delivery = Delivery.objects.get(alert__incident=old)
    assert f"'delivery_id': {old_delivery.pk}" in message["headers"]["kwargsrepr"]
    assert Delivery.objects.filter(alert__incident=fresh, status=DeliveryStatus.PENDING).count() == 1


@pytest.mark.django_db
def test_auditor_sends_overdue_and_soon_due_steps_with_the_token_as_task_id(operator, bangkok_staff, broker_queue):
    now = timezone.now()
    overdue, soon, later, acked = (log_incident(reported_by=operator, **PATTAYA) for _ in range(4))
    Alert.objects.filter(incident=overdue).update(
        ack_due_at=now - timedelta(seconds=settings.ALERT_ESCALATION_GRACE_S + 5)
    )
    Alert.objects.filter(incident=soon).update(
        ack_due_at=now + timedelta(seconds=settings.ALERT_ESCALATION_AUDIT_EVERY_S / 2)
    )
    Alert.objects.filter(incident=later).update(ack_due_at=now + timedelta(hours=1))
    Alert.objects.filter(incident=acked).update(ack_due_at=now - timedelta(hours=1))
    alert_acknowledge(alert=Alert.objects.get(incident=acked), user=bangkok_staff)
    assert escalation_steps_audit() == 2
    sent = {m["headers"]["id"]: m["headers"] for m in broker_queue()}
    tokens = {Alert.objects.get(incident=i).escalation_token: i for i in (overdue, soon)}
    assert set(sent) == set(tokens)
    assert all(h["task"] == "incidents.escalate_alert" for h in sent.values())
    soon_token = Alert.objects.get(incident=soon).escalation_token
    assert sent[soon_token]["eta"] is not None  # sent ahead, runs on time
