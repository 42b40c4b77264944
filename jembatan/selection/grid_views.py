"""Grids of selection: a stage's results and a shortlist's interview decisions, saved at once.

Each grid is one form with a row per candidate; every filled row goes through
the one-row service's checks, in one transaction, and if any row is refused
nothing is saved and each refusal shows in its own row (jembatan.core.grids).

Access is that of the one-row pages: the score grid is for those who may score
the stage (scoring.may_score: national staff, the stage's examiners, the round's
partner), the round and candidates limited to the asker's scope; the decision
grid is for national staff and the job order's partner (another partner's
shortlist answers 404). Who may not enter anything (yet) is sent back to the
one-row page with the reason.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from jembatan.core.access import allow
from jembatan.core.audit import record_access
from jembatan.core.grids import Grid, Row, posted_keys, row_prefix
from jembatan.core.refusals import attempt
from jembatan.core.roles import NATIONAL, Role
from jembatan.selection import selectors
from jembatan.selection.forms import ScoreRowForm
from jembatan.selection.models import (
    Candidacy,
    RoundStage,
    Score,
    Shortlist,
    ShortlistEntry,
    shown,
)
from jembatan.selection.report_forms import DecisionRowForm
from jembatan.selection.score_views import ROW_LIMIT, SCORERS, search
from jembatan.selection.services import picking, scoring, shortlists

DECIDERS = NATIONAL | {Role.PARTNER}


# --- a stage's results --------------------------------------------------------------


@allow(SCORERS)
def score_grid(request: HttpRequest, round_pk: int, stage_pk: int) -> HttpResponse:
    """The stage's candidates in one grid: new results and corrections, all saved or none."""
    stage = selectors.stage_for(selectors.round_for(request.user, round_pk), stage_pk)
    entry_page = redirect("selection:score_entry", round_pk=stage.round_id, stage_pk=stage.pk)
    if attempt(request, None, lambda: _may_score(request.user, stage)) is None:
        return entry_page
    record_access(
        acting_user=request.user, purpose="selection.scores", instance=stage.round, request=request
    )
    query = request.GET.get("q", "")
    grid, more = _score_grid(request, stage, query)
    if request.method == "POST" and grid.is_valid():
        rows = {row.key: _score_input(row) for row in grid.filled()}
        done = attempt(
            request,
            grid,
            lambda: scoring.score_record_many(stage=stage, rows=rows, acting_user=request.user),
        )
        if done is not None:
            messages.success(request, _saved_message(done))
            return redirect("selection:score_grid", round_pk=stage.round_id, stage_pk=stage.pk)
    context = {"round": stage.round, "stage": stage, "grid": grid, "query": query}
    context |= {"more": more, "limit": ROW_LIMIT}
    return TemplateResponse(request, "selection/score_grid.html", context)


def _may_score(user: Any, stage: RoundStage) -> bool:
    scoring.ensure_may_score(user, stage)
    return True


def _score_grid(
    request: HttpRequest, stage: RoundStage, query: str
) -> tuple[Grid[Candidacy], bool]:
    """A row per candidate holding a result at the stage or who may get one now; more of them?

    A submitted grid keeps the rows it names (a candidate withdrawn meanwhile is
    refused on their row, not dropped).
    """
    data = request.POST if request.method == "POST" else None
    visible = selectors.candidacies_visible_in(request.user, stage.round)
    if data is not None:
        listed = list(visible.filter(pk__in=posted_keys(data)))
    else:
        listed = _scorable(stage, list(search(visible, query)))
    more, listed = len(listed) > ROW_LIMIT, listed[:ROW_LIMIT]
    current = selectors.current_scores(listed)
    rows = []
    for candidacy in listed:
        score = current.get(candidacy.pk, {}).get(stage.pk)
        form = ScoreRowForm(
            data, stage=stage, prefix=row_prefix(candidacy.pk), initial=_initial(score)
        )
        rows.append(Row(candidacy.pk, candidacy, form, shown=score))
    return Grid(rows), more


def _scorable(stage: RoundStage, listed: list[Candidacy]) -> list[Candidacy]:
    """Those of ``listed`` holding a result at ``stage`` or eligible for one (ROW_LIMIT + 1)."""
    current = selectors.current_scores(listed)
    stages = selectors.stages_of(stage.round)
    found = []
    for candidacy in listed:
        mine = current.get(candidacy.pk, {})
        if stage.pk in mine or not scoring.eligibility_problem(candidacy, stage, stages, mine):
            found.append(candidacy)
            if len(found) > ROW_LIMIT:
                break
    return found


def _initial(score: Score | None) -> dict[str, Any]:
    if score is None:
        return {}
    return {
        "current": score.pk,
        "value": shown(score.value),
        "passed": "yes" if score.passed else "no",
    }


def _score_input(row: Row[Candidacy]) -> scoring.ScoreInput:
    data = row.form.cleaned_data
    return scoring.ScoreInput(
        candidacy=row.item,
        value=data.get("value"),
        passed=data.get("passed"),
        note=data.get("note") or "",
        correction_reason=data.get("correction_reason") or "",
        seen=data.get("current"),
    )


def _saved_message(done: dict[int, scoring.Outcome]) -> str:
    outcomes = list(done.values())
    return _("Saved: %(new)d new result(s), %(fixed)d correction(s); %(same)d unchanged.") % {
        "new": sum(1 for o in outcomes if o.created and not o.corrected),
        "fixed": sum(1 for o in outcomes if o.corrected),
        "same": sum(1 for o in outcomes if not o.created),
    }


# --- a shortlist's interview decisions ----------------------------------------------


@allow(DECIDERS)
def decision_grid(request: HttpRequest, shortlist_pk: int) -> HttpResponse:
    """Every shortlisted candidate in one grid: a decision per row, all saved or none."""
    shortlist = selectors.shortlist_for(request.user, shortlist_pk)
    if attempt(request, None, lambda: _may_decide(request.user, shortlist)) is None:
        return redirect("selection:shortlist", shortlist_pk=shortlist.pk)
    record_access(
        acting_user=request.user, purpose="selection.shortlist", instance=shortlist, request=request
    )
    grid = _decision_grid(request, shortlist)
    if request.method == "POST" and grid.is_valid():
        rows = {row.key: _decision_input(row) for row in grid.filled()}
        done = attempt(
            request,
            grid,
            lambda: shortlists.interview_decide_many(
                shortlist=shortlist, rows=rows, acting_user=request.user
            ),
        )
        if done is not None:
            changed = sum(1 for entry in done.values() if entry is not None)
            messages.success(
                request,
                _("Decisions saved: %(new)d recorded, %(same)d unchanged.")
                % {"new": changed, "same": len(done) - changed},
            )
            return redirect("selection:shortlist", shortlist_pk=shortlist.pk)
    return TemplateResponse(
        request, "selection/decision_grid.html", {"shortlist": shortlist, "grid": grid}
    )


def _may_decide(user: Any, shortlist: Shortlist) -> bool:
    shortlists.ensure_may_decide(user, shortlist)
    return True


def _decision_grid(request: HttpRequest, shortlist: Shortlist) -> Grid[ShortlistEntry]:
    data = request.POST if request.method == "POST" else None
    entries = list(
        shortlist.entries.select_related("candidacy__participant", "decided_by").order_by(
            "position"
        )
    )
    free = picking.available_ids(e.candidacy.participant_id for e in entries)
    rows = [
        Row(
            entry.pk,
            entry,
            DecisionRowForm(data, prefix=row_prefix(entry.pk), initial={"seen": entry.decision}),
            shown=entry.candidacy.participant_id in free,
        )
        for entry in entries
    ]
    return Grid(rows)


def _decision_input(row: Row[ShortlistEntry]) -> shortlists.DecisionInput:
    data = row.form.cleaned_data
    return shortlists.DecisionInput(
        entry=row.item, decision=data["decision"], note=data["note"], seen=data["seen"] or None
    )
