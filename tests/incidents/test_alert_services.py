"""Alert outbox, acknowledgment and escalation steps, through the real services on PostGIS."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from incidents.alerts.models import AckVia, Alert, AlertLevel, Delivery
from incidents.alerts.services import alert_acknowledge, alert_create, alert_escalate
from incidents.models import Incident, TimelineEvent
from incidents.services import CallerInput
from missions.models import ChannelKind, Mission, MissionChannel
from safety.auth.roles import Role
from tests.factories import log_incident

PATTAYA = {"lat": 12.9276, "lon": 100.8771}
OSAKA = {"lat": 34.69379, "lon": 135.50107}


@pytest.fixture
def bangkok_channels(db):  # type: ignore[no-untyped-def]
    mission = Mission.objects.get(code="emb-th-bangkok")
    return [
        MissionChannel.objects.create(mission=mission, kind=ChannelKind.EMAIL, email="desk@bangkok.example"),
        MissionChannel.objects.create(
            mission=mission, kind=ChannelKind.WEBHOOK, url="http://127.0.0.1:9/hook", secret="s3cret"
        ),
        MissionChannel.objects.create(
            mission=mission, kind=ChannelKind.EMAIL, email="old@bangkok.example", is_active=False
        ),
    ]


def _overdue(alert: Alert) -> None:
    Alert.objects.filter(pk=alert.pk).update(ack_due_at=timezone.now() - timedelta(seconds=1))


@pytest.mark.django_db
def test_incident_log_writes_alert_and_one_delivery_per_active_channel(
    operator, bangkok_channels, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        incident = log_incident(reported_by=operator, severity=4, **PATTAYA)
    alert = Alert.objects.get(incident=incident)
    assert alert.mission.code == "emb-th-bangkok"
    assert alert.level == AlertLevel.MISSION
    assert alert.escalation_token
    assert alert.ack_due_at - alert.created_at == pytest.approx(
        timedelta(minutes=settings.ALERT_ACK_WITHIN_MINUTES[4]), abs=timedelta(seconds=1)
    )
    email, hook, _inactive = bangkok_channels
    keys = set(Delivery.objects.filter(alert=alert).values_list("key", "status"))
    assert keys == {("inbox", "pending"), (f"email:{email.pk}", "pending"), (f"webhook:{hook.pk}", "pending")}
    assert len(callbacks) == 1  # delivery is enqueued only after commit


@pytest.mark.django_db
def test_incident_log_that_fails_leaves_no_alert(operator):
    before = (Incident.objects.count(), Alert.objects.count(), Delivery.objects.count())
    with pytest.raises(ValidationError, match="phone"):
        log_incident(reported_by=operator, callers=[CallerInput(name="x", phone="not a number")], **PATTAYA)
    assert (Incident.objects.count(), Alert.objects.count(), Delivery.objects.count()) == before


@pytest.mark.django_db
def test_unroutable_case_alerts_the_hq_duty_officer_queue(operator):
    incident = log_incident(reported_by=operator, location_text="somewhere unknown")
    assert incident.responsible_mission is None
    alert = Alert.objects.get(incident=incident)
    assert alert.mission is None
    assert alert.level == AlertLevel.HQ
    assert alert.escalation_token == ""  # the last step: nothing above HQ
    assert alert.reason.startswith("unroutable")
    assert list(alert.deliveries.values_list("key", flat=True)) == ["inbox"]


@pytest.mark.django_db
def test_alert_acknowledge_records_who_and_when_once(operator, bangkok_staff, make_user):
    incident = log_incident(reported_by=operator, **PATTAYA)
    alert = Alert.objects.get(incident=incident)
    other = make_user(Role.MISSION_STAFF, "emb-th-bangkok")
    first = alert_acknowledge(alert=alert, user=bangkok_staff)
    second = alert_acknowledge(alert=alert, user=other)
    assert second.acknowledged_by == bangkok_staff
    assert second.acknowledged_at == first.acknowledged_at
    assert second.escalation_token == ""
    incident.refresh_from_db()
    assert incident.acknowledged_at == first.acknowledged_at
    events = TimelineEvent.objects.filter(incident=incident, kind="acknowledged")
    assert events.count() == 1
    event = events.get()
    assert event.actor == bangkok_staff
    assert event.data["via"] == AckVia.INBOX
    assert event.data["first"] is True


@pytest.mark.django_db
def test_alert_escalates_consulate_to_embassy_to_hq_once_per_step(operator):
    incident = log_incident(reported_by=operator, location_text="Osaka", severity=4, **OSAKA)
    consulate = Alert.objects.get(incident=incident)
    assert consulate.mission.code == "cg-jp-osaka"
    _overdue(consulate)
    token = consulate.escalation_token
    embassy = alert_escalate(alert_id=consulate.pk, token=token)
    assert embassy is not None and embassy.mission.code == "emb-jp-tokyo"
    assert embassy.level == AlertLevel.SUPERVISING and embassy.escalated_from == consulate
    assert alert_escalate(alert_id=consulate.pk, token=token) is None  # the same step twice
    _overdue(embassy)
    hq = alert_escalate(alert_id=embassy.pk, token=embassy.escalation_token)
    assert hq is not None and hq.mission is None and hq.level == AlertLevel.HQ
    assert Alert.objects.filter(incident=incident).count() == 3
    kinds = list(TimelineEvent.objects.filter(incident=incident, kind="escalated").values_list("data__to", flat=True))
    assert kinds == ["emb-jp-tokyo", None]


@pytest.mark.django_db
def test_alert_escalate_ignores_stale_and_early_steps(operator):
    incident = log_incident(reported_by=operator, **PATTAYA)
    alert = Alert.objects.get(incident=incident)
    assert alert_escalate(alert_id=alert.pk, token="not-the-token") is None
    assert alert_escalate(alert_id=alert.pk, token=alert.escalation_token) is None  # not yet due
    alert.refresh_from_db()
    assert alert.escalation_token and alert.escalated_at is None
    _overdue(alert)
    hq = alert_escalate(alert_id=alert.pk, token=alert.escalation_token)
    assert hq is not None and hq.mission is None  # an embassy escalates straight to HQ


@pytest.mark.django_db
def test_acknowledged_case_stops_escalation(operator, make_user):
    incident = log_incident(reported_by=operator, severity=4, **OSAKA)
    consulate = Alert.objects.get(incident=incident)
    _overdue(consulate)
    embassy = alert_escalate(alert_id=consulate.pk, token=consulate.escalation_token)
    osaka_staff = make_user(Role.MISSION_STAFF, "cg-jp-osaka")
    alert_acknowledge(alert=consulate, user=osaka_staff)  # late, at the consulate: the case is acknowledged
    _overdue(embassy)
    assert alert_escalate(alert_id=embassy.pk, token=embassy.escalation_token) is None
    embassy.refresh_from_db()
    assert embassy.escalation_token == ""
    assert not Alert.objects.filter(incident=incident, mission__isnull=True).exists()


@pytest.mark.django_db
def test_alert_create_is_once_per_incident_and_recipient(operator):
    incident = log_incident(reported_by=operator, **PATTAYA)
    again = alert_create(incident=incident, mission=incident.responsible_mission, level=0, reason="again")
    assert Alert.objects.filter(incident=incident).count() == 1
    assert again.reason == "routed"
