"""Encryption of personal data at rest: Fernet keys from settings.OSC_DATA_KEYS, rotation with MultiFernet.

The first key encrypts; every listed key decrypts. Rotation: put a new key first, keep the old
ones after it, run `manage.py rotate_personal_data_keys`, then drop the old keys.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Every Fernet token starts with the version byte 0x80, which base64url-encodes to "gAAAAA".
FERNET_PREFIX = "gAAAAA"


class PersonalDataUndecryptable(Exception):
    """A stored value could not be decrypted with any configured key (wrong or missing key)."""


def generate_key() -> str:
    """A new random key, in the form OSC_DATA_KEYS expects."""
    return Fernet.generate_key().decode("ascii")


def configured_keys() -> tuple[str, ...]:
    keys = getattr(settings, "OSC_DATA_KEYS", None) or []
    if isinstance(keys, str):
        keys = [k for k in keys.split(",")]
    return tuple(k.strip() for k in keys if k and k.strip())


@lru_cache(maxsize=8)
def _multifernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("OSC_DATA_KEYS is empty: personal data cannot be encrypted or read.")
    try:
        return MultiFernet([Fernet(key.encode("ascii")) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "OSC_DATA_KEYS holds a value that is not a Fernet key (32 url-safe base64 bytes)."
        ) from exc


def keys_problem() -> str | None:
    """None when the configured keys are usable, else what is wrong with them (for system checks)."""
    try:
        _multifernet(configured_keys())
    except ImproperlyConfigured as exc:
        return str(exc)
    return None


def encrypt_str(plain: str) -> str:
    """The Fernet token of a text (random IV: two encryptions of one value differ)."""
    return _multifernet(configured_keys()).encrypt(plain.encode("utf-8")).decode("ascii")


def decrypt_str(token: str) -> str:
    """The text of a token, trying every configured key; PersonalDataUndecryptable if none fits."""
    try:
        return _multifernet(configured_keys()).decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise PersonalDataUndecryptable("stored personal data cannot be decrypted with OSC_DATA_KEYS") from exc


def rotate_token(token: str) -> str:
    """The same value re-encrypted with the first key (a no-op in content, new ciphertext)."""
    try:
        return _multifernet(configured_keys()).rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise PersonalDataUndecryptable("stored personal data cannot be decrypted with OSC_DATA_KEYS") from exc


def looks_encrypted(stored: str) -> bool:
    return stored.startswith(FERNET_PREFIX)
