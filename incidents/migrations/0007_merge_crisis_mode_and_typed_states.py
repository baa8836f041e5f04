"""Merge of the crisis-mode and typed-state migrations."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('incidents', '0006_crisis_mode'),
        ('incidents', '0006_typed_geocode_status_and_routing_method'),
    ]

    operations = [
    ]
