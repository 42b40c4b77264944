"""Matching pages: runs for officers and partners; preferences and the result for candidates.

National officers create a run, follow its progress (htmx polls the run's body
every 2 seconds while it is queued, running or being approved), read its results
and approve or discard it. Auditors read everything; partners read the runs that include their
job orders, limited to the outcomes on them (see selectors). A candidate ranks
the job orders they are eligible for and reads their latest approved result.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.access import allow, role_of
from jembatan.core.audit import record_access
from jembatan.core.paging import keyset_page, parse_cursor
from jembatan.core.password_check import recent_password
from jembatan.core.refusals import attempt
from jembatan.core.roles import NATIONAL, Role
from jembatan.matching import selectors
from jembatan.matching.building import Choice, choices_for
from jembatan.matching.explaining import describe_requirement, explain, labels_for, reason_label
from jembatan.matching.forms import DiscardForm, PreferenceForm, RunForm
from jembatan.matching.models import MatchingRun, RunStatus
from jembatan.matching.services import runs
from jembatan.participants.models import Participant
from jembatan.selection.four_fifths import FairnessReport

RUN_READERS = selectors.RUN_READERS
DIFF_SHOWN = 20


# --- runs ------------------------------------------------------------------------------------


@allow(RUN_READERS)
def run_list(request: HttpRequest) -> HttpResponse:
    """The runs the user may see, newest first."""
    page = keyset_page(
        selectors.runs_visible_to(request.user), after=parse_cursor(request.GET.get("after"))
    )
    return TemplateResponse(
        request,
        "matching/list.html",
        {
            "page": page,
            "may_create": role_of(request.user) in NATIONAL,
            # Only whole-run readers see a run's totals (as on the run page and in the API).
            "show_totals": selectors.sees_all(request.user),
        },
    )


@allow(NATIONAL)
@recent_password
def run_create(request: HttpRequest) -> HttpResponse:
    """Start a run: its name, method, rounds and job orders; it runs in the background."""
    form = RunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        run = attempt(
            request,
            form,
            lambda: runs.run_create(
                name=data["name"],
                method=data["method"],
                rounds=list(data["rounds"]),
                job_orders=list(data["job_orders"]),
                acting_user=request.user,
            ),
        )
        if run is not None:
            messages.success(request, _("The run has been queued."))
            return redirect("matching:detail", pk=run.pk)
    return TemplateResponse(request, "matching/create.html", {"form": form})


def _names(ids: list[int]) -> list[Participant]:
    return list(Participant.objects.filter(pk__in=ids[:DIFF_SHOWN]).only("pk", "full_name"))


def _diff(summary: dict[str, Any]) -> dict[str, Any] | None:
    diff: dict[str, Any] | None = summary.get("diff")
    if not diff:
        return None
    people = {
        f"{key}_people": _names(diff[key]) for key in ("newly_placed", "no_longer_placed", "moved")
    }
    return diff | people | {"previous_reference": f"MR-{diff['previous']:05d}"}


def _run_context(request: HttpRequest, run: MatchingRun) -> dict[str, Any]:
    summary = run.summary or {}
    whole = selectors.sees_all(request.user)
    fairness = summary.get("fairness")
    return {
        "run": run,
        "polling": run.status in selectors.POLLING,
        "approval_error": run.approval_error.splitlines() if whole else [],
        "whole": whole,
        "job_order_rows": selectors.partner_rows(request.user, summary.get("job_orders", [])),
        "partner_rows": selectors.partner_rows(request.user, summary.get("partners", [])),
        "report": FairnessReport.from_dict(fairness) if whole and fairness else None,
        "diff": _diff(summary) if whole else None,
        "may_decide": role_of(request.user) in NATIONAL and run.status == RunStatus.DONE,
    }


@allow(RUN_READERS)
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A run: progress while it runs (htmx polls the body), then results and decisions."""
    run = selectors.run_for(request.user, pk)
    partial = bool(getattr(request, "htmx", False))
    template = "matching/_run_body.html" if partial else "matching/detail.html"
    return TemplateResponse(request, template, _run_context(request, run))


@allow(RUN_READERS)
def run_outcomes(request: HttpRequest, pk: int) -> HttpResponse:
    """The run's placed or unplaced candidates, a page at a time (keyset)."""
    run = selectors.run_for(request.user, pk)
    placed = request.GET.get("placed", "yes") != "no"
    rows = selectors.outcomes_visible_to(request.user, run).filter(job_order__isnull=not placed)
    page = keyset_page(rows, after=parse_cursor(request.GET.get("after")))
    record_access(
        acting_user=request.user, purpose="matching.run_outcomes", instance=run, request=request
    )
    items = [(o, reason_label(o.reason)) for o in page.items]
    return TemplateResponse(
        request,
        "matching/outcomes.html",
        {"run": run, "page": page, "items": items, "placed": placed},
    )


@allow(RUN_READERS)
def run_outcome(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    """One candidate's result in a run and why, in sentences."""
    run = selectors.run_for(request.user, pk)
    outcome = selectors.outcome_for(request.user, run, participant_pk)
    person = outcome.participant
    record_access(
        acting_user=request.user, purpose="matching.outcome", instance=person, request=request
    )
    return TemplateResponse(
        request,
        "matching/outcome.html",
        {"run": run, "outcome": outcome, "explanation": explain(outcome, labels_for([outcome]))},
    )


@allow(NATIONAL)
@recent_password
def run_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve a finished run (POST): refused with the reasons, or its placements queued."""
    run = selectors.run_for(request.user, pk)
    if request.method != "POST":
        return redirect("matching:detail", pk=run.pk)
    approved = attempt(request, None, lambda: runs.run_approve(run=run, acting_user=request.user))
    if approved is not None:
        messages.success(
            request,
            _(
                "The run has been approved; its placements are being created. This page "
                "shows when they are all confirmed."
            ),
        )
    return redirect("matching:detail", pk=run.pk)


@allow(NATIONAL)
def run_discard(request: HttpRequest, pk: int) -> HttpResponse:
    """Discard a finished run, with a reason."""
    run = selectors.run_for(request.user, pk)
    form = DiscardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        discarded = attempt(
            request,
            form,
            lambda: runs.run_discard(
                run=run, reason=form.cleaned_data["reason"], acting_user=request.user
            ),
        )
        if discarded is not None:
            messages.success(request, _("The run has been discarded."))
            return redirect("matching:detail", pk=run.pk)
    return TemplateResponse(request, "matching/discard.html", {"run": run, "form": form})


# --- the candidate ---------------------------------------------------------------------------


@allow(Role.PARTICIPANT)
def preferences(request: HttpRequest) -> HttpResponse:
    """The job orders the candidate may choose from, ranked by them; the others with reasons."""
    participant = selectors.participant_of(request.user)
    choices = choices_for(participant, on=timezone.localdate())
    form = PreferenceForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            request,
            form,
            lambda: runs.preferences_save(
                participant=participant,
                ranking=form.ranking(),
                eligible=[c.job_order for c in form.choices],
                acting_user=request.user,
            ),
        )
        if saved is not None:
            messages.success(request, _("Your ranking has been saved."))
            return redirect("matching:preferences")
    return TemplateResponse(
        request,
        "matching/preferences.html",
        {"form": form, "ineligible": _ineligible(choices)},
    )


def _ineligible(choices: list[Choice]) -> list[tuple[Choice, list[str]]]:
    return [(c, [describe_requirement(u) for u in c.unmet]) for c in choices if not c.eligible]


@allow(Role.PARTICIPANT)
def my_result(request: HttpRequest) -> HttpResponse:
    """The candidate's result in the latest approved run that included them, explained."""
    participant = selectors.participant_of(request.user)
    outcome = selectors.latest_approved_outcome(participant)
    explanation = explain(outcome, labels_for([outcome])) if outcome else None
    return TemplateResponse(
        request, "matching/my_result.html", {"outcome": outcome, "explanation": explanation}
    )
