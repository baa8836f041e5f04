"""Masked forms of personal data for lists and case pages: `M1234****`, `+82 10-****-5678`, `****-**-**`."""

from collections.abc import Callable
from datetime import date
from typing import Any

import phonenumbers
from rest_framework import serializers

MASK = "*"


def mask_passport(value: str) -> str:
    """Keep the first characters (at most 5, always at least 4 hidden): M12345678 → M1234****."""
    if not value:
        return ""
    shown = max(0, min(5, len(value) - 4))
    return value[:shown] + MASK * (len(value) - shown)


def mask_phone(value: str) -> str:
    """Country code, first group and last 4 digits: +821012345678 → +82 10-****-5678."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, None)
        text = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        text = value
    head, _, national = text.partition(" ") if text.startswith("+") and " " in text else ("", "", text)
    digit_positions = [i for i, ch in enumerate(national) if ch.isdigit()]
    first_group_end = next((i for i, ch in enumerate(national) if not ch.isdigit()), len(national))
    keep = {i for i in digit_positions if i < first_group_end} | set(digit_positions[-4:])
    if len(keep) >= len(digit_positions):
        keep = set(digit_positions[-2:])
    masked = "".join(MASK if i in digit_positions and i not in keep else ch for i, ch in enumerate(national))
    return f"{head} {masked}" if head else masked


def mask_date(value: date | None) -> str | None:
    return None if value is None else "****-**-**"


class MaskedCharField(serializers.CharField):
    """Output-only text shown masked (the mask function is given)."""

    def __init__(self, *, mask: Callable[[str], str], **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)
        self.mask = mask

    def to_representation(self, value: Any) -> str:
        return self.mask(str(value))


class MaskedDateField(serializers.CharField):
    """Output-only date shown as `****-**-**` (null when absent)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    # Masked values may be null; the stubs type Field.to_representation as returning str.
    def to_representation(self, value: Any) -> str | None:  # type: ignore[override]
        return mask_date(value)
