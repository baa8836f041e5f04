"""The audit log: append-only, every API write recorded, per-case and per-user admin views, export."""

import json

import pytest
from django.core.management import call_command
from django.db import InternalError, ProgrammingError, transaction

from safety.models import AuditAction, AuditEntry
from safety.privacy.audit import audit_record
from tests.factories import log_incident

CASE = {
    "category": "crime",
    "severity": 3,
    "occurred_at": "2026-11-20T14:30:00+07:00",
    "summary": "Passport stolen",
    "lat": 12.9276,
    "lon": 100.8771,
    "persons": [{"name": "김민수", "passport_number": "M12345678"}],
}


@pytest.mark.django_db
def test_orm_update_and_delete_of_an_audit_row_fail(operator):
    entry = audit_record(actor=operator, action=AuditAction.EXPORT, object_type="x", object_ref="1")
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(object_ref="rewritten")
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
        entry.object_ref = "rewritten"
        entry.save()
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
        entry.delete()
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).object_ref == "1"


@pytest.mark.django_db
def test_every_api_write_is_audited_with_who_what_where(api, operator):
    client = api(operator)
    created = client.post("/api/incidents/", CASE, format="json", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="t/1")
    reference = created.json()["reference"]
    client.patch(f"/api/incidents/{reference}/", {"status": "in_progress"}, format="json")
    client.patch(f"/api/incidents/{reference}/", {"severity": 9}, format="json")  # refused: still recorded
    writes = list(AuditEntry.objects.filter(action="write").order_by("id"))
    assert [(w.detail["method"], w.detail["status"]) for w in writes] == [("POST", 201), ("PATCH", 200), ("PATCH", 400)]
    first = writes[0]
    assert first.actor == operator and first.case_ref == reference and first.remote_addr == "203.0.113.9"
    assert first.detail["view"] == "IncidentListCreateApi" and first.detail["user_agent"] == "t/1"
    assert first.detail["fields"] == sorted(CASE)  # names of the fields, never their values
    assert "M12345678" not in json.dumps([w.detail for w in writes])
    assert writes[1].detail["fields"] == ["status"] and writes[1].case_ref == reference
    # Reads are not writes.
    client.get(f"/api/incidents/{reference}/timeline/")
    assert AuditEntry.objects.filter(action="write").count() == 3


@pytest.mark.django_db
def test_client_address_behind_trusted_proxies(api, operator, settings):
    settings.OSC_TRUSTED_PROXY_COUNT = 1
    api(operator).post(
        "/api/incidents/", CASE, format="json", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.20"
    )
    assert AuditEntry.objects.get(action="write").remote_addr == "198.51.100.20"  # the left entry is client-made


@pytest.mark.django_db
def test_admin_views_per_case_and_per_user(client, admin_user, operator, bangkok_staff):
    case = log_incident(reported_by=operator, lat=12.93, lon=100.88)
    other = log_incident(reported_by=operator, lat=12.93, lon=100.88)
    audit_record(
        actor=operator, action=AuditAction.READ_PERSONAL_DATA, object_type="incident", object_ref=case.reference
    )
    audit_record(
        actor=bangkok_staff,
        action=AuditAction.REVEAL,
        object_type="person",
        object_ref="person:1",
        case_ref=case.reference,
    )
    audit_record(
        actor=bangkok_staff, action=AuditAction.READ_PERSONAL_DATA, object_type="incident", object_ref=other.reference
    )
    client.force_login(bangkok_staff)
    assert client.get(f"/admin/safety/auditentry/case/{case.reference}/").status_code == 302  # to the login
    assert client.get("/admin/safety/auditentry/").status_code == 302
    client.force_login(admin_user)
    per_case = client.get(f"/admin/safety/auditentry/case/{case.reference}/", follow=True)
    assert per_case.status_code == 200
    assert {(e.actor_id, e.action) for e in per_case.context["cl"].result_list} == {
        (operator.pk, "read_personal_data"),
        (bangkok_staff.pk, "reveal"),
    }
    assert other.reference not in per_case.content.decode()
    per_user = client.get(f"/admin/safety/auditentry/user/{bangkok_staff.username}/", follow=True)
    rows = per_user.context["cl"].result_list
    assert {e.actor_id for e in rows} == {bangkok_staff.pk} and len(rows) == 2
    # Read-only: no change or delete through the admin either.
    entry = AuditEntry.objects.first()
    assert client.post(f"/admin/safety/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403


@pytest.mark.django_db
def test_export_filters_writes_csv_and_jsonl_and_is_itself_audited(tmp_path, operator, bangkok_staff):
    case = log_incident(reported_by=operator, lat=12.93, lon=100.88)
    audit_record(
        actor=operator, action=AuditAction.READ_PERSONAL_DATA, object_type="incident", object_ref=case.reference
    )
    audit_record(
        actor=bangkok_staff,
        action=AuditAction.REVEAL,
        object_type="person",
        object_ref="person:1",
        case_ref=case.reference,
    )
    audit_record(
        actor=bangkok_staff, action=AuditAction.LOGIN_FAILED, object_type="login", object_ref='=HYPERLINK("http://x")'
    )
    out = tmp_path / "audit.jsonl"
    call_command("export_audit", "--case", case.reference, "--format", "jsonl", "--output", str(out))
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["actor"], r["action"]) for r in rows] == [
        (operator.username, "read_personal_data"),
        (bangkok_staff.username, "reveal"),
    ]
    csv_out = tmp_path / "audit.csv"
    call_command(
        "export_audit",
        "--user",
        bangkok_staff.username,
        "--from",
        "2000-01-01",
        "--to",
        "2100-01-01",
        "--format",
        "csv",
        "--output",
        str(csv_out),
    )
    lines = csv_out.read_text().splitlines()
    assert lines[0].startswith("id,at,actor,action") and len(lines) == 3
    assert ",\"'=HYPERLINK" in csv_out.read_text()  # a cell that would start a formula is quoted, not dropped
    assert all(",=" not in line for line in lines[1:])
    call_command("export_audit", "--from", "2100-01-01", "--output", str(tmp_path / "none.jsonl"))
    assert (tmp_path / "none.jsonl").read_text() == ""
    exports = list(AuditEntry.objects.filter(action="export").order_by("id"))
    assert [e.detail["rows"] for e in exports] == [2, 2, 0]
    assert exports[0].case_ref == case.reference and exports[1].detail["user"] == bangkok_staff.username


@pytest.mark.django_db
def test_export_refuses_naive_times():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("export_audit", "--from", "2026-01-01T10:00:00")
    assert not AuditEntry.objects.exists()
