"""When two records of one person are merged, the documents follow the person."""

from __future__ import annotations

import pytest
from django.utils import timezone

from jembatan.core.models import ChangeRecord
from jembatan.documents.models import Document, DocumentKind
from jembatan.participants.factories import ParticipantFactory
from jembatan.participants.models import DuplicateFlag, DuplicateReason
from jembatan.participants.services.duplicates import duplicate_merge

pytestmark = pytest.mark.django_db


@pytest.fixture
def twin(participant_jateng, lpk_a):
    """The same person registered a second time under another NIK."""
    return ParticipantFactory(
        full_name=participant_jateng.full_name,
        birth_date=participant_jateng.birth_date,
        sex=participant_jateng.sex,
        sending_organisation=lpk_a,
    )


def test_merging_moves_the_documents_and_keeps_the_survivors_current_ones(
    participant_jateng, twin, sender_operator, national_officer, upload
) -> None:
    kept_id_card = upload(participant_jateng, sender_operator)
    moved_id_card = upload(twin, sender_operator)
    moved_diploma = upload(twin, sender_operator, kind=DocumentKind.DIPLOMA, name="ijazah.pdf")
    flag = DuplicateFlag.objects.create(
        participant=twin,
        candidate=participant_jateng,
        reason=DuplicateReason.SAME_NAME_AND_BIRTH_DATE,
        created_at=timezone.now(),
    )

    duplicate_merge(
        flag=flag, survivor=participant_jateng, acting_user=national_officer, note="Same KTP."
    )

    documents = {d.pk: d for d in Document.objects.all()}
    assert {d.participant_id for d in documents.values()} == {participant_jateng.pk}
    assert documents[kept_id_card.pk].is_current is True
    assert documents[moved_id_card.pk].is_current is False
    assert documents[moved_diploma.pk].is_current is True
    moves = ChangeRecord.objects.filter(operation="documents.follow_merge")
    assert sorted(moves.values_list("object_id", flat=True)) == sorted(
        [str(moved_id_card.pk), str(moved_diploma.pk)]
    )


def test_a_merge_without_documents_moves_nothing(
    participant_jateng, twin, national_officer
) -> None:
    flag = DuplicateFlag.objects.create(
        participant=twin,
        candidate=participant_jateng,
        reason=DuplicateReason.SAME_NAME_AND_BIRTH_DATE,
        created_at=timezone.now(),
    )
    duplicate_merge(
        flag=flag, survivor=participant_jateng, acting_user=national_officer, note="Same."
    )
    assert not ChangeRecord.objects.filter(operation="documents.follow_merge").exists()
