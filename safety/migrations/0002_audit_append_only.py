from django.db import migrations

REFUSE_CHANGE = """
CREATE OR REPLACE FUNCTION osc_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'table % is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER safety_auditentry_append_only BEFORE UPDATE OR DELETE ON safety_auditentry
    FOR EACH ROW EXECUTE FUNCTION osc_refuse_change();
"""


class Migration(migrations.Migration):
    """osc_refuse_change() is the shared trigger function of every append-only table."""

    dependencies = [("safety", "0001_initial")]

    operations = [
        migrations.RunSQL(
            REFUSE_CHANGE,
            "DROP TRIGGER IF EXISTS safety_auditentry_append_only ON safety_auditentry;",
        ),
    ]
