"""Roll-ups follow a TRUNCATE of incidents_incident (the DELETE triggers do not fire on TRUNCATE)."""

from django.db import migrations

from maps import rollup_sql


def _install(apps, schema_editor):  # type: ignore[no-untyped-def]
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(rollup_sql.TRUNCATE_TRIGGER_SQL)


def _drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "DROP TRIGGER IF EXISTS maps_rollup_truncate ON incidents_incident; "
            "DROP FUNCTION IF EXISTS maps_rollup_truncate();"
        )


class Migration(migrations.Migration):
    dependencies = [("maps", "0004_rollup_grid_default")]

    operations = [migrations.RunPython(_install, _drop)]
