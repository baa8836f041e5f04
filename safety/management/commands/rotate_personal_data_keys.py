"""Re-encrypt every encrypted column with the first key of OSC_DATA_KEYS (after adding a new key first)."""

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction

from safety.models import AuditAction
from safety.privacy.audit import audit_record
from safety.privacy.crypto import rotate_token


def encrypted_columns() -> list[tuple[str, str, list[str]]]:
    """(table, primary-key column, encrypted columns) of every model with encrypted fields."""
    found = []
    for model in apps.get_models():
        columns = [str(f.column) for f in model._meta.concrete_fields if getattr(f, "encrypted", False)]
        if columns and model._meta.pk is not None:
            found.append((model._meta.db_table, str(model._meta.pk.column), columns))
    return found


def rotate_table(*, table: str, pk: str, columns: list[str], batch_size: int) -> int:
    """Re-encrypt the non-empty values of `columns`, batch by batch (one transaction each); returns values done."""
    qn = connection.ops.quote_name
    done = 0
    last = None
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            where = f"WHERE {qn(pk)} > %s" if last is not None else ""
            cursor.execute(
                f"SELECT {qn(pk)}, {', '.join(qn(c) for c in columns)} FROM {qn(table)} {where} "  # noqa: S608
                f"ORDER BY {qn(pk)} LIMIT %s FOR UPDATE",
                [last, batch_size] if last is not None else [batch_size],
            )
            rows = cursor.fetchall()
            if not rows:
                return done
            for row in rows:
                changes = {col: rotate_token(val) for col, val in zip(columns, row[1:], strict=True) if val}
                if changes:
                    cursor.execute(
                        f"UPDATE {qn(table)} SET {', '.join(f'{qn(c)} = %s' for c in changes)} "  # noqa: S608
                        f"WHERE {qn(pk)} = %s",
                        [*changes.values(), row[0]],
                    )
                    done += len(changes)
            last = rows[-1][0]


class Command(BaseCommand):
    help = "Re-encrypt personal data with the first key of OSC_DATA_KEYS; afterwards the old keys can go."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args: Any, **options: Any) -> None:
        counts = {}
        for table, pk, columns in encrypted_columns():
            counts[table] = rotate_table(table=table, pk=pk, columns=columns, batch_size=options["batch_size"])
            self.stdout.write(f"{table}: {counts[table]} values re-encrypted")
        audit_record(
            actor=None, action=AuditAction.KEY_ROTATION, object_type="data_keys", object_ref="all", detail=counts
        )
