"""Files of specific personal data (medical results, police records) are stored encrypted:
the storage holds nothing readable, the logged views serve the original, and rotation
moves everything to a new key (ADR 0015)."""

from __future__ import annotations

import io
from io import StringIO
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from jembatan.core.encryption import DecryptionFailed, key_id
from jembatan.core.models import AccessLog, ChangeRecord
from jembatan.demand.factories import FeeRuleFactory
from jembatan.deployment.factories import deployment_for, make_ready
from jembatan.deployment.models import PreDepartureStep, StepKind
from jembatan.documents.files import read_content
from jembatan.documents.models import Document, DocumentKind
from jembatan.documents.services import documents_reencrypt_batch
from jembatan.documents.tests.conftest import make_image, make_pdf

pytestmark = pytest.mark.django_db
KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
MEDICAL_PDF = make_pdf("Hasil MCU Hepatitis negatif")


def medical_key() -> str:
    """The key the test settings encrypt with."""
    return str(settings.JEMBATAN_ENCRYPTION_KEYS[0])


def on_storage(document: Document) -> bytes:
    """The bytes as the storage holds them: what a stolen disk or bucket shows."""
    with default_storage.open(document.file.name, "rb") as handle:
        return handle.read()


def rotate(**options: Any) -> str:
    out = StringIO()
    call_command("encryption", "rotate", stdout=out, **options)
    return out.getvalue()


def status() -> str:
    out = StringIO()
    call_command("encryption", "status", stdout=out)
    return out.getvalue()


@pytest.fixture
def medical(participant_jateng, participant_user, upload) -> Document:
    return upload(
        participant_jateng, participant_user, kind=DocumentKind.MEDICAL, content=MEDICAL_PDF
    )


def test_a_medical_result_cannot_be_read_from_the_storage(medical: Document) -> None:
    raw = on_storage(medical)

    assert medical.encryption_key == key_id(medical_key())
    assert not raw.startswith(b"%PDF") and b"Hepatitis" not in raw and MEDICAL_PDF not in raw
    assert read_content(medical) == MEDICAL_PDF


def test_a_police_record_image_is_stored_encrypted_too(
    participant_jateng, participant_user, upload
) -> None:
    document = upload(
        participant_jateng,
        participant_user,
        kind=DocumentKind.POLICE_RECORD,
        content=make_image("PNG"),
        name="skck.png",
    )

    raw = on_storage(document)
    assert document.encryption_key and not raw.startswith(b"\x89PNG")
    assert read_content(document).startswith(b"\x89PNG")


def test_an_ordinary_document_is_stored_as_it_was_accepted(
    participant_jateng, participant_user, upload
) -> None:
    document = upload(participant_jateng, participant_user, kind=DocumentKind.ID_CARD)

    assert document.encryption_key == ""
    assert on_storage(document) == make_pdf()


def test_the_download_serves_the_original_and_logs_the_reading(
    medical: Document, national_officer, client_for
) -> None:
    response = client_for(national_officer).get(reverse("documents:open", args=[medical.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MEDICAL_PDF
    assert list(
        AccessLog.objects.filter(object_id=str(medical.pk)).values_list("actor_label", "purpose")
    ) == [("oki", "documents.view_sensitive")]


def test_the_review_pages_inline_view_serves_the_original_and_logs_the_reading(
    medical: Document, national_officer, client_for
) -> None:
    response = client_for(national_officer).get(reverse("documents:show", args=[medical.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MEDICAL_PDF
    assert AccessLog.objects.filter(
        object_id=str(medical.pk), purpose="documents.view_sensitive"
    ).exists()


def test_a_reader_outside_the_scope_gets_nothing_decrypted(
    medical: Document, sender_operator, client_for
) -> None:
    response = client_for(sender_operator).get(reverse("documents:open", args=[medical.pk]))

    assert response.status_code == 404
    assert not AccessLog.objects.filter(object_id=str(medical.pk)).exists()


# --- rotation -----------------------------------------------------------------------------


@pytest.fixture
def under_key_a(settings, participant_jateng, participant_user, upload) -> dict[str, Any]:
    """A medical result, a police record and a medical step's note, all under key A."""
    settings.JEMBATAN_ENCRYPTION_KEYS = [KEY_A]
    FeeRuleFactory(name="Japan TITP costs", legal_basis="test")
    deployment = make_ready(deployment_for(participant_jateng), documents=False)
    step = PreDepartureStep.objects.get(deployment=deployment, kind=StepKind.MEDICAL)
    PreDepartureStep.objects.filter(pk=step.pk).update(note="Gula darah tinggi")
    return {
        "medical": upload(
            participant_jateng, participant_user, kind=DocumentKind.MEDICAL, content=MEDICAL_PDF
        ),
        "police": upload(
            participant_jateng,
            participant_user,
            kind=DocumentKind.POLICE_RECORD,
            content=make_pdf("SKCK nihil"),
        ),
        "step": step,
    }


def test_after_rotation_only_the_new_key_reads_everything(
    settings, under_key_a, django_capture_on_commit_callbacks
) -> None:
    settings.JEMBATAN_ENCRYPTION_KEYS = [KEY_B, KEY_A]

    with django_capture_on_commit_callbacks(execute=True):
        printed = rotate()

    assert "documents.Document.file: 2" in printed
    assert "deployment.PreDepartureStep.note: 1" in printed
    settings.JEMBATAN_ENCRYPTION_KEYS = [KEY_B]
    medical = Document.objects.get(pk=under_key_a["medical"].pk)
    police = Document.objects.get(pk=under_key_a["police"].pk)
    assert medical.encryption_key == police.encryption_key == key_id(KEY_B)
    assert read_content(medical) == MEDICAL_PDF
    assert read_content(police) == make_pdf("SKCK nihil")
    assert PreDepartureStep.objects.get(pk=under_key_a["step"].pk).note == "Gula darah tinggi"
    assert not default_storage.exists(under_key_a["medical"].file.name)  # the old file is gone


def test_without_rotation_dropping_the_old_key_makes_the_data_unreadable(
    settings, under_key_a
) -> None:
    settings.JEMBATAN_ENCRYPTION_KEYS = [KEY_B]

    with pytest.raises(DecryptionFailed):
        read_content(Document.objects.get(pk=under_key_a["medical"].pk))
    with pytest.raises(DecryptionFailed):
        PreDepartureStep.objects.get(pk=under_key_a["step"].pk)


def test_rotation_runs_in_batches_resumes_and_a_second_run_does_nothing(
    settings, under_key_a
) -> None:
    settings.JEMBATAN_ENCRYPTION_KEYS = [KEY_B, KEY_A]

    assert documents_reencrypt_batch(batch_size=1, acting_user="test") == 1  # stopped here
    assert Document.objects.filter(encryption_key=key_id(KEY_A)).count() == 1

    assert "documents.Document.file: 1" in rotate(batch_size=1)
    again = rotate()

    assert "total: 0" in again
    reencrypted = ChangeRecord.objects.filter(operation="documents.document_reencrypt")
    assert reencrypted.count() == 2


def test_status_counts_what_is_under_each_key(settings, under_key_a) -> None:
    settings.JEMBATAN_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    a, b = key_id(KEY_A), key_id(KEY_B)

    before = status()
    rotate()
    after = status()

    assert f"keys: {b}*, {a}" in before
    assert f"documents.Document.file: {a} 2" in before
    assert f"deployment.PreDepartureStep.note: {a} 1" in before
    assert f"documents.Document.file: {b}* 2" in after
    assert f"deployment.PreDepartureStep.note: {b}* 1" in after


def test_rotation_encrypts_a_medical_result_stored_before_encryption(
    settings, participant_jateng, participant_user, upload
) -> None:
    document = upload(
        participant_jateng, participant_user, kind=DocumentKind.MEDICAL, content=MEDICAL_PDF
    )
    plain = default_storage.save("documents/legacy", io.BytesIO(MEDICAL_PDF))
    Document.objects.filter(pk=document.pk).update(file=plain, encryption_key="")
    assert "not encrypted 1" in status()

    rotate()

    document.refresh_from_db()
    assert document.encryption_key == key_id(medical_key())
    assert b"Hepatitis" not in on_storage(document)
    assert read_content(document) == MEDICAL_PDF


def test_rotation_refuses_a_file_that_does_not_match_its_checksum(
    settings, participant_jateng, participant_user, upload
) -> None:
    document = upload(
        participant_jateng, participant_user, kind=DocumentKind.MEDICAL, content=MEDICAL_PDF
    )
    settings.JEMBATAN_ENCRYPTION_KEYS = [KEY_B, *settings.JEMBATAN_ENCRYPTION_KEYS]
    Document.objects.filter(pk=document.pk).update(sha256="0" * 64)

    with pytest.raises(ValueError, match="SHA-256"):
        documents_reencrypt_batch(batch_size=10, acting_user="test")

    document.refresh_from_db()
    assert document.encryption_key != key_id(KEY_B)  # nothing changed
    assert read_content(document) == MEDICAL_PDF
