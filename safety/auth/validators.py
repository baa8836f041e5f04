"""Password validators added to Django's: an upper length bound and a minimum of distinct characters.

No composition rules (upper case, digits, symbols): OWASP ASVS 2.1.9 and NIST 800-63B advise
against them; length, the common-password list and these checks do the work instead.
"""

from typing import Any

from django.core.exceptions import ValidationError


class MaximumLengthValidator:
    """Refuse passwords longer than max_length (ASVS 2.1.2: at least 64 allowed; bounds hashing cost)."""

    def __init__(self, max_length: int = 128) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                f"This password is longer than {self.max_length} characters.", code="password_too_long"
            )

    def get_help_text(self) -> str:
        return f"Your password can be at most {self.max_length} characters long."


class DistinctCharactersValidator:
    """Refuse passwords made of a few characters repeated ("aaaaaaaaaaaa", "abababababab")."""

    def __init__(self, min_distinct: int = 6) -> None:
        self.min_distinct = min_distinct

    def validate(self, password: str, user: Any = None) -> None:
        if len(set(password)) < self.min_distinct:
            raise ValidationError(
                f"This password uses fewer than {self.min_distinct} different characters.",
                code="password_too_repetitive",
            )

    def get_help_text(self) -> str:
        return f"Your password must use at least {self.min_distinct} different characters."
