"""Rebuild and check of the dashboard roll-ups (kept by the triggers of maps/rollup_sql.py)."""

from django.conf import settings
from django.db import connection, transaction

from maps import rollup_sql
from maps.models import RollupGrid


def rollups_rebuild() -> None:
    """Recompute every roll-up from incidents_incident in one transaction, with the configured grid size."""
    with transaction.atomic(), connection.cursor() as cursor:
        statements = rollup_sql.rebuild_sql()
        cursor.execute(statements[0])
        RollupGrid.objects.update_or_create(pk=1, defaults={"grid_deg": float(settings.MAPS_GRID_DEG)})
        for statement in statements[1:]:
            cursor.execute(statement)


def rollups_differences() -> dict[str, int]:
    """Per roll-up table, how many rows differ from a fresh aggregation of incidents_incident (empty: identical)."""
    found: dict[str, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for table, statement in rollup_sql.check_sql():
            cursor.execute(f"SELECT count(*) FROM ({statement}) AS diff")  # noqa: S608 - constants only
            row = cursor.fetchone()
            if row and row[0]:
                found[table] = int(row[0])
    return found
