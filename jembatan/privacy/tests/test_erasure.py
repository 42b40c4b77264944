"""Deleting a person's data: what is kept by rule, what anonymisation removes, and when."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jembatan.accounts.factories import UserFactory
from jembatan.accounts.models import User
from jembatan.core.roles import Role
from jembatan.documents.models import Document, DocumentRequirement
from jembatan.documents.services import document_upload
from jembatan.documents.tests.conftest import make_pdf
from jembatan.organisations.models import Organisation
from jembatan.participants.factories import ParticipantFactory
from jembatan.participants.models import Invitation, JourneyStatus, Participant
from jembatan.privacy.errors import PrivacyErrorCode
from jembatan.privacy.retention import DEPARTED, UNDER_WAY, retention_reasons
from jembatan.privacy.services.erasure import participant_anonymise
from jembatan.training.factories import BatchFactory, ProgrammeFactory
from jembatan.training.models import CertificateKind, Enrolment
from jembatan.training.services.certification import certificate_issue

pytestmark = pytest.mark.django_db


def _codes(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list}


@pytest.fixture
def budi(lpk_a: Organisation) -> Participant:
    """Budi: registered at LPK A, with an account and a phone number."""
    user = UserFactory(username="budi", role=Role.PARTICIPANT, full_name="Budi Prasetyo")
    return ParticipantFactory(
        full_name="Budi Prasetyo", sending_organisation=lpk_a, user=user, phone="+6281222333444"
    )


@pytest.mark.parametrize("status", sorted(DEPARTED | UNDER_WAY))
def test_a_record_past_registration_is_kept_with_the_reason(
    budi: Participant, national_officer: User, status: str
) -> None:
    Participant.objects.filter(pk=budi.pk).update(status=status)
    budi.refresh_from_db()
    before = Participant.objects.filter(pk=budi.pk).values().get()

    with pytest.raises(ValidationError) as refused:
        participant_anonymise(participant=budi, acting_user=national_officer, reason="Asked.")

    assert _codes(refused.value) == {PrivacyErrorCode.RETAINED}
    expected = "sent abroad" if status in DEPARTED else "Withdraw from the programme first"
    assert expected in refused.value.messages[0]
    assert Participant.objects.filter(pk=budi.pk).values().get() == before


def test_a_certificate_holder_is_kept(budi: Participant, blk: Organisation) -> None:
    batch = BatchFactory(programme=ProgrammeFactory(organisation=blk))
    enrolment = Enrolment.objects.create(batch=batch, participant=budi, enrolled_at=timezone.now())
    certificate_issue(enrolment=enrolment, kind=CertificateKind.TRAINING, acting_user=None)

    reasons = [str(r) for r in retention_reasons(budi)]

    assert len(reasons) == 1 and "You hold a certificate of the programme" in reasons[0]


@pytest.mark.parametrize(
    "status", [JourneyStatus.REGISTERED, JourneyStatus.VERIFIED, JourneyStatus.REJECTED]
)
def test_nothing_keeps_a_record_before_training_or_after_leaving(
    budi: Participant, status: str
) -> None:
    Participant.objects.filter(pk=budi.pk).update(status=status)
    budi.refresh_from_db()
    assert retention_reasons(budi) == []


def test_records_merged_into_it_are_anonymised_too_and_invitations_voided(
    budi: Participant, national_officer: User
) -> None:
    gone = ParticipantFactory(
        full_name="Budi P.",
        phone="+6281999888777",
        archived_at=timezone.now(),
        merged_into=budi,
    )
    invitation = Invitation.objects.create(
        participant=budi,
        token_hash="a" * 64,
        created_by=national_officer,
        created_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(days=7),
    )

    participant_anonymise(participant=budi, acting_user=national_officer, reason="Asked.")

    gone.refresh_from_db()
    assert (gone.full_name, gone.phone, gone.nik) == (f"Anonim #{gone.pk}", "", f"00{gone.pk:014d}")
    invitation.refresh_from_db()
    assert invitation.voided_at is not None


def test_the_files_go_only_once_the_anonymisation_is_committed(
    budi: Participant,
    national_officer: User,
    private_media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    requirement = DocumentRequirement.objects.get(
        route="lpk", kind="id_card", valid_to__isnull=True
    )
    first = document_upload(
        participant=budi,
        requirement=requirement,
        chunks=[make_pdf("1")],
        original_name="a.pdf",
        acting_user=budi.user,
    )
    second = document_upload(
        participant=budi,
        requirement=requirement,
        chunks=[make_pdf("2")],
        original_name="b.pdf",
        acting_user=budi.user,
    )
    paths = [Path(first.file.path), Path(second.file.path)]

    with django_capture_on_commit_callbacks() as callbacks:
        participant_anonymise(participant=budi, acting_user=national_officer, reason="Asked.")
        assert all(path.exists() for path in paths)

    assert not Document.objects.filter(participant=budi).exists()
    for callback in callbacks:
        callback()
    assert not any(path.exists() for path in paths)


def test_an_anonymised_record_is_not_anonymised_twice(
    budi: Participant, national_officer: User, file_request: Any
) -> None:
    from jembatan.privacy.services.requests import request_complete

    request_complete(rights_request=file_request(budi, "delete"), acting_user=national_officer)

    with pytest.raises(ValidationError) as refused:
        participant_anonymise(participant=budi, acting_user=national_officer, reason="Again.")
    assert _codes(refused.value) == {PrivacyErrorCode.ALREADY_ANONYMISED}
    assert User.objects.get(pk=budi.user_id).is_active is False


def test_an_anonymised_record_refuses_every_edit_and_keeps_what_it_holds(
    budi: Participant, national_officer: User
) -> None:
    from dataclasses import replace

    from jembatan.participants.fields import ParticipantDetails
    from jembatan.participants.services.registry import participant_update
    from jembatan.privacy.services.retention_run import retention_run

    long_ago = timezone.now() - dt.timedelta(days=5 * 365)
    Participant.objects.filter(pk=budi.pk).update(
        status=JourneyStatus.REJECTED, status_changed_at=long_ago
    )
    retention_run()
    budi.refresh_from_db()
    assert budi.full_name == f"Anonim #{budi.pk}"
    before = Participant.objects.filter(pk=budi.pk).values().get()
    details = replace(ParticipantDetails.of(budi), full_name="Budi Prasetyo")

    with pytest.raises(ValidationError) as refused:
        participant_update(
            participant=budi,
            details=details,
            acting_user=national_officer,
            expected_version=budi.version,
        )

    assert _codes(refused.value) == {PrivacyErrorCode.ALREADY_ANONYMISED}
    assert "never filled in again" in refused.value.messages[0]
    assert Participant.objects.filter(pk=budi.pk).values().get() == before


def test_earlier_change_records_lose_the_persons_values_and_keep_who_did_what(
    budi: Participant, national_officer: User
) -> None:
    from dataclasses import replace

    from django.db import connection, transaction

    from jembatan.core.models import AuditScrub, ChangeRecord
    from jembatan.participants.fields import ParticipantDetails
    from jembatan.participants.services.registry import participant_update

    participant_update(
        participant=budi,
        details=replace(ParticipantDetails.of(budi), phone="+6281999888777"),
        acting_user=national_officer,
        expected_version=budi.version,
    )
    earlier = ChangeRecord.objects.get(
        operation="participants.participant_update", object_id=str(budi.pk)
    )
    assert earlier.changes["phone"] == {"before": "+6281222333444", "after": "+6281999888777"}
    unrelated = ChangeRecord.objects.exclude(object_id=str(budi.pk)).first()

    participant_anonymise(participant=budi, acting_user=national_officer, reason="Asked.")

    scrubbed = ChangeRecord.objects.get(pk=earlier.pk)
    assert scrubbed.changes["phone"] == {"before": "•••", "after": "•••"}
    assert scrubbed.object_repr == f"Anonim #{budi.pk}"
    kept = ("at", "actor_id", "actor_label", "operation", "action", "reason")
    assert [getattr(scrubbed, n) for n in kept] == [getattr(earlier, n) for n in kept]
    scrub = AuditScrub.objects.get(object_id=str(budi.pk), content_type__model="participant")
    assert scrub.records >= 1 and "phone" in scrub.fields
    # Still append-only for everything else, in the database itself.
    for sql, pk in [
        ("UPDATE core_changerecord SET changes = '{}' WHERE id = %s", unrelated.pk),
        ("UPDATE core_changerecord SET actor_label = 'someone' WHERE id = %s", earlier.pk),
    ]:
        with (
            pytest.raises(Exception, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [pk])


def test_the_api_refuses_a_step_of_an_anonymised_record_with_its_code(
    budi: Participant, national_officer: User, client_for: Any
) -> None:
    from jembatan.privacy.services.retention_run import retention_run

    long_ago = timezone.now() - dt.timedelta(days=5 * 365)
    Participant.objects.filter(pk=budi.pk).update(
        status=JourneyStatus.WITHDRAWN, status_changed_at=long_ago
    )
    retention_run()
    before = Participant.objects.filter(pk=budi.pk).values().get()

    response = client_for(national_officer).post(
        f"/api/v1/participants/{budi.pk}/transition",
        {"to_status": "registered", "reason": "Came back."},
        content_type="application/json",
    )

    assert response.status_code == 422
    codes = [e["code"] for e in response.json()["errors"]["__all__"]]
    assert codes == [PrivacyErrorCode.ALREADY_ANONYMISED]
    assert Participant.objects.filter(pk=budi.pk).values().get() == before
