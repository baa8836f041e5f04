"""seed_demo: plausible, routed, marked demo cases that --clear removes."""

from collections import Counter

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command

from incidents.demo.cases import DEMO_SOURCE
from incidents.models import Incident
from missions.routing import route


@pytest.mark.django_db
def test_seed_demo_writes_routed_marked_cases_and_clear_removes_them(operator):
    call_command("seed_demo", incidents=2000, years=2)
    seeded = Incident.objects.filter(geocode_source=DEMO_SOURCE)
    assert seeded.count() == 2000
    categories = Counter(seeded.values_list("category", flat=True))
    assert categories.most_common(1)[0][0] == "crime" and categories["terrorism"] < categories["accident"]
    countries = Counter(seeded.values_list("country__iso2", flat=True))
    assert countries.most_common(1)[0][0] == "JP"
    for incident in seeded.exclude(responsible_mission=None).select_related("responsible_mission", "country"):
        name = incident.location_text.rsplit(",", 1)[0]
        assert incident.routing_reason
        assert incident.acknowledged_at is None or incident.acknowledged_at > incident.created_at
        place = route(point=Point(x=incident.location.x, y=incident.location.y, srid=4326))
        assert place.country_iso2 == incident.country.iso2, name
    assert not seeded.filter(persons__isnull=False).exists()
    kept = Incident.objects.exclude(geocode_source=DEMO_SOURCE).count()
    call_command("seed_demo", clear=True)
    assert not Incident.objects.filter(geocode_source=DEMO_SOURCE).exists()
    assert Incident.objects.count() == kept
