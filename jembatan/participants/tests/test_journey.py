"""The journey: an explicit table of moves, each recorded with who, when and why."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from jembatan.core.models import ChangeRecord
from jembatan.organisations.models import LicenceStatus
from jembatan.participants import rules
from jembatan.participants.journey import NEXT_STEP
from jembatan.participants.models import JourneyStatus, Participant, ParticipantStatusChange
from jembatan.participants.services.registry import (
    participant_transition,
    participant_verify_identity,
)
from jembatan.participants.workflows import (
    JOURNEY_WORKFLOW,
    JourneyAction,
    allowed_targets,
    needs_reason,
)

S = JourneyStatus


def test_every_status_has_a_row_in_the_table_and_a_next_step() -> None:
    assert {str(s) for s in JOURNEY_WORKFLOW.statuses} == set(S.values)
    assert set(NEXT_STEP) == set(S.values)
    assert all(allowed_targets(status) <= set(S.values) for status in S.values)


def test_withdrawal_rejection_and_early_return_always_need_a_reason() -> None:
    assert needs_reason(S.VERIFIED, S.WITHDRAWN)
    assert needs_reason(S.IN_SELECTION, S.REJECTED)
    assert needs_reason(S.IN_PLACEMENT, S.RETURNED_EARLY)
    assert not needs_reason(S.REGISTERED, S.VERIFIED)


def test_both_real_orders_can_reach_departure() -> None:
    g2g = [S.VERIFIED, S.IN_SELECTION, S.SELECTED, S.IN_TRAINING, S.CERTIFIED, S.MATCHED]
    lpk = [S.VERIFIED, S.IN_TRAINING, S.CERTIFIED, S.IN_SELECTION, S.SELECTED, S.MATCHED]
    for route in (g2g, lpk):
        path = [S.REGISTERED, *route, S.CONTRACTED, S.DEPARTED]
        assert all(b in allowed_targets(a) for a, b in itertools.pairwise(path))


def test_nobody_leaves_after_departure_by_withdrawal() -> None:
    for status in (S.DEPARTED, S.IN_PLACEMENT, S.COMPLETED, S.ALUMNUS):
        assert S.WITHDRAWN not in allowed_targets(status)


@pytest.fixture
def verified_identity(participant_jateng: Participant, provincial_officer) -> Participant:
    return participant_verify_identity(
        participant=participant_jateng, acting_user=provincial_officer, note="KTP asli diperiksa"
    )


@pytest.mark.django_db
def test_a_move_the_table_does_not_allow_is_refused_naming_the_possible_steps(
    participant_jateng, national_officer
) -> None:
    with pytest.raises(ValidationError) as refused:
        participant_transition(
            participant=participant_jateng,
            action=JourneyAction.DEPART,
            acting_user=national_officer,
            reason="",
        )
    assert refused.value.messages == [
        "A participant who is “Registered” cannot move to “Departed”. "
        "Possible next steps: Rejected, Verified, Withdrawn."
    ]
    assert Participant.objects.get(pk=participant_jateng.pk).status == S.REGISTERED
    assert not ParticipantStatusChange.objects.exists()


@pytest.mark.django_db
def test_verified_needs_the_identity_verified_first(participant_jateng, national_officer) -> None:
    with pytest.raises(ValidationError) as refused:
        participant_transition(
            participant=participant_jateng,
            action=JourneyAction.VERIFY,
            acting_user=national_officer,
            reason="",
        )
    assert refused.value.messages == ["An officer has not verified the participant's identity yet."]


@pytest.mark.django_db
def test_a_step_is_recorded_with_from_to_at_by_and_reason(
    verified_identity, provincial_officer
) -> None:
    before = timezone.now()
    participant = participant_transition(
        participant=verified_identity,
        action=JourneyAction.VERIFY,
        acting_user=provincial_officer,
        reason="ok",
    )
    step = ParticipantStatusChange.objects.get(participant=participant)
    assert (step.from_status, step.to_status, step.by, step.by_label, step.reason) == (
        "registered",
        "verified",
        provincial_officer,
        "putri",
        "ok",
    )
    assert step.at >= before
    assert (participant.status, participant.version) == ("verified", 3)
    record = ChangeRecord.objects.get(operation="participants.participant_transition")
    assert record.changes["status"] == {"before": "registered", "after": "verified"}


@pytest.mark.django_db
def test_withdrawing_without_a_reason_is_refused(participant_jateng, national_officer) -> None:
    with pytest.raises(ValidationError) as refused:
        participant_transition(
            participant=participant_jateng,
            action=JourneyAction.WITHDRAW,
            acting_user=national_officer,
            reason=" ",
        )
    assert refused.value.messages == [
        "Give a reason: moving a participant to “Withdrawn” is always explained."
    ]


@pytest.mark.django_db
def test_a_participant_may_withdraw_themselves_with_a_reason(
    participant_jateng, participant_user
) -> None:
    participant_transition(
        participant=participant_jateng,
        action=JourneyAction.WITHDRAW,
        acting_user=participant_user,
        reason="Saya diterima kerja di dalam negeri.",
    )
    assert Participant.objects.get(pk=participant_jateng.pk).status == S.WITHDRAWN


@pytest.mark.django_db
def test_a_training_operator_may_not_record_verification(
    verified_identity, training_operator
) -> None:
    with pytest.raises(PermissionDenied):
        participant_transition(
            participant=verified_identity,
            action=JourneyAction.VERIFY,
            acting_user=training_operator,
            reason="",
        )


@pytest.mark.django_db
def test_a_person_out_of_scope_may_not_move_a_participant(
    participant_jateng, other_provincial_officer
) -> None:
    with pytest.raises(PermissionDenied):
        participant_transition(
            participant=participant_jateng,
            action=JourneyAction.REJECT,
            acting_user=other_provincial_officer,
            reason="x",
        )


@pytest.mark.django_db
def test_an_expired_licence_blocks_advancing_but_not_withdrawing(
    verified_identity, provincial_officer, lpk_a
) -> None:
    lpk_a.licences.update(status=LicenceStatus.EXPIRED)
    with pytest.raises(ValidationError) as refused:
        participant_transition(
            participant=verified_identity,
            action=JourneyAction.VERIFY,
            acting_user=provincial_officer,
            reason="",
        )
    assert "LPK A Sakura Semarang" in refused.value.messages[0]
    participant_transition(
        participant=verified_identity,
        action=JourneyAction.WITHDRAW,
        acting_user=provincial_officer,
        reason="The LPK closed.",
    )
    assert Participant.objects.get(pk=verified_identity.pk).status == S.WITHDRAWN


@pytest.mark.django_db
def test_another_app_can_add_a_verification_blocker(verified_identity, provincial_officer) -> None:
    def documents_missing(participant: Participant) -> list[str]:
        return ["The ID card has not been verified yet."]

    rules.register_verification_check(documents_missing)
    try:
        assert rules.verification_blockers(verified_identity) == [
            "The ID card has not been verified yet."
        ]
        with pytest.raises(ValidationError):
            participant_transition(
                participant=verified_identity,
                action=JourneyAction.VERIFY,
                acting_user=provincial_officer,
                reason="",
            )
    finally:
        rules.VERIFICATION_CHECKS.remove(documents_missing)


@pytest.mark.django_db
def test_verifying_an_identity_records_who_and_when_once(
    participant_jateng, provincial_officer
) -> None:
    participant = participant_verify_identity(
        participant=participant_jateng, acting_user=provincial_officer, note="KTP asli diperiksa"
    )
    assert participant.identity_verified_by == provincial_officer
    assert participant.identity_verification_note == "KTP asli diperiksa"
    with pytest.raises(ValidationError):
        participant_verify_identity(
            participant=participant, acting_user=provincial_officer, note=""
        )


@pytest.mark.django_db
def test_a_sender_operator_may_not_verify_an_identity(participant_jateng, sender_operator) -> None:
    with pytest.raises(PermissionDenied):
        participant_verify_identity(
            participant=participant_jateng, acting_user=sender_operator, note=""
        )
    assert Participant.objects.get(pk=participant_jateng.pk).identity_verified_at is None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(S.values), max_size=12))
def test_any_walk_the_table_accepts_is_a_chain_of_allowed_moves(walk: list[str]) -> None:
    status = S.REGISTERED
    for target in walk:
        if target in allowed_targets(status):
            status = target
    assert status in S.values


@pytest.mark.django_db
def test_a_round_not_passed_returns_the_candidate_even_when_the_licence_has_lapsed(
    participant_jateng, national_officer, lpk_a
) -> None:
    Participant.objects.filter(pk=participant_jateng.pk).update(
        status=S.IN_SELECTION, sending_organisation=lpk_a
    )
    participant_jateng.refresh_from_db()
    lpk_a.licences.update(status=LicenceStatus.EXPIRED)

    participant_transition(
        participant=participant_jateng,
        action=JourneyAction.BACK_TO_VERIFIED,
        acting_user=national_officer,
        reason="Did not pass the written test.",
    )

    assert Participant.objects.get(pk=participant_jateng.pk).status == S.VERIFIED
    with pytest.raises(ValidationError, match="is not in force"):  # forward again: licence
        participant_transition(
            participant=participant_jateng,
            action=JourneyAction.ENTER_SELECTION,
            acting_user=national_officer,
            reason="",
        )
