from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial"), ("safety", "0002_audit_append_only")]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE IF NOT EXISTS incidents_reference_seq START 1",
            "DROP SEQUENCE IF EXISTS incidents_reference_seq",
        ),
        migrations.RunSQL(
            "CREATE TRIGGER incidents_timelineevent_append_only BEFORE UPDATE OR DELETE ON incidents_timelineevent "
            "FOR EACH ROW EXECUTE FUNCTION osc_refuse_change();",
            "DROP TRIGGER IF EXISTS incidents_timelineevent_append_only ON incidents_timelineevent;",
        ),
    ]
