"""Database connections killed mid-burst: every answer tells the truth, and every saved write is audited.

A threaded WSGI server of the test's own serves the real application; client threads log cases
through the API with tokens while another connection terminates the server's database backends
(`pg_terminate_backend`). Rows are committed for real and truncated after the test.

pytest-django sets up the test database only for sessions holding a `django_db` test: this module
has one (the first test), so it also runs on the test database when run alone.
"""

import threading
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
import requests
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application
from django.db import connection, connections
from django.db.backends.signals import connection_created

from incidents.models import Incident
from safety.auth.roles import Role, user_role_grant
from safety.auth.tokens import token_issue
from safety.celery import app as celery_app
from safety.models import AuditAction, AuditEntry, TokenScope
from tests.factories import UserFactory
from tests.incidents.test_api import payload
from tests.reliability.conftest import point_celery_at
from tests.reliability.receivers import free_port

CLIENTS = 4
POSTS_PER_CLIENT = 14  # under the per-user intake throttle (60/min)


@pytest.mark.django_db
def test_write_audit_refused_write_is_audited_and_saves_nothing(api, operator):
    response = api(operator).post("/api/incidents/", payload(severity=7), format="json")
    assert response.status_code == 400
    assert not Incident.objects.exists()
    entry = AuditEntry.objects.get(actor=operator, action=AuditAction.WRITE)
    assert entry.detail["status"] == 400


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def _truncate() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE incidents_deliveryattempt, incidents_delivery, incidents_alert, incidents_timelineevent, "
            "incidents_affectedperson, incidents_caller, incidents_incident, safety_idempotencyrecord, "
            "safety_auditentry CASCADE"
        )


@pytest.fixture
def live_app(django_db_setup, django_db_blocker, settings) -> Iterator[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """The application on a free port; the database pids of its request threads are collected in `pids`."""
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    pids: set[int] = set()
    main = threading.main_thread()

    def record_pid(sender: Any, connection: Any, **kwargs: Any) -> None:
        if threading.current_thread() is not main:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pids.add(cursor.fetchone()[0])

    previous_broker = celery_app.conf.broker_url
    point_celery_at(f"redis://127.0.0.1:{free_port()}/0")  # no broker: alert dispatch logs and the sweeper would
    connection_created.connect(record_pid, weak=False)
    with django_db_blocker.unblock():
        _truncate()
        server = ThreadedWSGIServer(("127.0.0.1", 0), _QuietHandler, allow_reuse_address=False)
        server.daemon_threads = True
        server.set_app(get_wsgi_application())
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield {"url": f"http://127.0.0.1:{server.server_address[1]}", "pids": pids}
        finally:
            server.shutdown()
            server.server_close()
            connection_created.disconnect(record_pid)
            point_celery_at(previous_broker)
            connections.close_all()
            _truncate()
            UserFactory._meta.model.objects.filter(username__startswith="kill-").delete()


def _kill_backends(pids: set[int], stop: threading.Event, killed: list[int]) -> None:
    database = connection.settings_dict
    with psycopg.connect(
        dbname=database["NAME"],
        user=database["USER"],
        password=database.get("PASSWORD") or None,
        host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
        autocommit=True,
    ) as killer:
        while not stop.is_set():
            # One connection of the newest few at a time: some requests die mid-write, most get through.
            for pid in sorted(pids)[-2:-1] or sorted(pids)[-1:]:
                row = killer.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()
                if row and row[0]:
                    killed.append(pid)
                pids.discard(pid)
            time.sleep(0.3)


def _post_burst(url: str, token: str, client: int, answers: list[tuple[str, int, dict[str, Any] | None]]) -> None:
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"
    for n in range(POSTS_PER_CLIENT):
        summary = f"kill burst {client}-{n}"
        try:
            response = session.post(f"{url}/api/incidents/", json=payload(summary=summary), timeout=30)
        except requests.RequestException:
            answers.append((summary, 0, None))
            continue
        body = response.json() if response.headers.get("Content-Type", "").startswith("application/json") else None
        answers.append((summary, response.status_code, body))


def test_write_audit_connections_killed_mid_burst_answers_match_the_database_and_every_case_is_audited(live_app):
    tokens = []
    for client in range(CLIENTS):
        user = UserFactory(username=f"kill-{client}")
        user_role_grant(user=user, role=Role.OPERATOR)
        tokens.append(token_issue(user=user, scope=TokenScope.WRITE)[1])
    answers: list[tuple[str, int, dict[str, Any] | None]] = []
    stop, killed = threading.Event(), []
    killer = threading.Thread(target=_kill_backends, args=(live_app["pids"], stop, killed))
    killer.start()
    clients = [
        threading.Thread(target=_post_burst, args=(live_app["url"], tokens[c], c, answers)) for c in range(CLIENTS)
    ]
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join(timeout=300)
    stop.set()
    killer.join(timeout=10)

    saved = {row.summary: row.reference for row in Incident.objects.filter(summary__startswith="kill burst ")}
    ok = [(summary, body) for summary, code, body in answers if 200 <= code < 300]
    failed = [summary for summary, code, _ in answers if code >= 500]
    assert len(answers) == CLIENTS * POSTS_PER_CLIENT
    assert killed, "no server connection was terminated"
    assert failed, "the kills failed no request: the test proved nothing"
    assert ok, f"no request succeeded: {sorted(code for _, code, _ in answers)}"
    for summary, body in ok:
        assert body is not None and saved.get(summary) == body["reference"], summary
    for summary in failed:
        assert summary not in saved, f"{summary} was answered 5xx but saved"
    audited = set(
        AuditEntry.objects.filter(action=AuditAction.WRITE, case_ref__in=saved.values()).values_list(
            "case_ref", flat=True
        )
    )
    assert audited == set(saved.values())


def test_write_audit_concurrent_duplicates_of_one_idempotency_key_make_one_case(live_app):
    user = UserFactory(username="kill-dup")
    user_role_grant(user=user, role=Role.OPERATOR)
    token = token_issue(user=user, scope=TokenScope.WRITE)[1]
    live_app["pids"].clear()
    body = payload(summary="kill duplicate")
    answers: list[tuple[int, dict[str, Any]]] = []
    start = threading.Barrier(4)

    def post() -> None:
        start.wait()
        response = requests.post(
            f"{live_app['url']}/api/incidents/",
            json=body,
            headers={"Authorization": f"Token {token}", "Idempotency-Key": "dup-1"},
            timeout=30,
        )
        answers.append((response.status_code, response.json()))

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert Incident.objects.filter(summary="kill duplicate").count() == 1
    reference = Incident.objects.get(summary="kill duplicate").reference
    for code, answer in answers:
        assert (code, answer.get("reference")) == (201, reference) or (code, answer["code"]) == (
            409,
            "idempotency_key_reused",
        )
    assert len(answers) == 4
    assert any(code == 201 for code, _ in answers)
