"""Incident.geocode_status and Incident.routing_method as typed fields, filled from the old strings."""

from typing import Any

from django.conf import settings
from django.db import migrations, models

# Values of geocode_source before this migration that were states, not provider names.
_SOURCE_STATES = {"pending": "pending", "pin": "pin", "manual": "manual", "seed_demo": "demo"}


def geocode_status_of(*, source: str, has_point: bool) -> str:
    """The geocode status an existing row had, told by its geocode_source and whether it has a point."""
    if source in _SOURCE_STATES:
        return _SOURCE_STATES[source]
    if has_point:
        return "geocoded"
    return "not_found" if source else "none"


def routing_method_of(*, reason: str, has_mission: bool) -> str:
    """The routing method an existing row had, told by the reason text routing (and overrides) wrote."""
    if reason.startswith("manual: "):
        return "manual"
    if not has_mission:
        return "unroutable"
    if "in district area" in reason:
        return "district_area"
    if "concurrent accreditation" in reason and "has no resident mission" in reason:
        return "concurrent_accreditation"
    if reason.startswith("by the country given"):
        return "concurrent_accreditation" if "concurrent accreditation" in reason else "country_given"
    if reason.startswith("off every boundary"):
        return "nearest_country"
    if "no district row" in reason:
        return "embassy_fallback"
    return "district"


def states_fill(apps: Any, schema_editor: Any) -> None:
    incident = apps.get_model("incidents", "Incident")
    rows = incident.objects.values_list("pk", "geocode_source", "location", "routing_reason", "responsible_mission_id")
    for pk, source, location, reason, mission_id in rows.iterator(chunk_size=2000):
        incident.objects.filter(pk=pk).update(
            geocode_status=geocode_status_of(source=source, has_point=location is not None),
            routing_method=routing_method_of(reason=reason, has_mission=mission_id is not None),
        )


class Migration(migrations.Migration):

    dependencies = [
        ('geo', '0002_placename_search_and_geocode_cache'),
        ('incidents', '0005_merge_alerts_and_encryption'),
        ('missions', '0005_jurisdiction_basis'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='incident',
            name='geocode_status',
            field=models.CharField(choices=[('geocoded', 'Geocoded'), ('pending', 'Waiting to be geocoded again'), ('not_found', 'Place not found'), ('pin', 'Pin given at intake'), ('manual', 'Pin corrected by hand'), ('none', 'No place given'), ('demo', 'Demo data')], default='none', max_length=20),
        ),
        migrations.AddField(
            model_name='incident',
            name='routing_method',
            field=models.CharField(choices=[('district_area', 'District area polygon'), ('district', 'District'), ('concurrent_accreditation', 'Concurrent accreditation'), ('embassy_fallback', 'Embassy of the country'), ('nearest_country', 'Nearest country'), ('country_given', 'Country given'), ('unroutable', 'Unroutable (HQ duty officer)'), ('manual', 'Chosen by hand')], default='unroutable', max_length=30),
        ),
        migrations.RunPython(states_fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='incident',
            index=models.Index(condition=models.Q(('geocode_status', 'pending')), fields=['geocode_status'], name='incident_geocode_pending'),
        ),
        migrations.AddConstraint(
            model_name='incident',
            constraint=models.CheckConstraint(condition=models.Q(('geocode_status__in', ['geocoded', 'pending', 'not_found', 'pin', 'manual', 'none', 'demo'])), name='incident_geocode_status_valid'),
        ),
        migrations.AddConstraint(
            model_name='incident',
            constraint=models.CheckConstraint(condition=models.Q(('routing_method__in', ['district_area', 'district', 'concurrent_accreditation', 'embassy_fallback', 'nearest_country', 'country_given', 'unroutable', 'manual'])), name='incident_routing_method_valid'),
        ),
    ]
