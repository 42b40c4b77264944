"""API: matching runs and their outcomes for officials and partners; a candidate's own result.

National staff and auditors read whole runs. A partner reads the runs that
include its job orders as the run page shows them: status and progress, the
fill rates of its own job orders, and only the outcomes on them; not the run's
counts, fairness figures or difference from the previous run, which are about
candidates it would not otherwise see. Outcome lists page by keyset (``after``
the last id, at most 500 a page) and log the read. Explanations are phrased in
the request's language (the language switch's cookie, as on the pages).

A participant reads their latest approved result and ranks the job orders they
are eligible for through the same service as the preferences page: a refused
ranking answers 400 with the reason and keeps the old ranking.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from jembatan.api.access import roles
from jembatan.api.paging import page_size
from jembatan.api.refusals import service_refusals
from jembatan.core.audit import record_access
from jembatan.core.paging import keyset_page, parse_cursor
from jembatan.core.roles import Role
from jembatan.matching import selectors
from jembatan.matching.building import Choice, choices_for
from jembatan.matching.explaining import (
    Explanation,
    describe_requirement,
    explain,
    labels_for,
    reason_label,
)
from jembatan.matching.models import MatchingRun, RunOutcome
from jembatan.matching.services import runs
from jembatan.participants.models import Participant

router = Router(tags=["matching"])
RUN_READERS = selectors.RUN_READERS


class RunOut(Schema):
    """A matching run; ``candidates`` and ``placed`` are for national staff and auditors."""

    id: int
    reference: str
    name: str
    method: str
    status: str
    progress: int
    created_at: dt.datetime
    finished_at: dt.datetime | None
    candidates: int | None
    placed: int | None


class RunPage(Schema):
    """One page of runs and the cursor of the next."""

    items: list[RunOut]
    next_cursor: int | None


class JobOrderFillOut(Schema):
    """Slots available and filled on one job order."""

    job_order: int
    reference: str
    title: str
    partner_id: int
    partner: str
    available: int
    placed: int
    rate: float | None


class PartnerFillOut(Schema):
    """Slots available and filled over one partner's job orders."""

    partner_id: int
    partner: str
    available: int
    placed: int
    rate: float | None


class RunDetailOut(RunOut):
    """A run as its page shows it to the caller (``None``/empty: not shown to them)."""

    progress_note: str
    error: str
    decision_note: str
    decided_at: dt.datetime | None
    total_weight: float | None
    input_digest: str | None
    approval_error: list[str]
    job_orders: list[JobOrderFillOut]
    partners: list[PartnerFillOut]
    fairness: dict[str, Any] | None
    diff: dict[str, Any] | None


class IneligibleOut(Schema):
    """A job order whose requirements the candidate did not meet, and which."""

    job_order: str
    reasons: list[str]


class ExplanationOut(Schema):
    """Why the candidate got what they got, in sentences."""

    headline: str
    details: list[str]
    ineligible: list[IneligibleOut]


class OutcomeOut(Schema):
    """One candidate's result in a run."""

    id: int
    participant_id: int
    name: str
    job_order_id: int | None
    job_order: str | None
    reason: str
    reason_label: str
    weight: float | None
    placement_id: int | None
    explanation: ExplanationOut


class OutcomePage(Schema):
    """One page of outcomes and the cursor of the next."""

    items: list[OutcomeOut]
    next_cursor: int | None


class MyOutcomeOut(Schema):
    """The candidate's result in the latest approved run that included them."""

    run_id: int
    run_reference: str
    run_name: str
    approved_at: dt.datetime | None
    job_order_id: int | None
    job_order: str | None
    partner: str | None
    work_prefecture: str | None
    reason: str
    reason_label: str
    explanation: ExplanationOut


class MyResultOut(Schema):
    """``outcome`` is null until an approved run included the candidate."""

    outcome: MyOutcomeOut | None


class ChoiceOut(Schema):
    """A job order the candidate may rank, with their rank (null: not ranked)."""

    job_order_id: int
    reference: str
    title: str
    partner: str
    available: int
    rank: int | None


class NotEligibleOut(Schema):
    """A job order with free slots whose requirements the candidate does not meet."""

    job_order_id: int
    reference: str
    title: str
    partner: str
    reasons: list[str]


class PreferencesOut(Schema):
    """The candidate's choices: eligible job orders (ranked first) and the others with reasons."""

    eligible: list[ChoiceOut]
    not_eligible: list[NotEligibleOut]


class PreferencesIn(Schema):
    """The whole new ranking ``{job order id: rank}``; ranks are renumbered 1..n in order."""

    ranking: dict[int, int]


# --- runs --------------------------------------------------------------------------------


def _run_out(run: MatchingRun, whole: bool) -> dict[str, Any]:
    return {
        "id": run.pk,
        "reference": run.reference,
        "name": run.name,
        "method": run.method,
        "status": run.status,
        "progress": run.progress,
        "created_at": run.created_at,
        "finished_at": run.finished_at,
        "candidates": run.candidates if whole else None,
        "placed": run.placed if whole else None,
    }


def _run_detail(user: Any, run: MatchingRun) -> dict[str, Any]:
    summary = run.summary or {}
    whole = selectors.sees_all(user)
    return _run_out(run, whole) | {
        "progress_note": run.progress_note,
        "error": run.error,
        "decision_note": run.decision_note,
        "decided_at": run.decided_at,
        "total_weight": run.total_weight if whole else None,
        "input_digest": run.input_digest if whole else None,
        "approval_error": run.approval_error.splitlines() if whole else [],
        "job_orders": selectors.partner_rows(user, summary.get("job_orders", [])),
        "partners": selectors.partner_rows(user, summary.get("partners", [])),
        "fairness": summary.get("fairness") if whole else None,
        "diff": summary.get("diff") if whole else None,
    }


@router.get("/matching/runs", response=RunPage, **roles(RUN_READERS))
def run_list(request: HttpRequest, after: int | None = None, limit: int = 50) -> dict[str, Any]:
    """The runs the caller may see, newest first (a partner: those with its job orders)."""
    rows = selectors.runs_visible_to(request.user)
    page = keyset_page(rows, after=parse_cursor(after), size=page_size(limit))
    whole = selectors.sees_all(request.user)
    return {"items": [_run_out(r, whole) for r in page.items], "next_cursor": page.next_cursor}


@router.get("/matching/runs/{pk}", response=RunDetailOut, **roles(RUN_READERS))
def run_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    """A run's status, progress and summary, as much as the run page shows the caller."""
    return _run_detail(request.user, selectors.run_for(request.user, pk))


def _explanation_out(explanation: Explanation) -> dict[str, Any]:
    return {
        "headline": explanation.headline,
        "details": explanation.details,
        "ineligible": [{"job_order": j, "reasons": r} for j, r in explanation.ineligible],
    }


def _outcome_out(outcome: RunOutcome, labels: dict[str, str]) -> dict[str, Any]:
    job = outcome.job_order_id
    return {
        "id": outcome.pk,
        "participant_id": outcome.participant_id,
        "name": outcome.participant.full_name,
        "job_order_id": job,
        "job_order": labels.get(str(job)) if job is not None else None,
        "reason": outcome.reason,
        "reason_label": reason_label(outcome.reason),
        "weight": outcome.weight,
        "placement_id": outcome.placement_id,
        "explanation": _explanation_out(explain(outcome, labels)),
    }


@router.get("/matching/runs/{pk}/outcomes", response=OutcomePage, **roles(RUN_READERS))
def run_outcomes(
    request: HttpRequest,
    pk: int,
    placed: str = "yes",
    after: int | None = None,
    limit: int = 50,
) -> dict[str, Any]:
    """Placed (``placed=yes``) or unplaced candidates of a run with their explanations (logged)."""
    run = selectors.run_for(request.user, pk)
    rows = selectors.outcomes_visible_to(request.user, run)
    rows = rows.filter(job_order__isnull=placed == "no")
    page = keyset_page(rows, after=parse_cursor(after), size=page_size(limit))
    record_access(
        acting_user=request.user, purpose="api.matching.outcomes", instance=run, request=request
    )
    labels = labels_for(page.items)
    return {
        "items": [_outcome_out(o, labels) for o in page.items],
        "next_cursor": page.next_cursor,
    }


# --- the candidate -------------------------------------------------------------------------


def _my_outcome(outcome: RunOutcome) -> dict[str, Any]:
    labels = labels_for([outcome])
    job = outcome.job_order
    return {
        "run_id": outcome.run_id,
        "run_reference": outcome.run.reference,
        "run_name": outcome.run.name,
        "approved_at": outcome.run.decided_at,
        "job_order_id": outcome.job_order_id,
        "job_order": labels.get(str(job.pk)) if job else None,
        "partner": job.partner.name if job else None,
        "work_prefecture": job.work_prefecture if job else None,
        "reason": outcome.reason,
        "reason_label": reason_label(outcome.reason),
        "explanation": _explanation_out(explain(outcome, labels)),
    }


@router.get("/matching/me", response=MyResultOut, **roles(Role.PARTICIPANT))
def my_result(request: HttpRequest) -> dict[str, Any]:
    """The caller's result in the latest approved run that included them, explained."""
    participant = selectors.participant_of(request.user)
    outcome = selectors.latest_approved_outcome(participant)
    return {"outcome": _my_outcome(outcome) if outcome else None}


def _choices(participant: Participant) -> list[Choice]:
    return choices_for(participant, on=timezone.localdate())


def _preferences_out(choices: list[Choice]) -> dict[str, Any]:
    """Eligible job orders with the candidate's rank; the others with the reasons."""
    return {
        "eligible": [_choice_out(c) | {"rank": c.rank} for c in choices if c.eligible],
        "not_eligible": [
            _choice_out(c) | {"reasons": [describe_requirement(u) for u in c.unmet]}
            for c in choices
            if not c.eligible
        ],
    }


def _choice_out(choice: Choice) -> dict[str, Any]:
    job = choice.job_order
    return {
        "job_order_id": job.pk,
        "reference": job.reference,
        "title": job.title,
        "partner": job.partner.name,
        "available": choice.available,
    }


@router.get("/matching/me/preferences", response=PreferencesOut, **roles(Role.PARTICIPANT))
def my_preferences(request: HttpRequest) -> dict[str, Any]:
    """The job orders the caller may rank (their ranking first) and the others with reasons."""
    return _preferences_out(_choices(selectors.participant_of(request.user)))


@router.put("/matching/me/preferences", response=PreferencesOut, **roles(Role.PARTICIPANT))
def my_preferences_save(request: HttpRequest, payload: PreferencesIn) -> dict[str, Any]:
    """Replace the caller's ranking of the job orders they are eligible for (400 if refused)."""
    participant = selectors.participant_of(request.user)
    choices = _choices(participant)
    with service_refusals():
        runs.preferences_save(
            participant=participant,
            ranking=payload.ranking,
            eligible=[c.job_order for c in choices if c.eligible],
            acting_user=request.user,
        )
    return _preferences_out(_choices(participant))
