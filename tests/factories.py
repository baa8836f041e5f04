"""factory_boy factories for the project's models."""

from datetime import UTC, datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point

from incidents.services import incident_log


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@osc.example")
    password = factory.django.Password("correct-horse-battery")


def log_incident(*, reported_by, lat: float | None = None, lon: float | None = None, **kwargs):  # type: ignore[no-untyped-def]
    """Log a case through the real service (routing included)."""
    values = {
        "category": "crime",
        "severity": 2,
        "occurred_at": datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
        "summary": "Bag snatched",
        "location_text": "Pattaya, Thailand",
    }
    values.update(kwargs)
    location = Point(x=lon, y=lat, srid=4326) if lat is not None and lon is not None else None
    return incident_log(reported_by=reported_by, location=location, **values)
