"""Writes of travel advisories; each function is one transaction and validates the whole row."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safety.advisories.exceptions import AdvisoryInvalid
from safety.advisories.models import Advisory, Level
from safety.geo.models import Country


def _check(advisory: Advisory) -> None:
    if advisory.valid_from and timezone.is_naive(advisory.valid_from):
        raise AdvisoryInvalid("valid_from must carry a time zone.", fields={"valid_from": ["naive date-time"]})
    if advisory.valid_to and timezone.is_naive(advisory.valid_to):
        raise AdvisoryInvalid("valid_to must carry a time zone.", fields={"valid_to": ["naive date-time"]})
    if advisory.valid_to is not None and advisory.valid_to <= advisory.valid_from:
        raise AdvisoryInvalid("valid_to must be after valid_from.", fields={"valid_to": ["must be after valid_from"]})
    if advisory.level == Level.SPECIAL and advisory.valid_to is None:
        raise AdvisoryInvalid(
            "A special advisory is time-limited: give valid_to.", fields={"valid_to": ["required for special"]}
        )
    try:
        advisory.full_clean(exclude=["country"])
    except ValidationError as exc:
        raise AdvisoryInvalid("Invalid advisory.", fields=exc.message_dict) from exc


def _country(iso2: str) -> Country:
    country = Country.objects.filter(iso2=iso2.upper()).first()
    if country is None:
        raise AdvisoryInvalid("Unknown country.", fields={"country": [f"unknown country code {iso2!r}"]})
    return country


@transaction.atomic
def advisory_create(
    *,
    country_iso2: str,
    level: Level | str,
    valid_from: datetime,
    valid_to: datetime | None = None,
    admin1_code: str = "",
    note: str = "",
) -> Advisory:
    advisory = Advisory(
        country=_country(country_iso2),
        admin1_code=admin1_code,
        level=str(level),
        valid_from=valid_from,
        valid_to=valid_to,
        note=note,
    )
    _check(advisory)
    advisory.save()
    return advisory


ADVISORY_FIELDS = ("country", "admin1_code", "level", "valid_from", "valid_to", "note")


@transaction.atomic
def advisory_update(*, advisory: Advisory, changes: dict[str, Any]) -> Advisory:
    unknown = set(changes) - set(ADVISORY_FIELDS)
    if unknown:
        raise AdvisoryInvalid("These fields cannot be changed.", fields={n: ["read-only"] for n in sorted(unknown)})
    advisory = Advisory.objects.select_for_update().select_related("country").get(pk=advisory.pk)
    for name, value in changes.items():
        if name == "country":
            advisory.country = _country(value)
        else:
            setattr(advisory, name, str(value) if name == "level" else value)
    _check(advisory)
    advisory.save()
    return advisory


@transaction.atomic
def advisory_delete(*, advisory: Advisory) -> None:
    Advisory.objects.filter(pk=advisory.pk).delete()
