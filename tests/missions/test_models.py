"""Mission and district constraints; the first routing rules."""

import pytest
from django.contrib.gis.geos import Point
from django.db import IntegrityError, transaction

from missions.models import Jurisdiction, Membership, Mission
from missions.routing import route


@pytest.mark.django_db
def test_one_mission_per_country_and_admin1():
    existing = Jurisdiction.objects.select_related("country").first()
    other = Mission.objects.exclude(pk=existing.mission_id).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Jurisdiction.objects.create(mission=other, country=existing.country, admin1_code=existing.admin1_code)


@pytest.mark.django_db
def test_mission_cannot_be_its_own_parent():
    mission = Mission.objects.get(code="emb-th-bangkok")
    with pytest.raises(IntegrityError), transaction.atomic():
        Mission.objects.filter(pk=mission.pk).update(parent=mission)


@pytest.mark.django_db
def test_membership_unique_per_user_and_mission(bangkok_staff):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=bangkok_staff, mission=Mission.objects.get(code="emb-th-bangkok"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lat", "lon", "mission"),
    [
        (12.9276, 100.8771, "emb-th-bangkok"),
        (34.6937, 135.5023, "cg-jp-osaka"),
        (40.7128, -74.0060, "cg-us-new-york"),
        (-33.8688, 151.2093, "cg-au-sydney"),
    ],
)
def test_route_by_point(lat, lon, mission):
    decision = route(point=Point(x=lon, y=lat, srid=4326))
    assert decision.mission is not None and decision.mission.code == mission
    assert mission in decision.reason


@pytest.mark.django_db
def test_route_unknown_goes_to_duty_officer():
    decision = route(point=None, country_iso2=None)
    assert decision.mission is None and "duty officer" in decision.reason
    mid_pacific = route(point=Point(x=-140.0, y=0.0, srid=4326))
    assert mid_pacific.mission is None and "duty officer" in mid_pacific.reason


def test_jurisdiction_basis_of_reads_the_note():
    from missions.models import JurisdictionBasis, jurisdiction_basis_of

    assert jurisdiction_basis_of("concurrent accreditation; assumed") == JurisdictionBasis.CONCURRENT_ACCREDITATION
    assert jurisdiction_basis_of("dependent territory of GB; assumed") == JurisdictionBasis.ASSUMED
    assert jurisdiction_basis_of("consular district") == JurisdictionBasis.DISTRICT


@pytest.mark.django_db
def test_jurisdiction_basis_is_loaded_and_constrained():
    from django.db import IntegrityError, transaction

    from missions.models import Jurisdiction, JurisdictionBasis

    assert Jurisdiction.objects.filter(basis=JurisdictionBasis.CONCURRENT_ACCREDITATION).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        Jurisdiction.objects.filter(pk=Jurisdiction.objects.first().pk).update(basis="rumour")
