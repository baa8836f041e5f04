"""Re-install the roll-up trigger: the grid size falls back to 0.1° when maps_rollupgrid is empty."""

from django.db import migrations

from maps import rollup_sql


def _install(apps, schema_editor):  # type: ignore[no-untyped-def]
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(rollup_sql.trigger_install_sql())


class Migration(migrations.Migration):
    dependencies = [("maps", "0003_rollup_triggers")]

    operations = [migrations.RunPython(_install, migrations.RunPython.noop)]
