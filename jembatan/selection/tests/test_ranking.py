"""Final scores, the tie-break, the provisional ranking and closing a round."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from jembatan.core.models import ChangeRecord
from jembatan.participants.models import JourneyStatus
from jembatan.selection.models import (
    Candidacy,
    CandidacyStatus,
    RoundStage,
    RoundStatus,
    Scoring,
    SelectionRound,
)
from jembatan.selection.services.ranking import (
    compute_ranking,
    final_score,
    lottery_number,
    round_close,
    stored_ranking,
    tie_break_stages,
)
from jembatan.selection.tests import factories_ranking as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def selection_round(im_japan) -> SelectionRound:
    return f.open_round(im_japan)


def test_the_final_score_is_the_weighted_mean_of_normalised_scores(selection_round, national_admin):
    # Given written 90/100 (weight 60) and interview 30/50 = 60% (weight 40)
    candidacy = f.passed(selection_round, "90", "30", acting_user=national_admin)
    # When the ranking is computed
    [row] = compute_ranking(selection_round)
    # Then the final score is (60 × 90 + 40 × 60) / 100 = 78.000
    assert row.final_score == Decimal("78.000")
    assert row.candidacy == candidacy
    assert row.normalised == (Decimal(90), Decimal(60))


def test_the_final_score_is_rounded_half_up_to_three_decimals(selection_round):
    written, interview, medical = f.stages(selection_round)
    values = {written.pk: Decimal("66.67"), interview.pk: Decimal("33.33")}
    # (60 × 66.67 + 40 × 66.66) / 100 = 66.666
    assert final_score(values, [written, interview, medical]) == Decimal("66.666")
    values = {written.pk: Decimal("0.0025"), interview.pk: Decimal(0)}
    assert final_score(values, [written, interview]) == Decimal("0.002")


def test_without_weights_every_final_score_is_zero(selection_round):
    selection_round.stages.update(weight=0)
    assert final_score({1: Decimal(100)}, list(selection_round.stages.all())) == Decimal("0.000")


def test_a_higher_final_score_ranks_first(selection_round, national_admin):
    low = f.passed(selection_round, "70", "30", acting_user=national_admin)
    high = f.passed(selection_round, "95", "45", acting_user=national_admin)
    ranking = compute_ranking(selection_round)
    assert [(r.rank, r.candidacy) for r in ranking] == [(1, high), (2, low)]


def test_equal_final_scores_are_split_by_the_heaviest_stage_first(selection_round, national_admin):
    # Given two candidates with 80.000: written 100 + interview 50%, and written 80 + interview 80%
    steady = f.passed(selection_round, "80", "40", acting_user=national_admin)
    writer = f.passed(selection_round, "100", "25", acting_user=national_admin)
    ranking = compute_ranking(selection_round)
    # Then the better written test (weight 60) goes first
    assert [r.final_score for r in ranking] == [Decimal("80.000"), Decimal("80.000")]
    assert [r.candidacy for r in ranking] == [writer, steady]


def test_equal_weights_are_taken_in_stage_order(selection_round, national_admin):
    selection_round.stages.filter(position__in=[1, 2]).update(weight=50)
    written, interview, _medical = f.stages(selection_round)
    assert tie_break_stages([interview, written]) == [written, interview]
    # written 100 + interview 60% and written 60 + interview 100%: both 80.000
    second = f.passed(selection_round, "60", "50", acting_user=national_admin)
    first = f.passed(selection_round, "100", "30", acting_user=national_admin)
    assert [r.candidacy for r in compute_ranking(selection_round)] == [first, second]


def test_a_complete_tie_is_decided_by_the_lottery_number(selection_round, national_admin):
    tied = [f.passed(selection_round, "80", "40", acting_user=national_admin) for _ in range(4)]
    ranking = compute_ranking(selection_round)
    expected = sorted(tied, key=lambda c: lottery_number(selection_round.pk, c.participant_id))
    assert [r.candidacy for r in ranking] == expected
    assert [r.rank for r in ranking] == [1, 2, 3, 4]


def test_the_lottery_number_is_the_sha256_of_round_and_participant():
    assert lottery_number(7, 42) == hashlib.sha256(b"7:42").hexdigest()


def test_only_passed_candidates_are_ranked_and_superseded_scores_are_ignored(
    selection_round, national_admin
):
    ranked = f.passed(selection_round, "70", "35", acting_user=national_admin)
    f.failed(selection_round, acting_user=national_admin)
    f.candidate(selection_round)  # still active
    # A corrected written score: the old 99 is superseded by the 70 above
    f.score(ranked, f.stages(selection_round)[0], "99", acting_user=national_admin, superseded=True)
    [row] = compute_ranking(selection_round)
    assert row.candidacy == ranked
    assert row.final_score == Decimal("70.000")


def test_the_provisional_ranking_stores_nothing(selection_round, national_admin):
    candidacy = f.passed(selection_round, "70", "35", acting_user=national_admin)
    compute_ranking(selection_round)
    candidacy.refresh_from_db()
    assert (candidacy.rank, candidacy.final_score) == (None, None)


# --- closing -----------------------------------------------------------------------


def test_closing_stores_ranks_and_moves_every_candidate_along_the_journey(
    selection_round, national_admin
):
    # Given two who passed and one who failed (still in selection; certified before the round)
    second = f.passed(selection_round, "70", "35", acting_user=national_admin)
    first = f.passed(selection_round, "95", "45", acting_user=national_admin)
    loser = f.failed(selection_round, acting_user=national_admin, before=JourneyStatus.CERTIFIED)
    version = selection_round.version
    # When national staff close the round
    round_close(round=selection_round, acting_user=national_admin, reason="All stages done.")
    # Then the ranking is stored, the round closed, and the journeys moved
    selection_round.refresh_from_db()
    assert (selection_round.status, selection_round.version) == (RoundStatus.CLOSED, version + 1)
    assert selection_round.closed_at is not None
    first.refresh_from_db()
    second.refresh_from_db()
    loser.refresh_from_db()
    assert (first.rank, first.final_score) == (1, Decimal("93.000"))
    assert (second.rank, second.final_score) == (2, Decimal("70.000"))
    assert loser.rank is None
    assert first.participant.status == JourneyStatus.SELECTED
    assert second.participant.status == JourneyStatus.SELECTED
    assert loser.participant.status == JourneyStatus.CERTIFIED
    step = loser.participant.status_changes.order_by("-pk").first()
    assert step.reason == "Written test: 35 of 100 (pass mark 60)."
    chosen = first.participant.status_changes.order_by("-pk").first()
    assert chosen.reason == "Passed selection round “IM Japan 2026/1”."
    record = ChangeRecord.objects.get(operation="selection.round_close")
    assert record.changes["status"] == {"before": "open", "after": "closed"}
    assert record.changes["ranked"] == {"before": None, "after": 2}
    assert record.reason == "All stages done."


def test_the_stored_ranking_matches_the_last_provisional_one(selection_round, national_admin):
    for written in ("61", "88", "75", "88"):
        f.passed(selection_round, written, "40", acting_user=national_admin)
    provisional = [
        (r.rank, r.candidacy.pk, r.final_score) for r in compute_ranking(selection_round)
    ]
    round_close(round=selection_round, acting_user=national_admin)
    stored = [(r.rank, r.candidacy.pk, r.final_score) for r in stored_ranking(selection_round)]
    assert stored == provisional


def test_closing_is_refused_while_candidates_wait_and_says_where(selection_round, national_admin):
    f.passed(selection_round, "70", "35", acting_user=national_admin)
    waiting_written = f.candidate(selection_round)
    waiting_interview = f.candidate(selection_round)
    f.score(waiting_interview, f.stages(selection_round)[0], "80", acting_user=national_admin)
    del waiting_written
    with pytest.raises(ValidationError) as refused:
        round_close(round=selection_round, acting_user=national_admin)
    assert refused.value.messages == [
        "2 candidates are still in the stages (1 at stage 1. Written test; 1 at stage "
        "2. Interview). Record the missing results or withdraw the candidates before "
        "closing the round."
    ]
    selection_round.refresh_from_db()
    assert selection_round.status == RoundStatus.OPEN
    assert not Candidacy.objects.filter(rank__isnull=False).exists()
    assert not ChangeRecord.objects.filter(operation="selection.round_close").exists()


def test_only_an_open_round_closes(selection_round, national_admin):
    SelectionRound.objects.filter(pk=selection_round.pk).update(status=RoundStatus.DRAFT)
    selection_round.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        round_close(round=selection_round, acting_user=national_admin)
    assert refused.value.messages == [
        "Only an open round can be closed; this round is being set up."
    ]


def test_only_national_staff_close_a_round(selection_round, partner_user, national_admin):
    candidacy = f.passed(selection_round, "70", "35", acting_user=national_admin)
    with pytest.raises(PermissionDenied):
        round_close(round=selection_round, acting_user=partner_user)
    selection_round.refresh_from_db()
    candidacy.refresh_from_db()
    assert selection_round.status == RoundStatus.OPEN
    assert candidacy.rank is None
    assert candidacy.participant.status == JourneyStatus.IN_SELECTION


def test_a_participant_already_out_of_selection_is_not_moved(selection_round, national_admin):
    gone = f.passed(
        selection_round, "70", "35", acting_user=national_admin, journey=JourneyStatus.WITHDRAWN
    )
    round_close(round=selection_round, acting_user=national_admin)
    gone.refresh_from_db()
    assert gone.rank == 1
    assert gone.participant.status == JourneyStatus.WITHDRAWN
    assert gone.status == CandidacyStatus.PASSED


weights = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=100),  # weight
        st.integers(min_value=1, max_value=500),  # maximum score
        st.integers(min_value=0, max_value=100),  # percentage obtained
    ),
    min_size=1,
    max_size=6,
)


@given(weights)
def test_the_final_score_lies_between_the_lowest_and_highest_weighted_percentage(rows):
    stages = [
        RoundStage(pk=i, scoring=Scoring.SCORE, max_score=Decimal(top), weight=Decimal(w))
        for i, (w, top, _pct) in enumerate(rows, start=1)
    ]
    values = {i: Decimal(top) * pct / 100 for i, (_w, top, pct) in enumerate(rows, start=1)}
    score = final_score(values, stages)
    weighted = [pct for w, _top, pct in rows if w > 0]
    if not weighted:
        assert score == Decimal("0.000")
    else:
        assert Decimal(min(weighted)) <= score <= Decimal(max(weighted))
    assert score == score.quantize(Decimal("0.001"))
