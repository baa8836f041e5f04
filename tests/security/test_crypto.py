"""Personal data at rest: encrypted columns, transparent to the ORM, key rotation, migration of clear rows."""

import importlib
from datetime import date

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from incidents.models import AffectedPerson, Caller
from incidents.services import CallerInput, PersonInput
from safety.models import AuditEntry
from safety.privacy.crypto import decrypt_str, encrypt_str, looks_encrypted
from tests.factories import log_incident

PASSPORT = "M12345678"
PHONE = "+821012345678"
BIRTH = date(1988, 7, 14)


def raw_row(table: str, pk: int) -> dict[str, object]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])  # noqa: S608
        columns = [c.name for c in cursor.description]
        return dict(zip(columns, cursor.fetchone(), strict=True))


@pytest.fixture
def case_with_person(operator):  # type: ignore[no-untyped-def]
    return log_incident(
        reported_by=operator,
        lat=12.93,
        lon=100.88,
        persons=[
            PersonInput(name="김민수", date_of_birth=BIRTH, passport_number=PASSPORT, contact=PHONE, status="safe")
        ],
        callers=[CallerInput(name="김영희", phone="+821098765432", relation="mother")],
    )


@pytest.mark.django_db
def test_raw_row_holds_no_readable_personal_data(case_with_person):
    person = case_with_person.persons.get()
    row = raw_row("incidents_affectedperson", person.pk)
    for column, clear in [("passport_number", PASSPORT), ("contact", PHONE), ("date_of_birth", BIRTH.isoformat())]:
        stored = row[column]
        assert isinstance(stored, str) and looks_encrypted(stored), column
        assert clear not in stored and "12345678" not in stored
        assert decrypt_str(stored) == clear
    caller_row = raw_row("incidents_caller", case_with_person.callers.get().pk)
    assert "9876" not in caller_row["phone"] and decrypt_str(caller_row["phone"]) == "+821098765432"
    # Names are not encrypted (they are searched); the row still reads back as plain values.
    assert row["name"] == "김민수"


@pytest.mark.django_db
def test_orm_reads_and_writes_plain_values(case_with_person):
    person = AffectedPerson.objects.get(incident=case_with_person)
    assert (person.passport_number, person.contact, person.date_of_birth) == (PASSPORT, PHONE, BIRTH)
    person.passport_number = "K7654321"
    person.date_of_birth = None
    person.save()
    again = AffectedPerson.objects.get(pk=person.pk)
    assert again.passport_number == "K7654321" and again.date_of_birth is None
    assert raw_row("incidents_affectedperson", person.pk)["date_of_birth"] is None
    assert AffectedPerson.objects.filter(date_of_birth__isnull=True).filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_same_value_encrypts_differently_so_rows_cannot_be_linked():
    assert encrypt_str(PASSPORT) != encrypt_str(PASSPORT)


@pytest.mark.django_db
@pytest.mark.parametrize("lookup", ["passport_number", "passport_number__icontains", "contact__startswith"])
def test_encrypted_columns_refuse_lookups(lookup):
    with pytest.raises(FieldError):
        list(AffectedPerson.objects.filter(**{lookup: PASSPORT}))


@pytest.mark.django_db
def test_model_validation_replaces_the_check_constraint(case_with_person):
    from django.core.exceptions import ValidationError

    bad = Caller(incident=case_with_person, name="x", phone="010-1234")
    with pytest.raises(ValidationError) as excinfo:
        bad.full_clean()
    assert "phone" in excinfo.value.message_dict
    person = AffectedPerson(incident=case_with_person, name="y", passport_number="m-1", contact="12")
    with pytest.raises(ValidationError) as excinfo:
        person.full_clean()
    assert {"passport_number", "contact"} <= set(excinfo.value.message_dict)


@pytest.mark.django_db
def test_without_keys_nothing_is_stored_in_clear(settings, operator):
    settings.OSC_DATA_KEYS = []
    with pytest.raises(ImproperlyConfigured):
        log_incident(reported_by=operator, lat=12.93, lon=100.88, persons=[PersonInput(name="a", contact=PHONE)])
    assert not AffectedPerson.objects.exists()


@pytest.mark.django_db
def test_rotation_first_key_encrypts_all_decrypt_and_command_reencrypts(settings, case_with_person):
    old_keys = list(settings.OSC_DATA_KEYS)
    new_key = Fernet.generate_key().decode()
    person = case_with_person.persons.get()
    before = raw_row("incidents_affectedperson", person.pk)["passport_number"]

    settings.OSC_DATA_KEYS = [new_key, *old_keys]
    assert AffectedPerson.objects.get(pk=person.pk).passport_number == PASSPORT  # old key still decrypts
    call_command("rotate_personal_data_keys", "--batch-size", "1")
    after = raw_row("incidents_affectedperson", person.pk)["passport_number"]
    assert after != before
    Fernet(new_key.encode()).decrypt(after.encode())  # now under the new key

    settings.OSC_DATA_KEYS = [new_key]  # old keys dropped: everything still reads
    person = AffectedPerson.objects.get(pk=person.pk)
    assert (person.passport_number, person.contact, person.date_of_birth) == (PASSPORT, PHONE, BIRTH)
    assert Caller.objects.get(incident=case_with_person).phone == "+821098765432"
    entry = AuditEntry.objects.get(action="key_rotation")
    assert entry.detail["incidents_affectedperson"] >= 3 and entry.detail["incidents_caller"] >= 1


@pytest.mark.django_db
def test_migration_encrypts_rows_written_in_clear(case_with_person):
    migration = importlib.import_module("incidents.migrations.0004_encrypt_personal_data_and_retention")
    person = case_with_person.persons.get()
    with connection.cursor() as cursor:  # a row as the previous schema stored it
        cursor.execute(
            "UPDATE incidents_affectedperson SET passport_number = %s, contact = %s, date_of_birth = %s WHERE id = %s",
            [PASSPORT, PHONE, BIRTH.isoformat(), person.pk],
        )
    with connection.schema_editor() as editor:
        migration.encrypt_existing(None, editor)
        migration.encrypt_existing(None, editor)  # idempotent: encrypted values are left alone
    row = raw_row("incidents_affectedperson", person.pk)
    assert all(looks_encrypted(row[c]) for c in ("passport_number", "contact", "date_of_birth"))
    person = AffectedPerson.objects.get(pk=person.pk)
    assert (person.passport_number, person.contact, person.date_of_birth) == (PASSPORT, PHONE, BIRTH)
