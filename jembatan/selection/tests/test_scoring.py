"""Scores: who may enter them, the order of stages, fails, corrections and their history."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jembatan.accounts.factories import UserFactory
from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.core.roles import Role
from jembatan.organisations.factories import OrganisationFactory
from jembatan.participants.models import JourneyStatus
from jembatan.selection.models import (
    Candidacy,
    CandidacyStatus,
    RoundStage,
    Score,
    ScoreSource,
    SelectionRound,
)
from jembatan.selection.services import rounds
from jembatan.selection.services.scoring import may_score, score_record

pytestmark = pytest.mark.django_db


def _score(
    candidacy: Candidacy,
    stage: RoundStage,
    by: User,
    value: Any = None,
    passed: bool | None = None,
    note: str = "",
    reason: str = "",
    **seen: Any,
) -> Any:
    return score_record(
        candidacy=candidacy,
        stage=stage,
        value=value,
        passed=passed,
        note=note,
        correction_reason=reason,
        acting_user=by,
        **seen,
    )


@pytest.fixture
def scorers(national_officer: User, training_operator: User, partner_user: User) -> dict[str, User]:
    """Who enters each stage of the fixture round: oki, tono (examiner), hiroshi (partner)."""
    return {
        "administrative": national_officer,
        "written": training_operator,
        "interview": partner_user,
    }


def _through_written(
    candidacy: Candidacy, stages: list[RoundStage], scorers: dict[str, User], written: str
) -> None:
    _score(candidacy, stages[0], scorers["administrative"], passed=True)
    _score(candidacy, stages[1], scorers["written"], value=written)


# --- who ------------------------------------------------------------------------------------


def test_who_may_score_follows_each_stages_entered_by(
    open_round: SelectionRound,
    stages: list[RoundStage],
    national_officer: User,
    training_operator: User,
    partner_user: User,
    provincial_officer: User,
    auditor: User,
) -> None:
    other_partner = UserFactory(
        role=Role.PARTNER, organisation=OrganisationFactory(partner=True), username="kim"
    )
    people = [national_officer, training_operator, partner_user, provincial_officer, auditor]
    people.append(other_partner)
    table = {s.stage_type.code: [p.username for p in people if may_score(p, s)] for s in stages}
    assert table == {
        "administrative": ["oki"],
        "written": ["tono"],
        "interview": ["hiroshi"],
    }


def test_an_examiner_may_score_an_officer_stage_once_assigned(
    stages: list[RoundStage], national_officer: User, training_operator: User
) -> None:
    rounds.stage_set_examiners(
        stage=stages[0], examiners=[training_operator], acting_user=national_officer
    )
    assert may_score(training_operator, stages[0])


def test_someone_who_may_not_score_the_stage_is_refused_and_nothing_is_written(
    enrolled: list[Candidacy], stages: list[RoundStage], national_officer: User
) -> None:
    with pytest.raises(PermissionDenied):
        _score(enrolled[0], stages[1], national_officer, value="80")
    assert not Score.objects.exists()


def test_results_are_entered_only_while_the_round_is_open(
    staged_round: SelectionRound, stages: list[RoundStage], national_officer: User
) -> None:
    from jembatan.selection.factories import CandidacyFactory

    candidacy = CandidacyFactory(round=staged_round)
    with pytest.raises(ValidationError) as error:
        _score(candidacy, stages[0], national_officer, passed=True)
    assert error.value.messages == [
        "The round is “Being set up”: results are entered only while it is open."
    ]
    assert not Score.objects.exists()


# --- order, scale, fails ------------------------------------------------------------------


def test_a_stage_is_scored_only_after_every_earlier_one_is_passed(
    enrolled: list[Candidacy], stages: list[RoundStage], scorers: dict[str, User]
) -> None:
    with pytest.raises(ValidationError) as error:
        _score(enrolled[0], stages[1], scorers["written"], value="80")
    assert error.value.messages == [
        "Enter the result of “Administrative check” first: stages are marked in order."
    ]
    assert not Score.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("101", "101 is outside the scale: enter a score from 0 to 100."),
        ("-1", "-1 is outside the scale: enter a score from 0 to 100."),
        ("72.555", "72.555 has more than two decimals; round it to two."),
        ("tujuh", "“tujuh” is not a number. Enter a score from 0 to 100."),
        ("", "Enter the score."),
    ],
)
def test_a_value_off_the_scale_is_refused(
    enrolled: list[Candidacy],
    stages: list[RoundStage],
    scorers: dict[str, User],
    value: str,
    message: str,
) -> None:
    _score(enrolled[0], stages[0], scorers["administrative"], passed=True)
    with pytest.raises(ValidationError) as error:
        _score(enrolled[0], stages[1], scorers["written"], value=value)
    assert error.value.messages == [message]
    assert Score.objects.filter(stage=stages[1]).count() == 0


def test_a_decimal_comma_is_read_as_a_decimal_point(
    enrolled: list[Candidacy], stages: list[RoundStage], scorers: dict[str, User]
) -> None:
    _through_written(enrolled[0], stages, scorers, "72,5")
    assert Score.objects.get(stage=stages[1]).value == Decimal("72.50")


def test_a_score_below_the_pass_mark_stops_the_candidate_with_the_reason(
    enrolled: list[Candidacy], stages: list[RoundStage], scorers: dict[str, User]
) -> None:
    ani = enrolled[0]
    _score(ani, stages[0], scorers["administrative"], passed=True)
    _score(ani, stages[1], scorers["written"], value="55", note="Ran out of time.")
    ani.refresh_from_db()
    assert (ani.status, ani.failed_stage) == (CandidacyStatus.FAILED, stages[1])
    assert ani.stop_reason == (
        "Did not pass “Written test”: the score 55 is below the pass mark of 60 (out of 100). "
        "Examiner's note: Ran out of time."
    )
    assert ani.participant.status == JourneyStatus.IN_SELECTION  # moves when the round closes
    with pytest.raises(ValidationError) as error:
        _score(ani, stages[2], scorers["interview"], value="90")
    assert error.value.messages == [
        "The candidate stopped at “Written test”: no later stage may be scored."
    ]
    assert not Score.objects.filter(stage=stages[2]).exists()


def test_a_pass_fail_stage_failed_stops_the_candidate(
    enrolled: list[Candidacy], stages: list[RoundStage], scorers: dict[str, User]
) -> None:
    _score(enrolled[0], stages[0], scorers["administrative"], passed=False)
    enrolled[0].refresh_from_db()
    assert enrolled[0].stop_reason == "Did not pass “Administrative check”: the result was a fail."


def test_a_candidate_who_passes_every_stage_has_passed(
    enrolled: list[Candidacy], stages: list[RoundStage], scorers: dict[str, User]
) -> None:
    ani = enrolled[0]
    _through_written(ani, stages, scorers, "60")
    ani.refresh_from_db()
    assert ani.status == CandidacyStatus.ACTIVE
    _score(ani, stages[2], scorers["interview"], value="88.25")
    ani.refresh_from_db()
    assert (ani.status, ani.stop_reason) == (CandidacyStatus.PASSED, "")


def test_every_entry_is_attributable_and_audited(
    enrolled: list[Candidacy], stages: list[RoundStage], scorers: dict[str, User]
) -> None:
    _through_written(enrolled[0], stages, scorers, "75")
    score = Score.objects.get(stage=stages[1])
    assert (score.entered_by, score.source, score.value, score.passed) == (
        scorers["written"],
        ScoreSource.PAGE,
        Decimal("75.00"),
        True,
    )
    record = ChangeRecord.objects.get(
        operation="selection.score_record", object_id=str(score.pk), action="create"
    )
    assert record.actor == scorers["written"]
    assert record.changes["value"] == {"after": "75"}


# --- double submissions and corrections -----------------------------------------------------


def test_submitting_the_same_result_twice_creates_one_row(
    enrolled: list[Candidacy], stages: list[RoundStage], scorers: dict[str, User]
) -> None:
    _through_written(enrolled[0], stages, scorers, "75")
    again = _score(enrolled[0], stages[1], scorers["written"], value="75.00")
    assert again.created is False
    assert Score.objects.filter(stage=stages[1]).count() == 1


def test_a_different_value_without_a_reason_is_refused(
    enrolled: list[Candidacy], stages: list[RoundStage], scorers: dict[str, User]
) -> None:
    _through_written(enrolled[0], stages, scorers, "75")
    with pytest.raises(ValidationError) as error:
        _score(enrolled[0], stages[1], scorers["written"], value="80")
    assert error.value.messages == [
        "This stage already has a result (75 (passed)). To correct it, give the reason for the "
        "correction."
    ]
    assert list(Score.objects.filter(stage=stages[1]).values_list("value", flat=True)) == [
        Decimal("75.00")
    ]


def test_a_correction_keeps_the_old_score_in_the_history(
    enrolled: list[Candidacy], stages: list[RoundStage], scorers: dict[str, User]
) -> None:
    _through_written(enrolled[0], stages, scorers, "75")
    old = Score.objects.get(stage=stages[1])
    outcome = _score(
        enrolled[0], stages[1], scorers["written"], value="78", reason="Page 3 was not counted."
    )
    old.refresh_from_db()
    assert (old.superseded_by, old.correction_reason) == (
        outcome.score,
        "Page 3 was not counted.",
    )
    assert old.superseded_at is not None
    rows = Score.objects.filter(stage=stages[1]).order_by("pk")
    assert [(s.value, s.superseded_at is None) for s in rows] == [
        (Decimal("75.00"), False),
        (Decimal("78.00"), True),
    ]


def test_correcting_a_fail_into_a_pass_makes_the_candidate_active_again(
    enrolled: list[Candidacy], stages: list[RoundStage], scorers: dict[str, User]
) -> None:
    ani = enrolled[0]
    _through_written(ani, stages, scorers, "55")
    _score(ani, stages[1], scorers["written"], value="65", reason="Miscounted.")
    ani.refresh_from_db()
    assert (ani.status, ani.failed_stage, ani.stop_reason) == (CandidacyStatus.ACTIVE, None, "")
    _score(ani, stages[2], scorers["interview"], value="70")
    ani.refresh_from_db()
    assert ani.status == CandidacyStatus.PASSED


def test_correcting_a_pass_into_a_fail_sets_the_later_results_aside(
    enrolled: list[Candidacy], stages: list[RoundStage], scorers: dict[str, User]
) -> None:
    ani = enrolled[0]
    _through_written(ani, stages, scorers, "75")
    _score(ani, stages[2], scorers["interview"], value="70")
    outcome = _score(ani, stages[1], scorers["written"], value="50", reason="Answer key error.")
    ani.refresh_from_db()
    assert (ani.status, ani.failed_stage) == (CandidacyStatus.FAILED, stages[1])
    interview = Score.objects.get(stage=stages[2])
    assert [s.pk for s in outcome.set_aside] == [interview.pk]
    assert interview.superseded_at is not None
    assert interview.correction_reason == (
        "Set aside: the earlier stage “Written test” was corrected to a fail."
    )
    assert Score.objects.filter(candidacy=ani, superseded_at__isnull=True).count() == 2


def test_a_withdrawn_candidates_results_can_no_longer_change(
    enrolled: list[Candidacy],
    stages: list[RoundStage],
    scorers: dict[str, User],
    provincial_officer: User,
) -> None:
    ani = enrolled[0]
    _through_written(ani, stages, scorers, "75")
    rounds.candidacy_withdraw(candidacy=ani, reason="Moved.", acting_user=provincial_officer)
    with pytest.raises(ValidationError) as error:
        _score(ani, stages[1], scorers["written"], value="80", reason="Late fix.")
    assert error.value.messages == ["The candidate was withdrawn: results can no longer change."]
    assert Score.objects.filter(stage=stages[1]).count() == 1


def test_a_stage_of_another_round_is_refused(
    enrolled: list[Candidacy], national_officer: User, im_japan: Any
) -> None:
    other = rounds.round_create(
        name="Other", partner=im_japan, programme=None, acting_user=national_officer
    )
    from jembatan.selection.factories import add_stage

    stage = add_stage(other, "administrative")
    with pytest.raises(ValidationError):
        _score(enrolled[0], stage, national_officer, passed=True)
    assert not Score.objects.exists()


def test_a_correction_made_on_a_stale_page_is_refused(
    enrolled: list[Candidacy], stages: list[RoundStage], scorers: dict[str, User]
) -> None:
    _through_written(enrolled[0], stages, scorers, "75")
    shown_on_both_pages = Score.objects.get(stage=stages[1]).pk
    _score(
        enrolled[0],
        stages[1],
        scorers["written"],
        "80",
        reason="Re-marked.",
        seen=shown_on_both_pages,
    )
    with pytest.raises(ValidationError) as error:
        _score(
            enrolled[0],
            stages[1],
            scorers["written"],
            "85",
            reason="Bonus.",
            seen=shown_on_both_pages,
        )
    assert error.value.messages == [
        "The result changed while you were on the page: it is now “80 (passed)”. Check it and, "
        "if it is still wrong, enter the correction again."
    ]
    assert Score.objects.filter(stage=stages[1], superseded_at__isnull=True).get().value == 80


def test_a_first_result_over_one_entered_meanwhile_is_refused_as_stale(
    enrolled: list[Candidacy], stages: list[RoundStage], scorers: dict[str, User]
) -> None:
    _through_written(enrolled[0], stages, scorers, "75")
    with pytest.raises(ValidationError) as error:
        _score(enrolled[0], stages[1], scorers["written"], "60", reason="Mine.", seen=None)
    assert error.value.code == "stale"
    assert Score.objects.filter(stage=stages[1]).count() == 1


def test_a_person_whose_processing_is_restricted_gets_no_new_result_and_nothing_is_written(
    enrolled: list[Candidacy],
    stages: list[RoundStage],
    scorers: dict[str, User],
    national_officer: User,
) -> None:
    from django.core.exceptions import ValidationError

    from jembatan.privacy.errors import PrivacyErrorCode
    from jembatan.privacy.factories import restrict

    ani, bayu = enrolled
    restrict(ani.participant, officer=national_officer)
    before = Candidacy.objects.filter(pk=ani.pk).values().get()

    with pytest.raises(ValidationError) as refused:
        _score(ani, stages[0], scorers["administrative"], passed=True)
    _score(bayu, stages[0], scorers["administrative"], passed=True)

    assert refused.value.code == PrivacyErrorCode.PROCESSING_RESTRICTED
    assert "restrict the processing of their data" in refused.value.messages[0]
    assert not ani.scores.exists() and bayu.scores.count() == 1
    assert Candidacy.objects.filter(pk=ani.pk).values().get() == before
