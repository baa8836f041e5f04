"""Hot-path SQL on the request path: server-side prepared statements on Django's connection."""

from collections.abc import Sequence
from typing import Any

from django.db import connection


def fetchall_prepared(sql: str, params: Sequence[Any] | dict[str, Any]) -> list[tuple[Any, ...]]:
    """Run a read query as a prepared statement (planned once per connection) in Django's transaction.

    Django's psycopg cursors bind parameters on the client, which re-plans every call; lookups that
    run thousands of times (routing, geocoding) use the raw psycopg cursor with `prepare=True`.
    """
    connection.ensure_connection()
    raw = connection.connection
    with raw.cursor() as cursor:
        cursor.execute(sql, params, prepare=True)
        return list(cursor.fetchall())
