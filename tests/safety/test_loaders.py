"""Reference data: counts, codes and idempotent reloads."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from missions.loaders import missions_load
from missions.models import Jurisdiction, Mission
from safety.geo.loaders import countries_load, places_load
from safety.geo.models import Country, CountryPiece, Place


@pytest.mark.django_db
def test_reference_status_json_has_counts_and_sources():
    out = StringIO()
    call_command("reference_status", "--json", stdout=out)
    status = json.loads(out.getvalue())
    assert status["countries"] >= 240
    assert status["places"] >= 200_000
    assert status["missions"] >= 180
    assert status["jurisdictions"] == 785
    for name in ("places", "countries", "missions", "jurisdictions"):
        assert status["datasets"][name]["source"]
        assert status["datasets"][name]["version"]


@pytest.mark.django_db
def test_every_jurisdiction_country_is_loaded_with_a_boundary_or_known_gap():
    codes = set(Jurisdiction.objects.values_list("country__iso2", flat=True))
    assert len(codes) == 239
    without = set(Country.objects.filter(iso2__in=codes, boundary__isnull=True).values_list("iso2", flat=True))
    # Natural Earth 10m draws no polygon that holds these islands' gazetteer places.
    assert without <= {"CC", "CX", "SJ", "TK"}


@pytest.mark.django_db
def test_natural_earth_minus_99_codes_resolved():
    assert Country.objects.get(iso2="FR").boundary is not None
    assert Country.objects.get(iso2="NO").boundary is not None
    assert Country.objects.get(iso2="XK").boundary is not None
    assert Country.objects.get(iso2="FR").name_ko == "프랑스"
    assert not Country.objects.filter(iso2="-9").exists()
    # French overseas departments are cut out of France by the places they hold.
    from django.contrib.gis.geos import Point

    guadeloupe = Point(x=-61.53, y=16.24, srid=4326)
    assert Country.objects.get(iso2="GP").boundary.intersects(guadeloupe)
    assert not Country.objects.get(iso2="FR").boundary.intersects(guadeloupe)


@pytest.mark.django_db
def test_pieces_are_small_and_cover_the_boundary():
    country = Country.objects.get(iso2="RU")
    pieces = CountryPiece.objects.filter(country=country)
    assert pieces.count() > 50
    assert max(p.geom.num_points for p in pieces) <= 256 + 5
    assert abs(sum(p.geom.area for p in pieces) - country.boundary.area) < 1e-6 * country.boundary.area + 1e-9


@pytest.mark.django_db
def test_missions_have_parents_and_korean_names():
    osaka = Mission.objects.get(code="cg-jp-osaka")
    assert osaka.parent.code == "emb-jp-tokyo"
    assert osaka.name_ko.startswith("주")
    assert Mission.objects.get(code="emb-va-rome").country.iso2 == "VA"


@pytest.mark.django_db
def test_loaders_are_idempotent_run_twice_same_counts():
    before = (
        Place.objects.count(),
        Country.objects.count(),
        CountryPiece.objects.count(),
        Mission.objects.count(),
        Jurisdiction.objects.count(),
    )
    assert places_load().skipped and countries_load().skipped and missions_load().skipped
    countries_load(force=True)
    missions_load(force=True)
    missions_load(force=True)
    places_load(force=True)
    after = (
        Place.objects.count(),
        Country.objects.count(),
        CountryPiece.objects.count(),
        Mission.objects.count(),
        Jurisdiction.objects.count(),
    )
    assert after == before
