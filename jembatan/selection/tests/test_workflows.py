"""Every move outside selection's tables is refused through its service and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.core.transitions import TransitionRefused, illegal_moves
from jembatan.demand.factories import JobOrderFactory
from jembatan.organisations.models import Organisation
from jembatan.selection.models import (
    Candidacy,
    CandidacyStatus,
    Score,
    SelectionRound,
    ShortlistEntry,
)
from jembatan.selection.services.ranking import round_close
from jembatan.selection.services.rounds import candidacy_withdraw, round_cancel, round_open
from jembatan.selection.services.scoring import score_record
from jembatan.selection.services.shortlists import interview_decide, shortlist_create
from jembatan.selection.tests import factories_ranking as f
from jembatan.selection.workflows import (
    CANDIDACY_WORKFLOW,
    INTERVIEW_WORKFLOW,
    ROUND_WORKFLOW,
    CandidacyAction,
    InterviewAction,
    RoundAction,
)

pytestmark = pytest.mark.django_db


def _round_state(selection_round: SelectionRound) -> tuple[Any, ...]:
    fresh = SelectionRound.objects.get(pk=selection_round.pk)
    return fresh.status, fresh.version, fresh.status_reason, ChangeRecord.objects.count()


@pytest.mark.parametrize(("status", "action"), list(illegal_moves(ROUND_WORKFLOW)))
def test_a_round_move_the_table_does_not_allow_is_refused_and_changes_nothing(
    status: str, action: RoundAction, im_japan: Organisation, national_officer: User
) -> None:
    selection_round = f.open_round(im_japan)
    SelectionRound.objects.filter(pk=selection_round.pk).update(status=status)
    selection_round.refresh_from_db()
    before = _round_state(selection_round)

    with pytest.raises(TransitionRefused):
        if action == RoundAction.OPEN:
            round_open(selection_round=selection_round, acting_user=national_officer)
        elif action == RoundAction.CLOSE:
            round_close(round=selection_round, acting_user=national_officer)
        else:
            round_cancel(
                selection_round=selection_round, reason="Budget cut.", acting_user=national_officer
            )

    assert _round_state(selection_round) == before


def _candidacy_state(candidacy: Candidacy) -> tuple[Any, ...]:
    fresh = Candidacy.objects.get(pk=candidacy.pk)
    return fresh.status, fresh.stop_reason, Score.objects.count(), ChangeRecord.objects.count()


@pytest.mark.parametrize(("status", "action"), list(illegal_moves(CANDIDACY_WORKFLOW)))
def test_a_candidacy_move_the_table_does_not_allow_is_refused_and_changes_nothing(
    status: str, action: CandidacyAction, im_japan: Organisation, national_officer: User
) -> None:
    selection_round = f.open_round(im_japan)
    candidacy = f.candidate(selection_round, status=CandidacyStatus(status))
    before = _candidacy_state(candidacy)

    with pytest.raises(TransitionRefused, match="withdrawn"):
        if action == CandidacyAction.SETTLE:
            score_record(
                candidacy=candidacy,
                stage=f.stages(selection_round)[0],
                value="75",
                passed=None,
                note="",
                correction_reason="",
                acting_user=national_officer,
            )
        else:
            candidacy_withdraw(
                candidacy=candidacy, reason="Moved away.", acting_user=national_officer
            )

    assert _candidacy_state(candidacy) == before


def _entry_state(entry: ShortlistEntry) -> tuple[Any, ...]:
    fresh = ShortlistEntry.objects.get(pk=entry.pk)
    return fresh.decision, fresh.decision_note, ChangeRecord.objects.count()


@pytest.mark.parametrize(("decision", "action"), list(illegal_moves(INTERVIEW_WORKFLOW)))
def test_an_interview_decision_the_table_does_not_allow_is_refused_and_changes_nothing(
    decision: str, action: InterviewAction, im_japan: Organisation, national_admin: User
) -> None:
    selection_round = f.open_round(im_japan)
    f.passed(selection_round, "90", "40", acting_user=national_admin)
    round_close(round=selection_round, acting_user=national_admin)
    job_order = JobOrderFactory(partner=im_japan, approved=True, slots=1, max_age=30)
    shortlist = shortlist_create(
        round=selection_round, job_order=job_order, per_vacancy=1, acting_user=national_admin
    ).shortlist
    entry = shortlist.entries.get()
    ShortlistEntry.objects.filter(pk=entry.pk).update(decision=decision, decision_note="Earlier.")
    before = _entry_state(entry)

    with pytest.raises(TransitionRefused):
        interview_decide(
            entry=entry,
            decision=str(INTERVIEW_WORKFLOW[action].target),
            note="Seen again.",
            acting_user=national_admin,
        )

    assert _entry_state(entry) == before
