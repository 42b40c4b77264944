"""What a participant still owes before verification, and which route they follow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jembatan.documents.models import DocumentKind, Route, Stage
from jembatan.documents.rules import age_on, document_blockers, route_of
from jembatan.documents.services import document_reject, document_verify
from jembatan.participants.models import Participant
from jembatan.participants.rules import verification_blockers
from jembatan.participants.workflows import JourneyAction

pytestmark = pytest.mark.django_db


def _verify(document, officer):
    return document_verify(document=document, acting_user=officer)


def test_a_participant_of_an_lpk_follows_the_lpk_route(participant_jateng) -> None:
    assert route_of(participant_jateng) == Route.LPK


def test_a_participant_without_sending_organisation_follows_the_im_japan_route(
    im_japan_participant,
) -> None:
    assert route_of(im_japan_participant) == Route.IM_JAPAN


def test_a_new_participant_owes_the_id_card_and_diploma(participant_jateng) -> None:
    assert document_blockers(participant_jateng) == [
        "Identity card (KTP) has not been uploaded.",
        "Latest diploma (ijazah) has not been uploaded.",
    ]


def test_the_im_japan_route_lists_every_paper_its_announcement_asks_before_verification(
    im_japan_participant,
) -> None:
    assert document_blockers(im_japan_participant) == [
        "Identity card (KTP) has not been uploaded.",
        "Family card (KK) has not been uploaded.",
        "Job-seeker card (AK1) has not been uploaded.",
        "Birth certificate has not been uploaded.",
        "Training certificate (at least 160 hours) has not been uploaded.",
        "Latest diploma (ijazah) has not been uploaded.",
        "Statement of no earlier apprenticeship in Japan has not been uploaded.",
        "Recommendation of the village head (kepala desa/lurah) has not been uploaded.",
        "Police record (SKCK) has not been uploaded.",
    ]


def test_the_apprenticeship_agreement_is_owed_before_departure_on_both_routes(
    im_japan_participant, participant_jateng
) -> None:
    owed = "Apprenticeship agreement (perjanjian pemagangan) has not been uploaded."
    assert owed in document_blockers(im_japan_participant, Stage.DEPARTURE)
    assert owed in document_blockers(participant_jateng, Stage.DEPARTURE)


def test_pending_and_rejected_documents_still_block(
    participant_jateng, participant_user, national_officer, upload
) -> None:
    upload(participant_jateng, participant_user, kind=DocumentKind.ID_CARD)
    diploma = upload(participant_jateng, participant_user, kind=DocumentKind.DIPLOMA)
    document_reject(document=diploma, reason="Bukan ijazah.", acting_user=national_officer)
    assert document_blockers(participant_jateng) == [
        "Identity card (KTP) is not verified yet (Waiting for verification).",
        "Latest diploma (ijazah) is not verified yet (Rejected).",
    ]


def test_verified_required_documents_leave_no_document_blocker(
    participant_jateng, participant_user, national_officer, upload
) -> None:
    for kind in (DocumentKind.ID_CARD, DocumentKind.DIPLOMA):
        _verify(upload(participant_jateng, participant_user, kind=kind), national_officer)
    assert document_blockers(participant_jateng) == []


def test_a_later_stage_lists_its_own_documents(participant_jateng) -> None:
    assert document_blockers(participant_jateng, Stage.DEPARTURE) == [
        "Passport has not been uploaded.",
        "Apprenticeship agreement (perjanjian pemagangan) has not been uploaded.",
    ]


def test_under_21_the_guardians_permission_is_required(participant_jateng) -> None:
    today = timezone.localdate()
    Participant.objects.filter(pk=participant_jateng.pk).update(
        birth_date=today.replace(year=today.year - 19)
    )
    participant_jateng.refresh_from_db()
    assert "Parent's or guardian's permission has not been uploaded." in document_blockers(
        participant_jateng
    )


def test_a_participant_cannot_be_verified_while_documents_are_missing(participant_jateng):
    blockers = verification_blockers(participant_jateng)
    assert "Identity card (KTP) has not been uploaded." in blockers
    assert "Latest diploma (ijazah) has not been uploaded." in blockers


def test_verified_documents_clear_the_documents_part_of_verification(
    participant_jateng, participant_user, national_officer, upload
) -> None:
    for kind in (DocumentKind.ID_CARD, DocumentKind.DIPLOMA):
        _verify(upload(participant_jateng, participant_user, kind=kind), national_officer)
    assert verification_blockers(participant_jateng) == [
        "An officer has not verified the participant's identity yet."
    ]


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (dt.date(2004, 6, 15), dt.date(2025, 6, 14), 20),
        (dt.date(2004, 6, 15), dt.date(2025, 6, 15), 21),
        (dt.date(2004, 2, 29), dt.date(2025, 2, 28), 20),
        (dt.date(2004, 2, 29), dt.date(2025, 3, 1), 21),
    ],
)
def test_age_counts_completed_years(born, on, age) -> None:
    assert age_on(born, on) == age


def test_the_step_to_verified_is_refused_until_the_documents_are_verified(
    participant_jateng, participant_user, provincial_officer, upload
) -> None:
    from django.core.exceptions import ValidationError

    from jembatan.participants.models import JourneyStatus
    from jembatan.participants.services.registry import (
        participant_transition,
        participant_verify_identity,
    )

    participant_verify_identity(
        participant=participant_jateng, acting_user=provincial_officer, note="KTP asli"
    )
    with pytest.raises(ValidationError) as caught:
        participant_transition(
            participant=participant_jateng,
            action=JourneyAction.VERIFY,
            acting_user=provincial_officer,
            reason="",
        )
    assert caught.value.messages == [
        "Identity card (KTP) has not been uploaded.",
        "Latest diploma (ijazah) has not been uploaded.",
    ]
    for kind in (DocumentKind.ID_CARD, DocumentKind.DIPLOMA):
        _verify(upload(participant_jateng, participant_user, kind=kind), provincial_officer)
    participant_transition(
        participant=participant_jateng,
        action=JourneyAction.VERIFY,
        acting_user=provincial_officer,
        reason="",
    )
    participant_jateng.refresh_from_db()
    assert participant_jateng.status == JourneyStatus.VERIFIED
