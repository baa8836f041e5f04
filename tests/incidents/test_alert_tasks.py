"""The celery tasks run twice (eagerly, in this process) change nothing the second time."""

from datetime import timedelta

import pytest
from django.utils import timezone

from incidents.alerts.models import Alert, Delivery, DeliveryStatus
from incidents.alerts.tasks import deliver_alert, deliver_alert_channel, escalate_alert
from missions.models import ChannelKind, Mission, MissionChannel
from tests.factories import log_incident
from tests.reliability.receivers import WebhookReceiver

PATTAYA = {"lat": 12.9276, "lon": 100.8771}
OSAKA = {"lat": 34.69379, "lon": 135.50107}


@pytest.fixture
def receiver():  # type: ignore[no-untyped-def]
    server = WebhookReceiver(secret="task-secret").start()
    yield server
    server.stop()


@pytest.mark.django_db
def test_deliver_alert_twice_delivers_each_channel_once(operator, receiver):
    mission = Mission.objects.get(code="emb-th-bangkok")
    MissionChannel.objects.create(
        mission=mission, kind=ChannelKind.WEBHOOK, url=receiver.url("/ok"), secret="task-secret"
    )
    alert = Alert.objects.get(incident=log_incident(reported_by=operator, **PATTAYA))
    assert deliver_alert.apply(kwargs={"alert_id": alert.pk}).get() == 2
    assert deliver_alert.apply(kwargs={"alert_id": alert.pk}).get() == 0
    hook = Delivery.objects.get(alert=alert, kind="webhook")
    assert deliver_alert_channel.apply(kwargs={"delivery_id": hook.pk}).get() == "skipped"
    assert set(Delivery.objects.filter(alert=alert).values_list("status", flat=True)) == {DeliveryStatus.DELIVERED}
    assert len(receiver.delivered()) == 1


@pytest.mark.django_db
def test_escalate_alert_acts_only_with_the_token_as_task_id_and_once(operator):
    alert = Alert.objects.get(incident=log_incident(reported_by=operator, severity=4, **OSAKA))
    Alert.objects.filter(pk=alert.pk).update(ack_due_at=timezone.now() - timedelta(seconds=1))
    assert escalate_alert.apply(kwargs={"alert_id": alert.pk}, task_id="some-other-id").get() is None
    first = escalate_alert.apply(kwargs={"alert_id": alert.pk}, task_id=alert.escalation_token).get()
    again = escalate_alert.apply(kwargs={"alert_id": alert.pk}, task_id=alert.escalation_token).get()
    assert first is not None and again is None
    assert Alert.objects.get(public_id=first).mission.code == "emb-jp-tokyo"
    assert Alert.objects.filter(incident_id=alert.incident_id).count() == 2
