"""Model fields that encrypt personal data at rest, transparently to the ORM.

Python code reads and writes plain values (str, date); the column holds a Fernet token
(safety.privacy.crypto). An empty value is stored empty (str) or NULL (date), so "no passport given"
stays visible without a key. Tokens are randomised, so these columns cannot be searched or
compared in SQL: every lookup except `isnull` raises FieldError.
"""

from datetime import date
from typing import Any

from django.core import validators
from django.core.exceptions import FieldError, ValidationError
from django.db import models
from django.db.models import Lookup
from django.utils.dateparse import parse_date

from safety.privacy.crypto import decrypt_str, encrypt_str


class _EncryptedMixin:
    """Shared behaviour: text column, encrypt on the way in, decrypt on the way out."""

    encrypted = True
    empty_values_stored = ("", None)

    def db_type(self, connection: Any) -> str:
        return "text"

    def get_internal_type(self) -> str:
        return "TextField"

    def get_lookup(self, lookup_name: str) -> type[Lookup] | None:
        if lookup_name == "isnull":
            # A mixin: get_lookup comes from the Field class it is combined with.
            return super().get_lookup(lookup_name)  # type: ignore[misc]
        raise FieldError(f"{self!r} is encrypted: it cannot be filtered with __{lookup_name}.")

    def get_transform(self, lookup_name: str) -> Any:
        raise FieldError(f"{self!r} is encrypted: it has no transform {lookup_name}.")

    def _plain_to_text(self, value: Any) -> str:
        raise NotImplementedError

    def _text_to_plain(self, text: str) -> Any:
        raise NotImplementedError

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            # A mixin: to_python comes from the Field class it is combined with.
            return self.to_python(value)  # type: ignore[attr-defined]
        return self._text_to_plain(decrypt_str(value))

    def get_prep_value(self, value: Any) -> str | None:
        # A mixin: to_python comes from the Field class it is combined with.
        value = self.to_python(value)  # type: ignore[attr-defined]
        if value is None or value == "":
            return value
        return encrypt_str(self._plain_to_text(value))


class EncryptedTextField(_EncryptedMixin, models.TextField):
    """A short text (passport number, phone) stored encrypted; `max_length` is checked on the plain value."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        # A one-line input (TextField would give a textarea): these are short values.
        return models.Field.formfield(self, **{"form_class": forms.CharField, "max_length": self.max_length, **kwargs})

    def to_python(self, value: Any) -> str:
        if value is None:
            return ""
        return str(value)

    def _plain_to_text(self, value: Any) -> str:
        return str(value)

    def _text_to_plain(self, text: str) -> str:
        return text


class EncryptedDateField(_EncryptedMixin, models.DateField):
    """A date (date of birth) stored encrypted as its ISO form; NULL when absent."""

    def to_python(self, value: Any) -> date | None:
        if value is None or value == "":
            return None
        if isinstance(value, date):
            return value
        parsed = parse_date(str(value))
        if parsed is None:
            raise ValidationError("Enter a valid date.", code="invalid")
        return parsed

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        return getattr(model_instance, self.attname)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        return value if prepared else self.get_prep_value(value)

    def _plain_to_text(self, value: Any) -> str:
        return value.isoformat()

    def _text_to_plain(self, text: str) -> date | None:
        return self.to_python(text)
