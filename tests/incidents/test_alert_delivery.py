"""Delivery through each channel against a real SMTP server (aiosmtpd) and a real HTTP receiver."""

import pytest
from django.utils import timezone

from incidents.alerts.delivery import backoff_s, delivery_attempt
from incidents.alerts.links import ack_token_read
from incidents.alerts.models import Alert, Delivery, DeliveryStatus
from incidents.models import TimelineEvent
from incidents.services import PersonInput
from missions.models import ChannelKind, Mission, MissionChannel
from tests.factories import log_incident
from tests.reliability.receivers import SMTPSink, WebhookReceiver

PATTAYA = {"lat": 12.9276, "lon": 100.8771}
SECRET = "hook-secret-for-tests"


@pytest.fixture
def smtp_sink(settings):  # type: ignore[no-untyped-def]
    sink = SMTPSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    yield sink
    sink.stop()


@pytest.fixture
def receiver():  # type: ignore[no-untyped-def]
    server = WebhookReceiver(secret=SECRET, hang_s=3).start()
    yield server
    server.stop()


def _channel(kind: str, **values: str) -> MissionChannel:
    mission = Mission.objects.get(code="emb-th-bangkok")
    return MissionChannel.objects.create(mission=mission, kind=kind, **values)


def _delivery(incident, key_prefix: str) -> Delivery:  # type: ignore[no-untyped-def]
    return Delivery.objects.get(alert__incident=incident, key__startswith=key_prefix)


@pytest.mark.django_db
def test_email_delivery_in_korean_and_english_with_local_time_and_signed_link(operator, smtp_sink):
    _channel(ChannelKind.EMAIL, email="desk@bangkok.example")
    incident = log_incident(
        reported_by=operator, severity=3, persons=[PersonInput(name="김민수", passport_number="M1234567")], **PATTAYA
    )
    delivery = _delivery(incident, "email:")
    assert delivery_attempt(delivery_id=delivery.pk).outcome == "ok"
    assert delivery_attempt(delivery_id=delivery.pk).outcome == "skipped"  # delivered once, never again
    assert len(smtp_sink.messages) == 1
    mail = smtp_sink.messages[0]
    assert mail.recipients == ["desk@bangkok.example"]
    assert incident.reference in mail.subject and "범죄" in mail.subject
    assert "사건 번호" in mail.body and "Reference:" in mail.body
    assert "2026-11-20 16:30 (Asia/Bangkok)" in mail.body  # 09:30 UTC in the mission's time zone
    assert "심각도: 3" in mail.body and "Severity: 3" in mail.body
    assert "김민수" not in mail.body and "M1234567" not in mail.body
    assert str(delivery.idempotency_key) in mail.message_id
    token = mail.body.split("/alerts/ack/")[1].split("/")[0]
    assert ack_token_read(token=token)["a"] == str(delivery.alert.public_id)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 1


@pytest.mark.django_db
def test_webhook_delivery_is_signed_and_carries_an_idempotency_key(operator, receiver):
    _channel(ChannelKind.WEBHOOK, url=receiver.url("/ok"), secret=SECRET)
    incident = log_incident(reported_by=operator, persons=[PersonInput(name="김민수")], **PATTAYA)
    delivery = _delivery(incident, "webhook:")
    assert delivery_attempt(delivery_id=delivery.pk).outcome == "ok"
    [hook] = receiver.requests
    assert hook.signature_ok and hook.status == 200
    assert hook.key == str(delivery.idempotency_key)
    assert hook.body["incident"]["reference"] == incident.reference
    assert hook.body["mission"] == "emb-th-bangkok"
    assert "김민수" not in str(hook.body)
    assert TimelineEvent.objects.filter(incident=incident, kind="alert", data__channel=delivery.key).count() == 1


@pytest.mark.django_db
def test_webhook_with_a_wrong_secret_is_refused_and_fails_for_good(operator, receiver):
    _channel(ChannelKind.WEBHOOK, url=receiver.url("/ok"), secret="not-the-receivers-secret")
    incident = log_incident(reported_by=operator, **PATTAYA)
    delivery = _delivery(incident, "webhook:")
    assert delivery_attempt(delivery_id=delivery.pk).outcome == "failed"
    assert receiver.requests[0].status == 401 and not receiver.requests[0].signature_ok
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.last_error == "HTTP 401"


@pytest.mark.django_db
def test_webhook_500_three_times_then_200_is_delivered_once_with_attempts(operator, receiver, settings):
    settings.ALERT_RETRY_BASE_S = 0.01
    _channel(ChannelKind.WEBHOOK, url=receiver.url("/flaky/3"), secret=SECRET)
    incident = log_incident(reported_by=operator, **PATTAYA)
    delivery = _delivery(incident, "webhook:")
    outcomes = [delivery_attempt(delivery_id=delivery.pk).outcome for _ in range(6)]
    assert outcomes == ["retry", "retry", "retry", "ok", "skipped", "skipped"]
    log = list(delivery.attempt_log.values_list("number", "outcome", "http_status"))
    assert log == [(1, "retry", 500), (2, "retry", 500), (3, "retry", 500), (4, "ok", 200)]
    assert len(receiver.delivered()) == 1


@pytest.mark.django_db
def test_webhook_that_never_answers_fails_after_the_last_attempt_and_escalates(operator, receiver, settings):
    settings.ALERT_RETRY_BASE_S = 0.01
    settings.ALERT_WEBHOOK_TIMEOUT_S = 0.2
    settings.ALERT_MAX_ATTEMPTS = 3
    _channel(ChannelKind.WEBHOOK, url=receiver.url("/hang"), secret=SECRET)
    incident = log_incident(reported_by=operator, **PATTAYA)
    delivery = _delivery(incident, "webhook:")
    outcomes = [delivery_attempt(delivery_id=delivery.pk).outcome for _ in range(4)]
    assert outcomes == ["retry", "retry", "failed", "skipped"]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and "timeout" in delivery.last_error
    alerts = {a.mission_id: a for a in Alert.objects.filter(incident=incident)}
    assert set(alerts) == {incident.responsible_mission_id, None}  # escalated to the HQ duty officer
    assert alerts[None].reason.startswith("webhook delivery failed")
    assert TimelineEvent.objects.filter(incident=incident, kind="escalated").count() == 1


@pytest.mark.django_db
def test_retry_not_yet_due_is_skipped(operator, receiver, settings):
    settings.ALERT_RETRY_BASE_S = 60
    _channel(ChannelKind.WEBHOOK, url=receiver.url("/flaky/1"), secret=SECRET)
    incident = log_incident(reported_by=operator, **PATTAYA)
    delivery = _delivery(incident, "webhook:")
    assert delivery_attempt(delivery_id=delivery.pk).outcome == "retry"
    assert delivery_attempt(delivery_id=delivery.pk).outcome == "skipped"
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and delivery.next_attempt_at > timezone.now()


def test_backoff_is_exponential_jittered_and_capped(settings):
    settings.ALERT_RETRY_BASE_S = 2
    settings.ALERT_RETRY_MAX_S = 20
    for attempt, ceiling in [(1, 2), (2, 4), (3, 8), (4, 16), (5, 20), (9, 20)]:
        values = {backoff_s(attempt=attempt) for _ in range(50)}
        assert all(ceiling / 2 <= v <= ceiling for v in values)
        assert len(values) > 1
