"""The roll-up triggers on incidents_incident (SQL in maps/rollup_sql.py), then a first rebuild.

Separate from 0002 so the unique constraints the triggers' ON CONFLICT needs exist first."""

from django.conf import settings
from django.db import migrations

from maps import rollup_sql

# The roll-up triggers live on incidents_incident (maps may read the incidents tables; see maps/rollup_sql.py).


def _install(apps, schema_editor):  # type: ignore[no-untyped-def]
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("INSERT INTO maps_rollupgrid (id, grid_deg) VALUES (1, %s)", [float(settings.MAPS_GRID_DEG)])
        for table in rollup_sql.TABLES:
            cursor.execute(f"CREATE INDEX {table}_zero ON {table} (id) WHERE n = 0")
        cursor.execute(rollup_sql.trigger_install_sql())
        for statement in rollup_sql.rebuild_sql():
            cursor.execute(statement)


def _uninstall(apps, schema_editor):  # type: ignore[no-untyped-def]
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(rollup_sql.TRIGGER_DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [("maps", "0002_rollups")]

    operations = [migrations.RunPython(_install, _uninstall)]
