"""Idempotency-Key on creating API requests: one case per key, 409 on a reused key, 400 on a bad key."""

from datetime import timedelta

import pytest
from django.utils import timezone

from incidents.alerts.models import Alert
from incidents.models import Incident
from safety.api.idempotency import idempotency_records_delete_expired
from safety.models import AuditEntry, IdempotencyRecord
from safety.tasks import delete_expired_idempotency_records
from tests.incidents.test_api import payload


@pytest.mark.django_db
def test_idempotency_same_key_twice_answers_the_first_result_with_one_case_and_one_alert_set(api, operator):
    client = api(operator)
    first = client.post("/api/incidents/", payload(), format="json", HTTP_IDEMPOTENCY_KEY="intake-1")
    assert first.status_code == 201, first.json()
    second = client.post("/api/incidents/", payload(), format="json", HTTP_IDEMPOTENCY_KEY="intake-1")
    assert second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    incident = Incident.objects.get()
    assert incident.reference == first.json()["reference"]
    assert Alert.objects.filter(incident=incident).count() == 1
    assert Alert.objects.count() == 1
    assert IdempotencyRecord.objects.get().status_code == 201


@pytest.mark.django_db
def test_idempotency_same_key_with_another_body_is_a_409_and_creates_nothing(api, operator):
    client = api(operator)
    assert client.post("/api/incidents/", payload(), format="json", HTTP_IDEMPOTENCY_KEY="k-2").status_code == 201
    response = client.post(
        "/api/incidents/", payload(summary="Another case"), format="json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "idempotency_key_reused"
    assert set(body) == {"code", "message", "fields"}
    assert Incident.objects.count() == 1


@pytest.mark.django_db
def test_idempotency_keys_are_scoped_per_user(api, make_user):
    from safety.auth.roles import Role

    one, two = make_user(Role.OPERATOR), make_user(Role.OPERATOR)
    for user in (one, two):
        assert (
            api(user).post("/api/incidents/", payload(), format="json", HTTP_IDEMPOTENCY_KEY="same").status_code == 201
        )
    assert Incident.objects.count() == 2


@pytest.mark.django_db
def test_idempotency_refused_request_leaves_the_key_free_for_the_corrected_retry(api, operator):
    client = api(operator)
    bad = client.post("/api/incidents/", payload(severity=7), format="json", HTTP_IDEMPOTENCY_KEY="retry-me")
    assert bad.status_code == 400
    assert not IdempotencyRecord.objects.exists()
    good = client.post("/api/incidents/", payload(), format="json", HTTP_IDEMPOTENCY_KEY="retry-me")
    assert good.status_code == 201
    assert Incident.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["x" * 201, "bad\x00key", "with space", ""])
def test_idempotency_invalid_key_is_a_400_and_creates_nothing(api, operator, key):
    response = api(operator).post("/api/incidents/", payload(), format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"
    assert Incident.objects.count() == 0
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.django_db
def test_idempotency_advisory_create_is_replayed(api, admin_user):
    body = {
        "country": "TH",
        "level": 2,
        "valid_from": "2026-11-01T00:00:00Z",
        "valid_to": "2026-12-31T00:00:00Z",
        "note": "Flooding",
    }
    client = api(admin_user)
    first = client.post("/api/advisories/", body, format="json", HTTP_IDEMPOTENCY_KEY="adv-1")
    assert first.status_code == 201, first.json()
    second = client.post("/api/advisories/", body, format="json", HTTP_IDEMPOTENCY_KEY="adv-1")
    assert second.json() == first.json()
    from safety.advisories.models import Advisory

    assert Advisory.objects.filter(note="Flooding").count() == 1


@pytest.mark.django_db
def test_idempotency_expired_key_is_a_new_request_and_the_task_deletes_expired_records(api, operator):
    client = api(operator)
    assert client.post("/api/incidents/", payload(), format="json", HTTP_IDEMPOTENCY_KEY="old").status_code == 201
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert client.post("/api/incidents/", payload(), format="json", HTTP_IDEMPOTENCY_KEY="old").status_code == 201
    assert Incident.objects.count() == 2
    assert idempotency_records_delete_expired() == 0
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert delete_expired_idempotency_records() == 1
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.django_db
def test_write_audit_entry_commits_with_the_created_case(api, operator):
    response = api(operator).post("/api/incidents/", payload(), format="json")
    reference = response.json()["reference"]
    entry = AuditEntry.objects.get(case_ref=reference, action="write")
    assert entry.detail["status"] == 201
