"""API: selection rounds, stages and ranking, scores, shortlists and interview decisions.

Reads go through the selection selectors, so a round the caller may not see
answers 404, and the ranking has the ranking page's access (national staff,
auditors, the round's own partner) and logs the read. Writes go through the
same services as the pages (``scoring.score_record``, ``shortlists.shortlist_create``,
``shortlists.interview_decide``), so a refusal has the same words: 403 for someone
who may not act, 409 when the round, candidacy, job order or decision is not in a
state to accept it (also a shortlist nobody is left for, e.g. because the ranked
candidates still owe selection-stage documents: the refusal names each document),
400 for invalid input; nothing is written in any of these cases. A NIK that is not a candidate
of the round the caller may see answers 404, whether or not the NIK exists.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from jembatan.api.access import roles
from jembatan.api.paging import page_size
from jembatan.api.refusals import service_refusals
from jembatan.core.access import role_of
from jembatan.core.audit import record_access
from jembatan.core.paging import keyset_page, parse_cursor
from jembatan.core.roles import NATIONAL, Role
from jembatan.demand.errors import DemandErrorCode
from jembatan.demand.selectors import job_order_for
from jembatan.selection import selectors
from jembatan.selection.errors import SelectionErrorCode
from jembatan.selection.models import (
    Candidacy,
    CandidacyStatus,
    RoundStage,
    RoundStatus,
    ScoreSource,
    SelectionRound,
    ShortlistEntry,
)
from jembatan.selection.papers import skipped_message
from jembatan.selection.report_views import RANKING_READERS
from jembatan.selection.score_views import SCORERS, VIEWERS
from jembatan.selection.services import scoring, shortlists
from jembatan.selection.services.ranking import RankedCandidate, compute_ranking, stored_ranking

router = Router(tags=["selection"])
# Refusals about the state of things (the round, the candidacy, a decision), not the input.
CONFLICTS = frozenset(
    {
        SelectionErrorCode.ROUND_NOT_OPEN,
        SelectionErrorCode.NOT_ELIGIBLE,
        SelectionErrorCode.STALE,
        SelectionErrorCode.ROUND_NOT_CLOSED,
        SelectionErrorCode.UNCHANGED,
        SelectionErrorCode.OTHER_PARTNER,
        SelectionErrorCode.NO_OPEN_SLOT,
        SelectionErrorCode.SHORTLIST_EXISTS,
        SelectionErrorCode.NOBODY_ELIGIBLE,
        DemandErrorCode.JOB_ORDER_NOT_OPEN,
    }
)


class RoundOut(Schema):
    """A selection round (no personal data)."""

    id: int
    name: str
    partner_id: int
    partner: str
    programme_id: int | None
    programme: str | None
    status: str
    version: int
    created_at: dt.datetime
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None


class RoundPage(Schema):
    """One page of rounds and the cursor of the next."""

    items: list[RoundOut]
    next_cursor: int | None


class StageOut(Schema):
    """One stage of a round: its scale, pass mark, weight and who enters its results."""

    id: int
    position: int
    code: str
    name: str
    scoring: str
    max_score: Decimal | None
    pass_mark: Decimal | None
    weight: Decimal
    entered_by: str


class RoundDetailOut(RoundOut):
    """A round with its stages in order and how many candidates are at each status."""

    stages: list[StageOut]
    counts: dict[str, int]


class RankedOut(Schema):
    """One line of a ranking."""

    rank: int
    participant_id: int
    name: str
    final_score: Decimal


class RankingOut(Schema):
    """A round's ranking: provisional (computed now) while open, stored once closed."""

    round_id: int
    status: str
    provisional: bool
    rows: list[RankedOut]


class ScoreIn(Schema):
    """A result for the candidate with ``nik``: ``value`` on a scored stage, else ``passed``."""

    nik: str | int
    value: float | None = None
    passed: bool | None = None
    note: str = ""
    correction_reason: str = ""


class ScoreOut(Schema):
    """A recorded result."""

    id: int
    stage_id: int
    value: Decimal | None
    passed: bool
    note: str
    source: str
    entered_at: dt.datetime


class CandidacyOut(Schema):
    """Where the candidate stands in the round after the result."""

    id: int
    participant_id: int
    status: str
    failed_stage_id: int | None
    stop_reason: str


class ScoreResultOut(Schema):
    """What recording a result did (``created`` false: the same result was already there)."""

    created: bool
    corrected: bool
    set_aside: list[int]
    score: ScoreOut
    candidacy: CandidacyOut


class DecisionIn(Schema):
    """An interview decision; ``seen`` (optional) is the decision the caller last read."""

    decision: str
    note: str = ""
    seen: str | None = None


class EntryOut(Schema):
    """A shortlisted candidate with the interview decision."""

    id: int
    shortlist_id: int
    job_order_id: int
    participant_id: int
    position: int
    decision: str
    decision_note: str
    decided_at: dt.datetime | None


class ShortlistIn(Schema):
    """Draw up a shortlist of a closed round for one of its partner's job orders."""

    job_order_id: int
    per_vacancy: int = 3


class SkippedOut(Schema):
    """A ranked candidate the shortlist skipped: each selection document still owed."""

    participant_id: int
    rank: int | None
    documents: list[str]


class ShortlistOut(Schema):
    """The shortlist drawn up, and how many ranked candidates were skipped and why."""

    id: int
    round_id: int
    job_order_id: int
    per_vacancy: int
    entries: list[EntryOut]
    skipped_count: int
    skipped: list[SkippedOut]
    message: str


# --- helpers ---------------------------------------------------------------------------


def _round_out(found: SelectionRound) -> dict[str, Any]:
    return {
        "id": found.pk,
        "name": found.name,
        "partner_id": found.partner_id,
        "partner": found.partner.name,
        "programme_id": found.programme_id,
        "programme": found.programme.name if found.programme else None,
        "status": found.status,
        "version": found.version,
        "created_at": found.created_at,
        "opened_at": found.opened_at,
        "closed_at": found.closed_at,
    }


def _stage_out(stage: RoundStage) -> dict[str, Any]:
    return {
        "id": stage.pk,
        "position": stage.position,
        "code": stage.stage_type.code,
        "name": stage.stage_type.name,
        "scoring": stage.scoring,
        "max_score": stage.max_score,
        "pass_mark": stage.pass_mark,
        "weight": stage.weight,
        "entered_by": stage.entered_by,
    }


def _ranking_round(user: Any, pk: int) -> SelectionRound:
    """A round whose ranking ``user`` may read: a partner only its own (as the page)."""
    found = selectors.round_for(user, pk)
    if role_of(user) == Role.PARTNER and not selectors.is_partner_of(user, found):
        raise Http404
    return found


def _ranked_out(row: RankedCandidate) -> dict[str, Any]:
    return {
        "rank": row.rank,
        "participant_id": row.candidacy.participant_id,
        "name": row.candidacy.participant.full_name,
        "final_score": row.final_score,
    }


# --- rounds ----------------------------------------------------------------------------


@router.get("/selection/rounds", response=RoundPage, **roles(VIEWERS))
def round_list(
    request: HttpRequest, status: str = "", after: int | None = None, limit: int = 50
) -> dict[str, Any]:
    """The rounds the caller may see, newest first; filter by ``status``."""
    rows = selectors.rounds_visible_to(request.user)
    if status in RoundStatus.values:
        rows = rows.filter(status=status)
    page = keyset_page(rows, after=parse_cursor(after), size=page_size(limit))
    return {"items": [_round_out(r) for r in page.items], "next_cursor": page.next_cursor}


@router.get("/selection/rounds/{pk}", response=RoundDetailOut, **roles(VIEWERS))
def round_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    """A round the caller may see: its stages and the number of candidates at each status."""
    found = selectors.round_for(request.user, pk)
    counts = selectors.status_counts(found)
    return _round_out(found) | {
        "stages": [_stage_out(s) for s in selectors.stages_of(found)],
        "counts": {status: counts.get(status, 0) for status in CandidacyStatus.values},
    }


@router.get("/selection/rounds/{pk}/ranking", response=RankingOut, **roles(RANKING_READERS))
def round_ranking(request: HttpRequest, pk: int) -> dict[str, Any]:
    """The final ranking of a closed round, or the provisional one of an open round (logged)."""
    found = _ranking_round(request.user, pk)
    provisional = found.status == RoundStatus.OPEN
    rows: list[RankedCandidate] = []
    if provisional:
        rows = compute_ranking(found)
    elif found.status == RoundStatus.CLOSED:
        rows = stored_ranking(found)
    record_access(
        acting_user=request.user, purpose="api.selection.ranking", instance=found, request=request
    )
    return {
        "round_id": found.pk,
        "status": found.status,
        "provisional": provisional,
        "rows": [_ranked_out(r) for r in rows],
    }


# --- scores ----------------------------------------------------------------------------


def _scoring_target(
    request: HttpRequest, pk: int, stage_pk: int, nik: str
) -> tuple[RoundStage, Candidacy]:
    """(stage, candidacy): the caller may score the stage and sees the NIK in the round."""
    stage = selectors.stage_for(selectors.round_for(request.user, pk), stage_pk)
    scoring.ensure_may_score(request.user, stage)
    candidacy = (
        selectors.candidacies_visible_in(request.user, stage.round)
        .filter(participant__nik=nik.strip())
        .first()
    )
    if candidacy is None:
        raise HttpError(404, _("No candidate with this NIK in this round."))
    return stage, candidacy


def _score_result(outcome: scoring.Outcome) -> dict[str, Any]:
    score, candidacy = outcome.score, outcome.score.candidacy
    candidacy.refresh_from_db()
    return {
        "created": outcome.created,
        "corrected": outcome.corrected,
        "set_aside": [s.pk for s in outcome.set_aside],
        "score": {
            "id": score.pk,
            "stage_id": score.stage_id,
            "value": score.value,
            "passed": score.passed,
            "note": score.note,
            "source": score.source,
            "entered_at": score.entered_at,
        },
        "candidacy": {
            "id": candidacy.pk,
            "participant_id": candidacy.participant_id,
            "status": candidacy.status,
            "failed_stage_id": candidacy.failed_stage_id,
            "stop_reason": candidacy.stop_reason,
        },
    }


@router.post(
    "/selection/rounds/{pk}/stages/{stage_pk}/scores",
    response={200: ScoreResultOut, 201: ScoreResultOut},
    **roles(SCORERS),
)
def score_post(
    request: HttpRequest, pk: int, stage_pk: int, payload: ScoreIn
) -> Status[dict[str, Any]]:
    """Record or correct a candidate's result at a stage (201; 200 when nothing changed)."""
    with service_refusals(*CONFLICTS):
        stage, candidacy = _scoring_target(request, pk, stage_pk, str(payload.nik))
        outcome = scoring.score_record(
            candidacy=candidacy,
            stage=stage,
            value=payload.value,
            passed=payload.passed,
            note=payload.note,
            correction_reason=payload.correction_reason,
            acting_user=request.user,
            source=ScoreSource.API,
        )
    return Status(201 if outcome.created else 200, _score_result(outcome))


# --- interview decisions -----------------------------------------------------------------


def _entry_out(entry: ShortlistEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "shortlist_id": entry.shortlist_id,
        "job_order_id": entry.shortlist.job_order_id,
        "participant_id": entry.candidacy.participant_id,
        "position": entry.position,
        "decision": entry.decision,
        "decision_note": entry.decision_note,
        "decided_at": entry.decided_at,
    }


@router.post(
    "/selection/shortlist-entries/{pk}/decision",
    response=EntryOut,
    **roles(NATIONAL | {Role.PARTNER}),
)
def interview_decision(request: HttpRequest, pk: int, payload: DecisionIn) -> dict[str, Any]:
    """Record the partner's interview decision on a shortlisted candidate (note if declined)."""
    entry = selectors.entry_for(request.user, pk)
    with service_refusals(*CONFLICTS):
        decided = shortlists.interview_decide(
            entry=entry,
            decision=payload.decision,
            note=payload.note,
            acting_user=request.user,
            seen=payload.seen,
        )
    return _entry_out(decided)


# --- shortlists ---------------------------------------------------------------------------


def _drawn_out(drawn: shortlists.Drawn) -> dict[str, Any]:
    shortlist = drawn.shortlist
    return {
        "id": shortlist.pk,
        "round_id": shortlist.round_id,
        "job_order_id": shortlist.job_order_id,
        "per_vacancy": shortlist.per_vacancy,
        "entries": [_entry_out(e) for e in drawn.added],
        "skipped_count": len(drawn.skipped),
        "skipped": [
            {
                "participant_id": u.candidacy.participant_id,
                "rank": u.candidacy.rank,
                "documents": u.problems,
            }
            for u in drawn.skipped
        ],
        "message": skipped_message(drawn.skipped),
    }


@router.post("/selection/rounds/{pk}/shortlists", response={201: ShortlistOut}, **roles(NATIONAL))
def shortlist_post(request: HttpRequest, pk: int, payload: ShortlistIn) -> Status[dict[str, Any]]:
    """Draw up a shortlist (201); ranked candidates owing selection documents are skipped."""
    found = selectors.round_for(request.user, pk)
    job_order = job_order_for(request.user, payload.job_order_id)
    with service_refusals(*CONFLICTS):
        drawn = shortlists.shortlist_create(
            round=found,
            job_order=job_order,
            per_vacancy=payload.per_vacancy,
            acting_user=request.user,
        )
    return Status(201, _drawn_out(drawn))
