"""System checks of the security configuration (run by `manage.py check`, and at start-up)."""

from typing import Any

from django.core.checks import Error, register

from safety.privacy.crypto import keys_problem


@register("security")
def check_personal_data_keys(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """OSC_DATA_KEYS must hold at least one valid Fernet key, or personal data cannot be stored."""
    problem = keys_problem()
    if problem is None:
        return []
    return [
        Error(
            problem,
            hint='Generate one with: python -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())"',
            id="safety.E001",
        )
    ]
