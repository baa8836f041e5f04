"""Cost of encrypted personal-data fields: reading N persons with and without decrypting them.

Run: DJANGO_SETTINGS_MODULE=safety.settings.local .venv/bin/python bench/crypto_fields.py [N]
Writes N persons inside a transaction that is rolled back; prints per-row times and the ratio.
"""

import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safety.settings.local")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
django.setup()

from datetime import date  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402

from incidents.models import AffectedPerson  # noqa: E402
from incidents.services import incident_log  # noqa: E402
from safety.privacy.crypto import decrypt_str, encrypt_str  # noqa: E402


class Rollback(Exception):
    pass


def timed(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def main(n: int) -> None:
    token = encrypt_str("M12345678")
    per_encrypt = timed(lambda: [encrypt_str("M12345678") for _ in range(1000)]) / 1000
    per_decrypt = timed(lambda: [decrypt_str(token) for _ in range(1000)]) / 1000
    print(f"encrypt one value: {per_encrypt * 1e6:.1f} µs, decrypt: {per_decrypt * 1e6:.1f} µs")
    try:
        with transaction.atomic():
            user = get_user_model().objects.create(username="bench-crypto")
            from django.utils import timezone

            incident = incident_log(
                reported_by=user,
                category="crime",
                severity=2,
                occurred_at=timezone.now(),
                summary="bench",
                country_iso2="TH",
            )
            AffectedPerson.objects.bulk_create(
                AffectedPerson(
                    incident=incident,
                    name=f"person {i}",
                    date_of_birth=date(1980, 1, 1),
                    passport_number=f"M{i:08d}",
                    contact="+821012345678",
                )
                for i in range(n)
            )
            queryset = AffectedPerson.objects.filter(incident=incident)
            plain = timed(lambda: list(queryset.values_list("id", "name", "nationality", "status")))
            encrypted = timed(
                lambda: list(queryset.values_list("id", "name", "passport_number", "contact", "date_of_birth"))
            )
            models = timed(lambda: list(queryset.all()))
            print(
                f"{n} persons: plain columns {plain * 1e3:.1f} ms, with 3 encrypted columns "
                f"{encrypted * 1e3:.1f} ms (x{encrypted / plain:.1f}), full models {models * 1e3:.1f} ms"
            )
            print(f"per person read with decryption: {encrypted / n * 1e6:.0f} µs")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
