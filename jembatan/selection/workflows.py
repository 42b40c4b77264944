"""The workflows of selection: a round, a candidacy in it, and an interview decision.

A round is set up as a *draft*, opened for scoring once nothing is missing, and
closed (ranking stored, journeys moved) when nobody waits at a stage; a draft
or open round may be cancelled. A candidacy's status follows its current
scores (active, failed, passed: any of them may follow another as results are
entered and corrected) until it is withdrawn. After the round closes the
partner decides on each shortlisted candidate, and may change its decision
with a note; nothing goes back to *not interviewed*.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from jembatan.core.roles import NATIONAL, STAFF, Role
from jembatan.core.transitions import Transition, Workflow, register
from jembatan.selection.models import CandidacyStatus, InterviewDecision, RoundStatus
from jembatan.selection.selectors import ENROLLERS

EXAMINERS = STAFF | {Role.PARTNER}  # only a stage's examiners, or its officers or partner
DECIDERS = NATIONAL | {Role.PARTNER}  # a partner only on its own job orders


class RoundAction(StrEnum):
    """What national staff do with a round."""

    OPEN = "open"
    CLOSE = "close"
    CANCEL = "cancel"


ROUND_WORKFLOW: Workflow[RoundAction, RoundStatus] = Workflow(
    statuses=RoundStatus,
    noun=_("selection round"),
    transitions={
        RoundAction.OPEN: Transition(
            _("open the round"),
            frozenset({RoundStatus.DRAFT}),
            RoundStatus.OPEN,
            NATIONAL,
            conditions=("nothing in opening_blockers() (stages, weights, examiners)",),
            effects="round_open: opened_at set, version + 1.",
        ),
        RoundAction.CLOSE: Transition(
            _("close the round"),
            frozenset({RoundStatus.OPEN}),
            RoundStatus.CLOSED,
            NATIONAL,
            conditions=("no candidacy still active (waiting for a result)",),
            effects=(
                "round_close: final scores and ranks stored; passed participants selected, "
                "failed ones back to where they were (participant_transition); closed_at, "
                "version + 1."
            ),
        ),
        RoundAction.CANCEL: Transition(
            _("cancel the round"),
            frozenset({RoundStatus.DRAFT, RoundStatus.OPEN}),
            RoundStatus.CANCELLED,
            NATIONAL,
            needs_reason=True,
            effects=(
                "round_cancel: the reason kept; every candidacy not failed is withdrawn and "
                "each participant still in selection goes back to where they were."
            ),
        ),
    },
)
register("selection.SelectionRound", "status", ROUND_WORKFLOW)


class CandidacyAction(StrEnum):
    """What happens to a candidacy."""

    SETTLE = "settle"
    WITHDRAW = "withdraw"


SCORED = frozenset({CandidacyStatus.ACTIVE, CandidacyStatus.FAILED, CandidacyStatus.PASSED})
CANDIDACY_WORKFLOW: Workflow[CandidacyAction, CandidacyStatus] = Workflow(
    statuses=CandidacyStatus,
    noun=_("candidacy"),
    transitions={
        # No fixed target: the status is what the current scores say.
        CandidacyAction.SETTLE: Transition(
            _("record a result"),
            SCORED,
            None,
            EXAMINERS,
            conditions=(
                "the round is open",
                "stages are scored in order; a correction says why",
            ),
            effects=(
                "score_record: the score (a correction supersedes the earlier one; a fail "
                "sets aside later results); the status becomes what the scores say."
            ),
        ),
        CandidacyAction.WITHDRAW: Transition(
            _("withdraw the candidate"),
            SCORED,
            CandidacyStatus.WITHDRAWN,
            ENROLLERS,
            needs_reason=True,
            conditions=("the round is a draft or open", "the participant is in scope"),
            effects=(
                "candidacy_withdraw (or round_cancel): the reason kept; a participant still "
                "in selection goes back to where they were; the round's version + 1."
            ),
        ),
    },
)
register("selection.Candidacy", "status", CANDIDACY_WORKFLOW)


class InterviewAction(StrEnum):
    """The partner's decision after an interview."""

    ACCEPT = "accept"
    DECLINE = "decline"
    MARK_ABSENT = "mark_absent"


INTERVIEW_WORKFLOW: Workflow[InterviewAction, InterviewDecision] = Workflow(
    statuses=InterviewDecision,
    noun=_("interview decision"),
    transitions={
        InterviewAction.ACCEPT: Transition(
            _("accept the candidate"),
            frozenset(
                {InterviewDecision.PENDING, InterviewDecision.DECLINED, InterviewDecision.ABSENT}
            ),
            InterviewDecision.ACCEPTED,
            DECIDERS,
            conditions=("the round is closed", "a change of decision says why"),
            effects="interview_decide: the decision, its note, who and when.",
        ),
        InterviewAction.DECLINE: Transition(
            _("decline the candidate"),
            frozenset(
                {InterviewDecision.PENDING, InterviewDecision.ACCEPTED, InterviewDecision.ABSENT}
            ),
            InterviewDecision.DECLINED,
            DECIDERS,
            needs_reason=True,
            conditions=("the round is closed",),
            effects="interview_decide: the decision, its note, who and when.",
        ),
        InterviewAction.MARK_ABSENT: Transition(
            _("record that the candidate did not attend"),
            frozenset(
                {InterviewDecision.PENDING, InterviewDecision.ACCEPTED, InterviewDecision.DECLINED}
            ),
            InterviewDecision.ABSENT,
            DECIDERS,
            needs_reason=True,
            conditions=("the round is closed",),
            effects="interview_decide: the decision, its note, who and when.",
        ),
    },
)
register("selection.ShortlistEntry", "decision", INTERVIEW_WORKFLOW)


def interview_action(decision: str) -> InterviewAction | None:
    """The action that records ``decision`` (None for *not interviewed*, which none does)."""
    for action, transition in INTERVIEW_WORKFLOW.transitions.items():
        if transition.target == decision:
            return action
    return None
