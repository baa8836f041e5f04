"""Jurisdiction.basis (district / concurrent accreditation / assumed) filled from the note; osc_route returns it."""

from typing import Any

from django.db import migrations, models

from missions.migrations import _route_sql
from missions.models import jurisdiction_basis_of


def basis_fill(apps: Any, schema_editor: Any) -> None:
    jurisdiction = apps.get_model("missions", "Jurisdiction")
    for row in jurisdiction.objects.all().only("pk", "note"):
        basis = jurisdiction_basis_of(row.note)
        if basis != "district":
            jurisdiction.objects.filter(pk=row.pk).update(basis=basis)


class Migration(migrations.Migration):

    dependencies = [
        ('geo', '0002_placename_search_and_geocode_cache'),
        ('missions', '0004_merge_alert_channels_and_district_areas'),
    ]

    operations = [
        migrations.AddField(
            model_name='jurisdiction',
            name='basis',
            field=models.CharField(choices=[('district', 'District'), ('concurrent_accreditation', 'Concurrent accreditation'), ('assumed', 'Assumed (no source found)')], default='district', max_length=30),
        ),
        migrations.AddConstraint(
            model_name='jurisdiction',
            constraint=models.CheckConstraint(condition=models.Q(('basis__in', ['district', 'concurrent_accreditation', 'assumed'])), name='jurisdiction_basis_valid'),
        ),
        migrations.RunPython(basis_fill, migrations.RunPython.noop),
        migrations.RunSQL(
            sql=["DROP FUNCTION IF EXISTS osc_route(float8, float8, text)", _route_sql.WITH_BASIS],
            reverse_sql=["DROP FUNCTION IF EXISTS osc_route(float8, float8, text)", _route_sql.WITH_NOTE],
        ),
    ]
