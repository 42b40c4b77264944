"""Rounds, stages, the impact assessment, enrolment and withdrawal: the services' rules."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.organisations.models import Organisation
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.selection.factories import stage_type
from jembatan.selection.models import (
    Candidacy,
    CandidacyStatus,
    ImpactAssessment,
    RoundStage,
    RoundStatus,
    Scoring,
    SelectionRound,
)
from jembatan.selection.services import rounds
from jembatan.selection.tests.conftest import ASSESSMENT

pytestmark = pytest.mark.django_db


def _messages(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return list(error.value.messages)


# --- rounds ------------------------------------------------------------------------------


def test_a_national_officer_creates_a_round_for_a_partner_and_it_is_audited(
    im_japan: Organisation, national_officer: User
) -> None:
    created = rounds.round_create(
        name="  IM Japan 2026/1 ", partner=im_japan, programme=None, acting_user=national_officer
    )
    assert (created.name, created.status, created.created_by) == (
        "IM Japan 2026/1",
        RoundStatus.DRAFT,
        national_officer,
    )
    record = ChangeRecord.objects.get(operation="selection.round_create")
    assert record.actor == national_officer
    assert record.changes["name"] == {"before": None, "after": "IM Japan 2026/1"}


@pytest.mark.parametrize("who", ["provincial_officer", "partner_user", "sender_operator"])
def test_only_national_staff_create_a_round(
    who: str, im_japan: Organisation, request: pytest.FixtureRequest
) -> None:
    with pytest.raises(PermissionDenied):
        rounds.round_create(
            name="X", partner=im_japan, programme=None, acting_user=request.getfixturevalue(who)
        )
    assert not SelectionRound.objects.exists()


def test_a_round_for_an_organisation_that_is_not_a_partner_is_refused(
    lpk_a: Organisation, national_officer: User
) -> None:
    with pytest.raises(ValidationError) as error:
        rounds.round_create(name="X", partner=lpk_a, programme=None, acting_user=national_officer)
    assert error.value.message_dict == {
        "partner": ["Choose a partner abroad that is in the register."]
    }
    assert not SelectionRound.objects.exists()


# --- stages ------------------------------------------------------------------------------


def test_a_stage_copies_the_marking_and_defaults_of_its_type(
    draft_round: SelectionRound, national_officer: User
) -> None:
    stage = rounds.stage_add(
        selection_round=draft_round,
        stage_type=stage_type("written"),
        max_score=None,
        pass_mark=Decimal(70),
        weight=Decimal(50),
        acting_user=national_officer,
    )
    assert (stage.position, stage.scoring, stage.entered_by) == (1, Scoring.SCORE, "examiner")
    assert (stage.max_score, stage.pass_mark, stage.weight) == (
        Decimal(100),
        Decimal(70),
        Decimal(50),
    )
    draft_round.refresh_from_db()
    assert draft_round.version == 2


@pytest.mark.parametrize(
    ("code", "max_score", "pass_mark", "weight", "expected"),
    [
        (
            "written",
            "50",
            "60",
            "10",
            {"pass_mark": ["The pass mark (60) cannot be above the maximum (50)."]},
        ),
        (
            "medical",
            None,
            None,
            "10",
            {"weight": ["A pass/fail stage has no score to weigh: set its weight to 0."]},
        ),
        ("written", "0", "0", "10", {"max_score": ["Give the maximum score, a number above 0."]}),
    ],
)
def test_a_stage_with_an_inconsistent_scale_is_refused_and_nothing_is_added(
    draft_round: SelectionRound,
    national_officer: User,
    code: str,
    max_score: str | None,
    pass_mark: str | None,
    weight: str,
    expected: dict[str, list[str]],
) -> None:
    with pytest.raises(ValidationError) as error:
        rounds.stage_add(
            selection_round=draft_round,
            stage_type=stage_type(code),
            max_score=Decimal(max_score) if max_score else None,
            pass_mark=Decimal(pass_mark) if pass_mark else None,
            weight=Decimal(weight),
            acting_user=national_officer,
        )
    assert error.value.message_dict == expected
    assert not RoundStage.objects.exists()


def test_the_same_stage_type_cannot_be_added_twice(
    staged_round: SelectionRound, national_officer: User
) -> None:
    with pytest.raises(ValidationError) as error:
        rounds.stage_add(
            selection_round=staged_round,
            stage_type=stage_type("written"),
            max_score=None,
            pass_mark=None,
            weight=Decimal(10),
            acting_user=national_officer,
        )
    assert error.value.message_dict == {
        "stage_type": ["The round already has the stage “Written test”."]
    }
    assert staged_round.stages.count() == 3


def test_stages_move_up_and_down_and_close_ranks_when_one_is_removed(
    staged_round: SelectionRound, stages: list[RoundStage], national_officer: User
) -> None:
    administrative, _written, interview = stages
    rounds.stage_move(stage=interview, direction="up", acting_user=national_officer)
    order = list(
        staged_round.stages.order_by("position").values_list("stage_type__code", flat=True)
    )
    assert order == ["administrative", "interview", "written"]
    rounds.stage_remove(stage=administrative, acting_user=national_officer)
    rows = list(
        staged_round.stages.order_by("position").values_list("position", "stage_type__code")
    )
    assert rows == [(1, "interview"), (2, "written")]


def test_the_first_stage_cannot_move_up(stages: list[RoundStage], national_officer: User) -> None:
    with pytest.raises(ValidationError) as error:
        rounds.stage_move(stage=stages[0], direction="up", acting_user=national_officer)
    assert _messages(error) == ["The stage is already at that end of the order."]
    assert [s.position for s in RoundStage.objects.order_by("pk")] == [1, 2, 3]


def test_stages_of_an_open_round_cannot_change(
    open_round: SelectionRound, stages: list[RoundStage], national_officer: User
) -> None:
    with pytest.raises(ValidationError) as error:
        rounds.stage_remove(stage=stages[0], acting_user=national_officer)
    assert _messages(error) == [
        "The round is “Open: stages running”: its stages can be changed only while it is being "
        "set up."
    ]
    assert open_round.stages.count() == 3


def test_examiners_are_officials_or_partner_users_never_participants(
    stages: list[RoundStage], national_officer: User, participant_user: User
) -> None:
    with pytest.raises(ValidationError) as error:
        rounds.stage_set_examiners(
            stage=stages[1], examiners=[participant_user], acting_user=national_officer
        )
    assert error.value.message_dict == {
        "examiners": ["Examiners are active officials or partner users; choose again."]
    }
    assert [u.username for u in stages[1].examiners.all()] == ["tono"]


# --- impact assessment and opening ---------------------------------------------------------


def test_a_round_without_stages_or_impact_assessment_cannot_open_and_says_what_is_missing(
    draft_round: SelectionRound, national_officer: User
) -> None:
    with pytest.raises(ValidationError) as error:
        rounds.round_open(selection_round=draft_round, acting_user=national_officer)
    assert _messages(error) == [
        "The round cannot open yet:",
        "Add at least one stage.",
        "Record the impact assessment (UU PDP) of the round's scoring.",
    ]
    draft_round.refresh_from_db()
    assert (draft_round.status, draft_round.version) == (RoundStatus.DRAFT, 1)


def test_an_examiner_stage_without_examiners_blocks_opening(
    staged_round: SelectionRound, stages: list[RoundStage], national_officer: User
) -> None:
    rounds.stage_set_examiners(stage=stages[1], examiners=[], acting_user=national_officer)
    assert rounds.opening_blockers(staged_round) == [
        "Assign an examiner to “Written test”: only its examiners enter its results."
    ]


def test_a_complete_round_opens(staged_round: SelectionRound, national_officer: User) -> None:
    opened = rounds.round_open(selection_round=staged_round, acting_user=national_officer)
    assert opened.status == RoundStatus.OPEN
    assert opened.opened_at is not None
    assert ChangeRecord.objects.filter(operation="selection.round_open").count() == 1


def test_revising_the_impact_assessment_keeps_who_when_and_the_change_in_the_audit(
    staged_round: SelectionRound, national_admin: User
) -> None:
    rounds.impact_assessment_save(
        selection_round=staged_round,
        fields={**ASSESSMENT, "risks": "Examiners could be biased."},
        acting_user=national_admin,
    )
    assessment = ImpactAssessment.objects.get(round=staged_round)
    assert (assessment.risks, assessment.assessed_by) == (
        "Examiners could be biased.",
        national_admin,
    )
    records = ChangeRecord.objects.filter(operation="selection.impact_assessment_save")
    assert list(records.order_by("pk").values_list("action", flat=True)) == ["create", "update"]
    assert records.order_by("pk").last().changes == {  # type: ignore[union-attr]
        "risks": {
            "before": "A wrongly entered score could stop a candidate.",
            "after": "Examiners could be biased.",
        }
    }


def test_an_impact_assessment_with_an_empty_part_is_refused(
    draft_round: SelectionRound, national_officer: User
) -> None:
    with pytest.raises(ValidationError) as error:
        rounds.impact_assessment_save(
            selection_round=draft_round,
            fields={**ASSESSMENT, "legal_basis": "  "},
            acting_user=national_officer,
        )
    assert error.value.message_dict == {"legal_basis": ["This part of the assessment is required."]}
    assert not ImpactAssessment.objects.exists()


# --- enrolment and withdrawal ---------------------------------------------------------------


def test_enrolment_moves_the_journey_to_in_selection_and_keeps_where_they_were(
    enrolled: list[Candidacy],
) -> None:
    ani, bayu = enrolled
    assert [(c.participant.status, c.status_before) for c in (ani, bayu)] == [
        (JourneyStatus.IN_SELECTION, JourneyStatus.CERTIFIED),
        (JourneyStatus.IN_SELECTION, JourneyStatus.VERIFIED),
    ]
    assert ani.participant.status_changes.get(to_status="in_selection").reason == (
        "Enrolled in the selection round “IM Japan 2026/1”."
    )


def test_an_ineligible_participant_refuses_the_whole_enrolment_with_reasons(
    open_round: SelectionRound,
    make_participant: Callable[..., Participant],
    provincial_officer: User,
) -> None:
    ready = make_participant(full_name="Citra Dewi")
    early = make_participant(JourneyStatus.REGISTERED, full_name="Dodi Kurnia")
    with pytest.raises(ValidationError) as error:
        rounds.candidacy_enrol(
            selection_round=open_round, participants=[ready, early], acting_user=provincial_officer
        )
    assert _messages(error) == [
        "Dodi Kurnia is “Registered”: only verified or certified participants enter a round."
    ]
    assert not Candidacy.objects.exists()
    ready.refresh_from_db()
    assert ready.status == JourneyStatus.CERTIFIED


def test_a_participant_outside_the_officers_province_cannot_be_enrolled(
    open_round: SelectionRound, participant_jatim: Participant, provincial_officer: User
) -> None:
    Participant.objects.filter(pk=participant_jatim.pk).update(status=JourneyStatus.VERIFIED)
    with pytest.raises(PermissionDenied):
        rounds.candidacy_enrol(
            selection_round=open_round,
            participants=[participant_jatim],
            acting_user=provincial_officer,
        )
    assert not Candidacy.objects.exists()


def test_a_candidate_of_a_running_round_is_not_offered_to_another(
    enrolled: list[Candidacy],
    im_japan: Organisation,
    national_officer: User,
    provincial_officer: User,
) -> None:
    other = rounds.round_create(
        name="IM Japan 2026/2", partner=im_japan, programme=None, acting_user=national_officer
    )
    from jembatan.selection.selectors import enrolment_candidates

    assert list(enrolment_candidates(provincial_officer, other)) == []
    with pytest.raises(ValidationError):
        rounds.candidacy_enrol(
            selection_round=other,
            participants=[enrolled[0].participant],
            acting_user=provincial_officer,
        )
    assert other.candidacies.count() == 0


def test_a_sender_operator_may_not_enrol(
    open_round: SelectionRound, make_participant: Callable[..., Participant], sender_operator: User
) -> None:
    with pytest.raises(PermissionDenied):
        rounds.candidacy_enrol(
            selection_round=open_round,
            participants=[make_participant()],
            acting_user=sender_operator,
        )
    assert not Candidacy.objects.exists()


def test_a_withdrawal_returns_the_journey_to_where_it_was_with_the_reason(
    enrolled: list[Candidacy], provincial_officer: User
) -> None:
    ani = enrolled[0]
    rounds.candidacy_withdraw(candidacy=ani, reason="Moved abroad.", acting_user=provincial_officer)
    ani.refresh_from_db()
    ani.participant.refresh_from_db()
    assert (ani.status, ani.stop_reason) == (CandidacyStatus.WITHDRAWN, "Moved abroad.")
    assert ani.participant.status == JourneyStatus.CERTIFIED
    assert ani.participant.status_changes.order_by("-pk")[0].reason == "Moved abroad."


def test_a_withdrawal_without_a_reason_is_refused(
    enrolled: list[Candidacy], provincial_officer: User
) -> None:
    with pytest.raises(ValidationError):
        rounds.candidacy_withdraw(candidacy=enrolled[0], reason=" ", acting_user=provincial_officer)
    enrolled[0].refresh_from_db()
    assert enrolled[0].status == CandidacyStatus.ACTIVE


def test_cancelling_a_round_returns_every_candidate(
    enrolled: list[Candidacy], open_round: SelectionRound, national_officer: User
) -> None:
    rounds.round_cancel(
        selection_round=open_round, reason="The partner postponed.", acting_user=national_officer
    )
    open_round.refresh_from_db()
    assert (open_round.status, open_round.status_reason) == (
        RoundStatus.CANCELLED,
        "The partner postponed.",
    )
    rows = Candidacy.objects.order_by("participant__full_name")
    assert [(c.status, c.participant.status) for c in rows] == [
        (CandidacyStatus.WITHDRAWN, JourneyStatus.CERTIFIED),
        (CandidacyStatus.WITHDRAWN, JourneyStatus.VERIFIED),
    ]
    assert rows[0].stop_reason == "The round was cancelled: The partner postponed."
