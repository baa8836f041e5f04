"""Input fields shared by every API: aware date-times, phone numbers, ISO country codes, coordinates."""

import math
from datetime import UTC, datetime
from typing import Any

import phonenumbers
from django.utils import timezone
from rest_framework import serializers

from safety.geo.models import Country


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 date-time that must carry its offset; returned in UTC."""

    default_error_messages = {"naive": "Give a time zone offset (e.g. 2026-03-01T14:30:00+07:00 or Z)."}

    def to_internal_value(self, value: Any) -> datetime:
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            except ValueError:
                parsed = None
            if parsed is not None and timezone.is_naive(parsed):
                self.fail("naive")
        elif isinstance(value, datetime) and timezone.is_naive(value):
            self.fail("naive")
        result = super().to_internal_value(value)
        return result.astimezone(UTC)


def phone_normalize(raw: str, *, default_region: str = "KR") -> str:
    """E.164 form of a phone number; ValueError with the reason if it is not a valid number."""
    try:
        number = phonenumbers.parse(raw, default_region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"not a phone number ({exc})") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class PhoneField(serializers.CharField):
    """A phone number in any common notation (national numbers read as Korean); stored as E.164."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        if value == "":
            return value
        try:
            return phone_normalize(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc


class CountryCodeField(serializers.CharField):
    """An ISO 3166-1 alpha-2 code of a loaded country."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 2)
        kwargs.setdefault("min_length", 2)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data).upper()
        if not Country.objects.filter(iso2=value).exists():
            raise serializers.ValidationError(f"unknown country code {value!r}")
        return value


class FiniteFloatField(serializers.FloatField):
    def to_internal_value(self, data: Any) -> float:
        value = super().to_internal_value(data)
        if not math.isfinite(value):
            self.fail("invalid")
        return value


class LatitudeField(FiniteFloatField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=-90.0, max_value=90.0, **kwargs)


class LongitudeField(FiniteFloatField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=-180.0, max_value=180.0, **kwargs)


class UTCDateTimeField(serializers.DateTimeField):
    """Output of a date-time in UTC (ISO 8601 with Z), whatever the active time zone."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("default_timezone", UTC)
        super().__init__(**kwargs)
