"""Backup and restore with pg_dump / pg_restore, as docs/operations.md describes, tried once on a real case.

The case is committed to the test database (outside the usual rolled-back transaction) so that
pg_dump sees it; the test removes it afterwards (the append-only triggers are bypassed for that
clean-up only, as the superuser, with session_replication_role = replica).
"""

import os
import subprocess
import uuid
from datetime import date
from pathlib import Path

import psycopg
import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from incidents.services import CallerInput, PersonInput
from safety.privacy.crypto import decrypt_str, looks_encrypted
from tests.factories import log_incident

CASE_TABLES = {
    "incidents_incident": "id",
    "incidents_affectedperson": "incident_id",
    "incidents_caller": "incident_id",
    "incidents_timelineevent": "incident_id",
}


def pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ, "PGHOST": db["HOST"] or "127.0.0.1", "PGPORT": str(db["PORT"] or 5432)}
    env["PGUSER"] = db["USER"] or "postgres"
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def run(*args: str) -> None:
    subprocess.run(list(args), env=pg_env(), check=True, capture_output=True, text=True, timeout=300)


def case_rows(conn: psycopg.Connection, incident_id: int) -> dict[str, list[tuple[object, ...]]]:
    rows = {}
    for table, key in CASE_TABLES.items():
        rows[table] = conn.execute(
            f"SELECT * FROM {table} WHERE {key} = %s ORDER BY id",  # noqa: S608
            [incident_id],
        ).fetchall()
    return rows


def conninfo(dbname: str) -> str:
    env = pg_env()
    password = f" password={env['PGPASSWORD']}" if "PGPASSWORD" in env else ""
    return f"host={env['PGHOST']} port={env['PGPORT']} user={env['PGUSER']} dbname={dbname}{password}"


def test_pg_dump_and_restore_of_one_case_round_trips(django_db_blocker, tmp_path: Path):
    source = connection.settings_dict["NAME"]
    scratch = f"{source}_restore_{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock():
        user = get_user_model().objects.create(username=f"backup-{uuid.uuid4().hex[:8]}")
        incident = log_incident(
            reported_by=user,
            lat=12.93,
            lon=100.88,
            persons=[
                PersonInput(
                    name="김민수",
                    date_of_birth=date(1988, 7, 14),
                    passport_number="M12345678",
                    contact="+821012345678",
                    status="injured",
                )
            ],
            callers=[CallerInput(name="김영희", phone="+821098765432")],
        )
        try:
            schema, data = tmp_path / "schema.dump", tmp_path / "case.dump"
            run("pg_dump", "--format=custom", "--schema-only", f"--file={schema}", source)
            tables = [f"--table={table}" for table in CASE_TABLES]
            run("pg_dump", "--format=custom", "--data-only", *tables, f"--file={data}", source)
            assert b"M12345678" not in data.read_bytes()  # the backup carries ciphertext only
            run("createdb", scratch)
            try:
                run("pg_restore", "--exit-on-error", "--no-owner", f"--dbname={scratch}", str(schema))
                # Only the case tables are restored: FK triggers are off during the load (superuser).
                run(
                    "pg_restore",
                    "--exit-on-error",
                    "--data-only",
                    "--disable-triggers",
                    f"--dbname={scratch}",
                    str(data),
                )
                with psycopg.connect(conninfo(source)) as src, psycopg.connect(conninfo(scratch)) as dst:
                    original, restored = case_rows(src, incident.pk), case_rows(dst, incident.pk)
                    assert restored == original
                    assert len(restored["incidents_affectedperson"]) == 1
                    assert len(restored["incidents_timelineevent"]) >= 4
                    passport = dst.execute(
                        "SELECT passport_number FROM incidents_affectedperson WHERE incident_id = %s", [incident.pk]
                    ).fetchone()[0]
                    assert looks_encrypted(passport) and decrypt_str(passport) == "M12345678"  # with the same keys
                    # The restored schema keeps the append-only trigger.
                    with pytest.raises(psycopg.errors.InsufficientPrivilege):
                        dst.execute("DELETE FROM incidents_timelineevent WHERE incident_id = %s", [incident.pk])
            finally:
                run("dropdb", "--if-exists", scratch)
        finally:
            with psycopg.connect(conninfo(source)) as conn, conn.transaction():
                conn.execute("SET LOCAL session_replication_role = replica")
                # The case's alert outbox goes too, so no committed row outlives this test.
                conn.execute(
                    "DELETE FROM incidents_deliveryattempt WHERE delivery_id IN (SELECT d.id FROM incidents_delivery d "
                    "JOIN incidents_alert a ON a.id = d.alert_id WHERE a.incident_id = %s)",
                    [incident.pk],
                )
                conn.execute(
                    "DELETE FROM incidents_delivery WHERE alert_id IN "
                    "(SELECT id FROM incidents_alert WHERE incident_id = %s)",
                    [incident.pk],
                )
                conn.execute("DELETE FROM incidents_alert WHERE incident_id = %s", [incident.pk])
                for table, key in reversed(CASE_TABLES.items()):
                    if table == "incidents_incident":
                        # the case row itself with triggers on, so the dashboard roll-ups follow it
                        conn.execute("SET LOCAL session_replication_role = origin")
                    conn.execute(f"DELETE FROM {table} WHERE {key} = %s", [incident.pk])  # noqa: S608
                conn.execute("DELETE FROM auth_user WHERE id = %s", [user.pk])
