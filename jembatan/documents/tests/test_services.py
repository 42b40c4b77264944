"""Handing in, replacing, verifying and rejecting documents; revising the checklist."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jembatan.core.models import ChangeRecord
from jembatan.documents.models import Document, DocumentKind, DocumentRequirement, DocumentStatus
from jembatan.documents.services import (
    clean_name,
    document_reject,
    document_upload,
    document_verify,
    requirement_revise,
)
from jembatan.documents.tests.conftest import HTML_PAGE, make_image, make_pdf, requirement
from jembatan.organisations.factories import LicenceFactory
from jembatan.organisations.models import Licence, LicenceStatus
from jembatan.organisations.rules import LicenceRequired

pytestmark = pytest.mark.django_db


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def _world(participant) -> tuple[int, int, int]:
    return (
        Document.objects.filter(participant=participant).count(),
        ChangeRecord.objects.filter(operation__startswith="documents.").count(),
        DocumentRequirement.objects.count(),
    )


# --- upload -------------------------------------------------------------------------


def test_an_upload_is_stored_under_a_random_name_with_its_facts(
    participant_jateng, participant_user, upload, private_media
) -> None:
    content = make_pdf()
    document = upload(participant_jateng, participant_user, name="../../KTP Siti.pdf")
    stored = Path(document.file.path)
    assert stored.parent == private_media / "documents"
    assert len(stored.name) == 40 and "Siti" not in stored.name and not stored.suffix
    assert stored.read_bytes() == content
    assert (document.original_name, document.content_type, document.size) == (
        "KTP Siti.pdf",
        "application/pdf",
        len(content),
    )
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert (document.status, document.is_current, document.uploaded_by) == (
        DocumentStatus.PENDING,
        True,
        participant_user,
    )


def test_an_upload_is_audited_as_document_upload(participant_jateng, participant_user, upload):
    document = upload(participant_jateng, participant_user)
    record = ChangeRecord.objects.get(operation="documents.document_upload")
    assert (record.actor, record.action, record.object_id) == (
        participant_user,
        "create",
        str(document.pk),
    )
    assert record.changes["sha256"] == {"before": None, "after": document.sha256}
    assert "file" not in record.changes


def test_a_refused_upload_leaves_no_file_and_no_record(
    participant_jateng, participant_user, upload, private_media
) -> None:
    before = _world(participant_jateng)
    with pytest.raises(ValidationError) as caught:
        upload(participant_jateng, participant_user, content=HTML_PAGE, name="ijazah.pdf")
    assert caught.value.error_dict["file"][0].code == "type_refused"  # shown beside the file
    assert _world(participant_jateng) == before
    assert _files(private_media) == []


def test_a_reupload_keeps_the_old_version_and_points_it_to_the_new_one(
    participant_jateng, participant_user, upload, private_media
) -> None:
    first = upload(participant_jateng, participant_user)
    second = upload(participant_jateng, participant_user, content=make_image("PNG"), name="k.png")
    first.refresh_from_db()
    assert (first.is_current, first.replaced_by, second.is_current) == (False, second, True)
    assert len(_files(private_media)) == 2
    replaced = ChangeRecord.objects.get(operation="documents.document_upload", action="update")
    assert replaced.changes == {
        "is_current": {"before": True, "after": False},
        "replaced_by_id": {"before": None, "after": second.pk},
    }


def test_a_sender_operator_uploads_for_their_own_candidate(
    participant_jateng, sender_operator, upload
) -> None:
    document = upload(participant_jateng, sender_operator, kind=DocumentKind.DIPLOMA)
    assert document.uploaded_by == sender_operator


def test_a_sender_operator_of_another_organisation_may_not_upload(
    participant_jateng, other_sender_operator, upload
) -> None:
    with pytest.raises(PermissionDenied):
        upload(participant_jateng, other_sender_operator)
    assert Document.objects.count() == 0


def test_a_sender_whose_licence_is_suspended_may_not_upload(
    participant_jateng, sender_operator, upload, private_media
) -> None:
    Licence.objects.filter(organisation=sender_operator.organisation).update(
        status=LicenceStatus.SUSPENDED
    )
    with pytest.raises(LicenceRequired) as caught:
        upload(participant_jateng, sender_operator)
    assert "is suspended" in caught.value.messages[0]
    assert Document.objects.count() == 0
    assert _files(private_media) == []


def test_a_sender_with_an_expired_licence_may_not_upload(
    participant_jatim, other_sender_operator, upload
) -> None:
    Licence.objects.filter(organisation=other_sender_operator.organisation).delete()
    LicenceFactory(organisation=other_sender_operator.organisation, expired=True)
    with pytest.raises(LicenceRequired):
        upload(participant_jatim, other_sender_operator)


@pytest.mark.parametrize(
    "role_fixture", ["national_officer", "provincial_officer", "training_operator", "auditor"]
)
def test_officials_other_than_the_sender_do_not_upload(
    participant_jateng, upload, request, role_fixture
) -> None:
    with pytest.raises(PermissionDenied):
        upload(participant_jateng, request.getfixturevalue(role_fixture))


def test_an_upload_against_an_old_checklist_version_is_refused(
    participant_jateng, participant_user, national_admin
) -> None:
    old = requirement(participant_jateng, DocumentKind.ID_CARD)
    requirement_revise(requirement=old, acting_user=national_admin, reason="Perubahan aturan")
    old.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        document_upload(
            participant=participant_jateng,
            requirement=old,
            chunks=[make_pdf()],
            original_name="ktp.pdf",
            acting_user=participant_user,
        )
    assert caught.value.code == "stale_requirement"


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("C:\\Users\\siti\\ijazah.pdf", "ijazah.pdf"),
        ("/etc/passwd", "passwd"),
        ("a\x00b\nc.pdf", "abc.pdf"),
        ("", "document"),
    ],
)
def test_the_original_name_is_kept_without_folders_or_control_characters(given, kept) -> None:
    assert clean_name(given) == kept


# --- decisions ---------------------------------------------------------------------------


def test_an_officer_verifies_a_document_attributably(
    participant_jateng, participant_user, provincial_officer, upload
) -> None:
    document = upload(participant_jateng, participant_user)
    verified = document_verify(document=document, acting_user=provincial_officer)
    assert (verified.status, verified.verified_by) == (DocumentStatus.VERIFIED, provincial_officer)
    assert verified.verified_at is not None
    record = ChangeRecord.objects.get(operation="documents.document_verify")
    assert (record.actor, record.action) == (provincial_officer, "transition")
    assert record.changes["status"] == {"before": "pending", "after": "verified"}


def test_an_officer_rejects_a_document_with_a_reason(
    participant_jateng, participant_user, national_officer, upload
) -> None:
    document = upload(participant_jateng, participant_user)
    rejected = document_reject(
        document=document, reason="Foto KTP buram, NIK tidak terbaca.", acting_user=national_officer
    )
    assert (rejected.status, rejected.rejection_reason) == (
        DocumentStatus.REJECTED,
        "Foto KTP buram, NIK tidak terbaca.",
    )
    record = ChangeRecord.objects.get(operation="documents.document_reject")
    assert (record.actor, record.reason) == (national_officer, "Foto KTP buram, NIK tidak terbaca.")


def test_a_rejection_without_a_reason_is_refused_and_changes_nothing(
    participant_jateng, participant_user, national_officer, upload
) -> None:
    document = upload(participant_jateng, participant_user)
    with pytest.raises(ValidationError) as caught:
        document_reject(document=document, reason="  ", acting_user=national_officer)
    assert caught.value.code == "reason_required"
    document.refresh_from_db()
    assert document.status == DocumentStatus.PENDING
    assert not ChangeRecord.objects.filter(operation="documents.document_reject").exists()


def test_a_provincial_officer_of_another_province_may_not_decide(
    participant_jateng, participant_user, other_provincial_officer, upload
) -> None:
    document = upload(participant_jateng, participant_user)
    with pytest.raises(PermissionDenied):
        document_verify(document=document, acting_user=other_provincial_officer)
    document.refresh_from_db()
    assert document.status == DocumentStatus.PENDING


@pytest.mark.parametrize("role_fixture", ["sender_operator", "participant_user", "auditor"])
def test_only_officers_decide(participant_jateng, participant_user, upload, request, role_fixture):
    document = upload(participant_jateng, participant_user)
    with pytest.raises(PermissionDenied):
        document_verify(document=document, acting_user=request.getfixturevalue(role_fixture))


def test_a_verified_document_cannot_be_verified_twice(
    participant_jateng, participant_user, national_officer, upload
) -> None:
    document = document_verify(
        document=upload(participant_jateng, participant_user), acting_user=national_officer
    )
    with pytest.raises(ValidationError) as caught:
        document_verify(document=document, acting_user=national_officer)
    assert caught.value.code == "not_decidable"


def test_a_verified_document_found_false_can_still_be_rejected(
    participant_jateng, participant_user, national_officer, upload
) -> None:
    document = document_verify(
        document=upload(participant_jateng, participant_user), acting_user=national_officer
    )
    rejected = document_reject(
        document=document, reason="Ijazah palsu menurut sekolah.", acting_user=national_officer
    )
    assert rejected.status == DocumentStatus.REJECTED


def test_a_replaced_version_cannot_be_decided(
    participant_jateng, participant_user, national_officer, upload
) -> None:
    old = upload(participant_jateng, participant_user)
    upload(participant_jateng, participant_user)
    with pytest.raises(ValidationError) as caught:
        document_verify(document=old, acting_user=national_officer)
    assert caught.value.code == "not_current"


# --- the checklist is versioned reference data ----------------------------------------


def test_revising_a_checklist_line_opens_a_new_version_and_closes_the_old(
    participant_jateng, national_admin
) -> None:
    old = requirement(participant_jateng, DocumentKind.MEDICAL)
    new = requirement_revise(
        requirement=old,
        acting_user=national_admin,
        reason="Hasil MCU boleh foto",
        accepted_types=["application/pdf", "image/jpeg"],
    )
    old.refresh_from_db()
    assert (old.version, new.version, new.accepted_types) == (
        1,
        2,
        ["application/pdf", "image/jpeg"],
    )
    assert old.valid_to is not None and new.valid_to is None
    assert new.sensitive is True
    record = ChangeRecord.objects.get(operation="documents.requirement_revise")
    assert record.changes == {
        "accepted_types": {
            "before": ["application/pdf"],
            "after": ["application/pdf", "image/jpeg"],
        },
        "version": {"before": 1, "after": 2},
    }


def test_a_checklist_line_accepts_only_pdf_jpeg_and_png(participant_jateng, national_admin):
    old = requirement(participant_jateng, DocumentKind.DIPLOMA)
    with pytest.raises(ValidationError):
        requirement_revise(
            requirement=old, acting_user=national_admin, accepted_types=["text/html"]
        )
    old.refresh_from_db()
    assert old.valid_to is None
    assert DocumentRequirement.objects.filter(kind=DocumentKind.DIPLOMA).count() == 2


def test_both_routes_are_seeded_with_sensitive_health_and_police_records() -> None:
    current = DocumentRequirement.objects.filter(valid_to__isnull=True)
    assert set(current.values_list("route", flat=True)) == {"im_japan", "lpk"}
    assert sorted(current.filter(sensitive=True).values_list("route", "kind")) == [
        ("im_japan", "medical"),
        ("im_japan", "police_record"),
        ("lpk", "medical"),
        ("lpk", "police_record"),
    ]
    assert set(current.values_list("max_size_bytes", flat=True)) == {5 * 2**20, 10 * 2**20}
