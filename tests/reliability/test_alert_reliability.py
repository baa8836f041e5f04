"""Alerts are delayed, never lost nor doubled: broker outage, killed worker, failing webhooks, escalation.

Real Redis (a server of the test's own), real `celery -A safety worker` processes and beat,
a real SMTP server and an HTTP receiver that checks every signature.
"""

import time
from collections import Counter

import pytest
from django.db.models import Count

from incidents.alerts.dispatch import enqueue_escalation_step
from incidents.alerts.models import Alert, Delivery, DeliveryStatus
from incidents.alerts.services import alert_acknowledge
from incidents.models import Incident, TimelineEvent
from missions.models import ChannelKind, Mission, MissionChannel
from safety.auth.roles import Role, user_role_grant
from tests.factories import UserFactory, log_incident
from tests.reliability.conftest import SECRET, wait_until

pytestmark = pytest.mark.slow

PATTAYA = {"lat": 12.9276, "lon": 100.8771}
TOKYO = {"lat": 35.6895, "lon": 139.69171}
OSAKA = {"lat": 34.69379, "lon": 135.50107}


def _operator():  # type: ignore[no-untyped-def]
    user = UserFactory(username=f"rel-op-{time.monotonic_ns()}")
    user_role_grant(user=user, role=Role.OPERATOR)
    return user


def _channels(hooks, code: str, path: str) -> None:  # type: ignore[no-untyped-def]
    mission = Mission.objects.get(code=code)
    MissionChannel.objects.create(mission=mission, kind=ChannelKind.EMAIL, email=f"desk@{code}.example")
    MissionChannel.objects.create(mission=mission, kind=ChannelKind.WEBHOOK, url=hooks.url(path), secret=SECRET)


def _pending() -> int:
    return Delivery.objects.filter(status=DeliveryStatus.PENDING).count()


def _assert_each_delivered_once(services, expected_alerts: int, *, raw_duplicates_allowed: int = 0) -> None:  # type: ignore[no-untyped-def]
    smtp, hooks = services["smtp"], services["hooks"]
    deliveries = Delivery.objects.all()
    assert deliveries.count() == 3 * expected_alerts
    assert set(deliveries.values_list("status", flat=True)) == {DeliveryStatus.DELIVERED}
    email_keys = {str(k) for k in deliveries.filter(kind="email").values_list("idempotency_key", flat=True)}
    hook_keys = {str(k) for k in deliveries.filter(kind="webhook").values_list("idempotency_key", flat=True)}
    mail_ids = smtp.by_message_id()
    hook_hits = Counter(r.key for r in hooks.delivered())
    assert {m.strip("<>").split("@")[0] for m in mail_ids} == email_keys  # every e-mail arrived
    assert set(hook_hits) == hook_keys == hooks.processed  # every webhook arrived and was processed once
    raw_duplicates = sum(n - 1 for n in mail_ids.values()) + sum(n - 1 for n in hook_hits.values())
    print(
        f"delivered={len(email_keys) + len(hook_keys)} raw_duplicates={raw_duplicates}",
        "(deduplicated by idempotency key)",
    )
    assert raw_duplicates <= raw_duplicates_allowed
    assert all(r.signature_ok for r in hooks.requests)


def test_broker_down_while_100_incidents_are_logged_then_all_delivered_once(services, committed_db):
    broker, hooks = services["broker"], services["hooks"]
    _channels(hooks, "emb-th-bangkok", "/ok")
    operator = _operator()
    broker.stop()
    try:
        for i in range(100):
            log_incident(reported_by=operator, summary=f"outage case {i}", **PATTAYA)
        assert Incident.objects.count() == 100
        assert Alert.objects.count() == 100
        assert _pending() == 300  # saved, waiting in the outbox
        time.sleep(2)
        assert _pending() == 300 and not services["smtp"].messages and not hooks.requests
    finally:
        broker.start()
    assert wait_until(lambda: _pending() == 0, timeout_s=120), f"{_pending()} deliveries still pending"
    _assert_each_delivered_once(services, 100)
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}


def test_worker_killed_mid_delivery_every_alert_delivered_none_twice(services, committed_db):
    stack, hooks = services["stack"], services["hooks"]
    _channels(hooks, "emb-th-bangkok", "/ok")
    operator = _operator()
    for i in range(60):
        log_incident(reported_by=operator, summary=f"kill case {i}", **PATTAYA)
    assert wait_until(lambda: len(hooks.delivered()) >= 5, timeout_s=30)
    victim = next(iter(stack.workers))
    stack.kill(victim)
    killed_at_delivered = Delivery.objects.filter(status=DeliveryStatus.DELIVERED).count()
    stack.start_worker()
    assert killed_at_delivered < 180, "the kill came after the end; nothing was in flight"
    assert wait_until(lambda: _pending() == 0, timeout_s=120), f"{_pending()} deliveries still pending"
    # A message the receiver took just before the kill, whose success the worker could not commit, is
    # sent again with the same idempotency key: at most one per thread of the killed worker.
    _assert_each_delivered_once(services, 60, raw_duplicates_allowed=4)
    per_alert = Delivery.objects.values("alert").annotate(n=Count("id")).values_list("n", flat=True)
    assert set(per_alert) == {3}


def test_webhook_500_three_times_then_200_and_a_webhook_that_never_answers(services, committed_db):
    hooks = services["hooks"]
    _channels(hooks, "emb-th-bangkok", "/flaky/3")
    _channels(hooks, "emb-jp-tokyo", "/hang")
    operator = _operator()
    flaky = log_incident(reported_by=operator, **PATTAYA)
    silent = log_incident(reported_by=operator, location_text="Tokyo", **TOKYO)
    flaky_hook = Delivery.objects.get(alert__incident=flaky, kind="webhook")
    silent_hook = Delivery.objects.get(alert__incident=silent, kind="webhook")

    def settled() -> bool:
        states = Delivery.objects.filter(pk__in=[flaky_hook.pk, silent_hook.pk]).values_list("status", flat=True)
        return DeliveryStatus.PENDING not in set(states)

    assert wait_until(settled, timeout_s=60)
    flaky_hook.refresh_from_db()
    assert flaky_hook.status == DeliveryStatus.DELIVERED
    assert list(flaky_hook.attempt_log.values_list("http_status", flat=True)) == [500, 500, 500, 200]
    assert [r.status for r in hooks.requests if r.key == str(flaky_hook.idempotency_key)] == [500, 500, 500, 200]

    silent_hook.refresh_from_db()
    assert silent_hook.status == DeliveryStatus.FAILED
    assert silent_hook.attempts == 4 and "timeout" in silent_hook.last_error
    assert set(silent_hook.attempt_log.values_list("outcome", flat=True)) == {"retry", "failed"}
    assert Alert.objects.filter(incident=silent, mission__isnull=True).count() == 1  # escalated to HQ
    assert TimelineEvent.objects.filter(incident=silent, kind="escalated").count() == 1
    assert TimelineEvent.objects.filter(incident=silent, kind="alert", message__contains="failed").count() == 1


def test_unacknowledged_alert_escalates_on_time_once_per_step_and_ack_stops_it(services, committed_db):
    hooks = services["hooks"]
    _channels(hooks, "cg-jp-osaka", "/ok")
    operator = _operator()
    ignored = log_incident(reported_by=operator, severity=4, location_text="Osaka", **OSAKA)
    answered = log_incident(reported_by=operator, severity=4, location_text="Osaka", **OSAKA)
    first_token = Alert.objects.get(incident=ignored).escalation_token
    consulate = Alert.objects.get(incident=answered)
    assert consulate.mission.code == "cg-jp-osaka"

    embassy_step = wait_until(
        lambda: Alert.objects.filter(incident=answered, mission__code="emb-jp-tokyo").first(), timeout_s=30
    )
    assert embassy_step is not None
    staff = UserFactory(username=f"rel-tokyo-{time.monotonic_ns()}")
    alert_acknowledge(alert=embassy_step, user=staff)

    hq = wait_until(lambda: Alert.objects.filter(incident=ignored, mission__isnull=True).first(), timeout_s=30)
    assert hq is not None
    chain = list(Alert.objects.filter(incident=ignored).order_by("level"))
    assert [a.mission.code if a.mission else None for a in chain] == ["cg-jp-osaka", "emb-jp-tokyo", None]
    for step in chain[:2]:
        assert step.escalated_at is not None and step.escalated_at >= step.ack_due_at  # never early
        assert step.escalation_token == ""  # the step used its token
    # Replay the first step with its real token (a duplicate), and send a stale one: both do nothing.
    assert enqueue_escalation_step(alert_id=chain[0].pk, token=first_token, eta=None)
    assert enqueue_escalation_step(alert_id=chain[1].pk, token="stale-token", eta=None)

    # Let the auditor (every 1 s) and any replayed or duplicate step run past the answered case's deadline.
    time.sleep(embassy_step.ack_due_at.timestamp() - time.time() + 5)
    assert Alert.objects.filter(incident=ignored).count() == 3
    assert TimelineEvent.objects.filter(incident=ignored, kind="escalated").count() == 2
    assert not Alert.objects.filter(incident=answered, mission__isnull=True).exists()
    assert TimelineEvent.objects.filter(incident=answered, kind="escalated").count() == 1
    assert Incident.objects.get(pk=answered.pk).acknowledged_at is not None
