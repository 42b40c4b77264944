"""Case files are specific personal data, encrypted at rest (issue 14 × issue 12, ADR 0015):
what happened, what was done, the timeline's messages, referrals and the attached files.
The storage and the database hold nothing readable; the officer's logged view serves the
original; rotation moves it all to a new key."""

from __future__ import annotations

import importlib
from io import StringIO
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.exceptions import FieldError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from jembatan.accounts.models import User
from jembatan.core.encryption import current_key_id, key_id, stored_key_id
from jembatan.core.models import AccessLog, ChangeRecord
from jembatan.core.tests.upload_samples import plain_pdf
from jembatan.protection.files import read_content
from jembatan.protection.models import Case, CaseAttachment, CaseEvent, Referral
from jembatan.protection.services.handling import case_attach
from jembatan.protection.services.reporting import case_withdraw
from jembatan.protection.workflows import ANONYMOUS_REPORTER

pytestmark = pytest.mark.django_db
KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
MIGRATION = importlib.import_module("jembatan.protection.migrations.0003_encrypted_case_files")
PAYSLIP = plain_pdf()


def stored(model: type, pk: int, column: str) -> str:
    """The value as the database holds it, read past the ORM."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


def write_plain(model: type, pk: int, column: str, value: str) -> None:
    """A value as a release before encryption wrote it."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {model._meta.db_table} SET {column} = %s WHERE id = %s", [value, pk]
        )


def on_storage(attachment: CaseAttachment) -> bytes:
    """The bytes as the storage holds them: what a stolen disk or bucket shows."""
    with default_storage.open(attachment.file.name, "rb") as handle:
        return bytes(handle.read())


def attach(case: Case) -> CaseAttachment:
    upload = SimpleUploadedFile("slip.pdf", PAYSLIP, content_type="application/pdf")
    return case_attach(case=case, upload=upload, acting_user=ANONYMOUS_REPORTER)


def rotate() -> str:
    out = StringIO()
    call_command("encryption", "rotate", stdout=out)
    return out.getvalue()


def test_an_attached_file_cannot_be_read_from_the_storage(case: Case) -> None:
    attachment = attach(case)

    raw = on_storage(attachment)

    assert attachment.encryption_key == current_key_id()
    assert not raw.startswith(b"%PDF") and PAYSLIP not in raw
    assert read_content(attachment) == PAYSLIP


def test_the_officers_download_serves_the_original_and_logs_the_reading(
    case: Case, provincial_officer: User, client_for: Any
) -> None:
    attachment = attach(case)
    before = AccessLog.objects.count()

    response = client_for(provincial_officer).get(
        reverse("protection:attachment", args=[case.code, attachment.pk])
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PAYSLIP
    assert AccessLog.objects.count() == before + 1
    assert AccessLog.objects.latest("pk").purpose == "protection.attachment"


def test_the_database_holds_no_plaintext_of_what_happened(case: Case) -> None:
    raw = stored(Case, case.pk, "description")

    assert "Siti" not in raw and stored_key_id(raw) == current_key_id()
    assert Case.objects.get(pk=case.pk).description == (
        "My friend Siti has not been paid for two months."
    )


def test_the_database_holds_no_plaintext_of_who_reported(case: Case) -> None:
    raw = stored(Case, case.pk, "reporter_contact")

    assert "friend@example.org" not in raw and stored_key_id(raw) == current_key_id()
    assert Case.objects.get(pk=case.pk).reporter_contact == "friend@example.org"


def test_a_withdrawal_reason_reaches_neither_the_database_nor_the_trail_in_plaintext(
    case: Case,
) -> None:
    case_withdraw(case=case, reason="Siti went home sick.", acting_user=ANONYMOUS_REPORTER)

    record = ChangeRecord.objects.filter(operation="protection.case_withdraw").get()
    assert "sick" not in record.reason and "sick" not in str(record.changes)
    assert "sick" not in stored(Case, case.pk, "action_taken")
    assert Case.objects.get(pk=case.pk).action_taken == "Siti went home sick."
    event = case.events.get(kind="withdrawn")
    assert "sick" not in stored(CaseEvent, event.pk, "message")
    assert CaseEvent.objects.get(pk=event.pk).message == "Siti went home sick."


def test_case_text_cannot_be_searched_by_its_value() -> None:
    with pytest.raises(FieldError):
        list(Case.objects.filter(description__icontains="paid"))
    with pytest.raises(FieldError):
        list(Referral.objects.filter(answer="yes"))


def test_after_rotation_the_new_key_alone_reads_the_case_and_its_file(
    settings: Any, siti_abroad: Any, officers: None, django_capture_on_commit_callbacks: Any
) -> None:
    from jembatan.protection.models import CaseCategory, ReporterKind
    from jembatan.protection.services.reporting import Concerned, case_report

    settings.JEMBATAN_ENCRYPTION_KEYS = [KEY_A]
    case = case_report(
        reporter_kind=ReporterKind.ANONYMOUS,
        category=CaseCategory.UNPAID_WAGES,
        description="Passport kept by the employer.",
        concerned=Concerned(deployment=siti_abroad),
        language="id",
        acting_user=ANONYMOUS_REPORTER,
    ).case
    attachment = attach(case)
    assert attachment.encryption_key == key_id(KEY_A)

    settings.JEMBATAN_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    with django_capture_on_commit_callbacks(execute=True):
        printed = rotate()

    assert "protection.CaseAttachment.file: 1" in printed
    settings.JEMBATAN_ENCRYPTION_KEYS = [KEY_B]
    rotated = CaseAttachment.objects.get(pk=attachment.pk)
    assert rotated.encryption_key == key_id(KEY_B)
    assert read_content(rotated) == PAYSLIP
    assert Case.objects.get(pk=case.pk).description == "Passport kept by the employer."
    assert stored_key_id(stored(Case, case.pk, "description")) == key_id(KEY_B)
    assert not default_storage.exists(attachment.file.name)  # the old file is gone


def test_rotation_encrypts_a_file_stored_before_encryption(case: Case) -> None:
    name = default_storage.save("protection/old-slip", _bytes(PAYSLIP))
    attachment = attach(case)
    CaseAttachment.objects.filter(pk=attachment.pk).update(file=name, encryption_key="")

    rotate()

    again = CaseAttachment.objects.get(pk=attachment.pk)
    assert again.encryption_key == current_key_id()
    assert not on_storage(again).startswith(b"%PDF") and read_content(again) == PAYSLIP


def _bytes(content: bytes) -> Any:
    from django.core.files.base import ContentFile

    return ContentFile(content)


def test_the_migration_encrypts_a_case_written_before_and_its_way_back_decrypts_it(
    case: Case,
) -> None:
    write_plain(Case, case.pk, "description", "Dipukul oleh atasan.")

    MIGRATION.encrypt_existing(apps, None)

    raw = stored(Case, case.pk, "description")
    assert "Dipukul" not in raw and stored_key_id(raw) == current_key_id()
    assert Case.objects.get(pk=case.pk).description == "Dipukul oleh atasan."

    MIGRATION.decrypt_existing(apps, None)
    assert stored(Case, case.pk, "description") == "Dipukul oleh atasan."
