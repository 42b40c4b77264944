"""Pages of a round's outcome: ranking, closing, fairness, shortlists and interview decisions.

Access:

* ranking: national staff, auditors, and the users of the round's partner
  (their own rounds only: another partner's round answers 404);
* closing a round, drawing up and refilling a shortlist: national staff;
* shortlists: national staff and auditors (every one), the job order's partner
  (its own), who also records interview decisions;
* fairness report: national staff and auditors only. Partners are left out on
  purpose: the report breaks Indonesian candidates down by sex, province and age,
  and a small group's figures can point at a person; the figures are the
  ministry's oversight of its own selection, not an input to the partner's choice.

Every write goes through a service; a refusal shows the service's reason and
changes nothing. Pages listing candidates by name log the read (record_access).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jembatan.core.access import allow, role_of
from jembatan.core.audit import record_access
from jembatan.core.refusals import attempt
from jembatan.core.roles import NATIONAL, Role
from jembatan.demand.models import JobOrder
from jembatan.demand.workflows import MATCHABLE
from jembatan.selection import selectors
from jembatan.selection.models import (
    ImpactAssessment,
    RoundStatus,
    SelectionRound,
    Shortlist,
    ShortlistEntry,
)
from jembatan.selection.papers import skipped_message
from jembatan.selection.report_forms import DecisionForm, RoundCloseForm, ShortlistCreateForm
from jembatan.selection.services import picking, shortlists
from jembatan.selection.services.ranking import (
    compute_ranking,
    round_close,
    stored_ranking,
    tie_break_stages,
    waiting_stages,
)

RANKING_READERS = NATIONAL | {Role.AUDITOR, Role.PARTNER}
FAIRNESS_READERS = NATIONAL | {Role.AUDITOR}
SHORTLIST_READERS = NATIONAL | {Role.AUDITOR, Role.PARTNER}


def _round(request: HttpRequest, round_pk: int) -> SelectionRound:
    """A round the asker may see; a partner only its own rounds (not those it examines)."""
    found = selectors.round_for(request.user, round_pk)
    if role_of(request.user) == Role.PARTNER and not selectors.is_partner_of(request.user, found):
        raise Http404
    return found


# --- ranking ---------------------------------------------------------------------------


@allow(RANKING_READERS)
def ranking(request: HttpRequest, round_pk: int) -> HttpResponse:
    """The round's ranking: provisional (computed) while open, final (stored) once closed."""
    selection_round = _round(request, round_pk)
    stages = selectors.stages_of(selection_round)
    opened = selection_round.status == RoundStatus.OPEN
    rows = []
    if opened:
        rows = compute_ranking(selection_round)
    elif selection_round.status == RoundStatus.CLOSED:
        rows = stored_ranking(selection_round)
    record_access(
        acting_user=request.user,
        purpose="selection.ranking",
        instance=selection_round,
        request=request,
    )
    may_close = opened and role_of(request.user) in NATIONAL
    return TemplateResponse(
        request,
        "selection/ranking.html",
        {
            "round": selection_round,
            "rows": rows,
            "stages": tie_break_stages(stages),
            "weighted": [s for s in stages if s.is_scored and s.weight > 0],
            "provisional": opened,
            "waiting": waiting_stages(selection_round) if opened else [],
            "may_close": may_close,
            "may_see_fairness": role_of(request.user) in FAIRNESS_READERS,
            "close_form": RoundCloseForm(initial={"version": selection_round.version}),
        },
    )


@require_POST
@allow(NATIONAL)
def close(request: HttpRequest, round_pk: int) -> HttpResponse:
    """Close an open round (from the ranking page); a page older than the round is refused."""
    selection_round = _round(request, round_pk)
    form = RoundCloseForm(request.POST)
    if not form.is_valid() or form.cleaned_data["version"] != selection_round.version:
        messages.error(
            request,
            _("The round changed since this page was loaded. Check the ranking and close again."),
        )
        return redirect("selection:ranking", round_pk=selection_round.pk)
    closed = attempt(
        request,
        None,
        lambda: round_close(
            round=selection_round, acting_user=request.user, reason=form.cleaned_data["reason"]
        ),
    )
    if closed is not None:
        messages.success(request, _("The round is closed and its ranking is final."))
    return redirect("selection:ranking", round_pk=selection_round.pk)


# --- fairness --------------------------------------------------------------------------


def _impact_assessment(selection_round: SelectionRound) -> ImpactAssessment | None:
    try:
        return selection_round.impact_assessment
    except ObjectDoesNotExist:
        return None


@allow(FAIRNESS_READERS)
def fairness(request: HttpRequest, round_pk: int) -> HttpResponse:
    """Pass rates of the round and its stages by sex, province and age band; the UU PDP record."""
    selection_round = _round(request, round_pk)
    stages = selectors.stages_of(selection_round)
    return TemplateResponse(
        request,
        "selection/fairness.html",
        {
            "round": selection_round,
            "report": selectors.round_fairness(selection_round),
            "stage_reports": [(stage, selectors.stage_fairness(stage)) for stage in stages],
            "assessment": _impact_assessment(selection_round),
        },
    )


# --- shortlists ------------------------------------------------------------------------


def _shortlistable(selection_round: SelectionRound) -> Any:
    """Open job orders of the round's partner that have no shortlist from this round yet."""
    return (
        JobOrder.objects.filter(partner_id=selection_round.partner_id, status__in=MATCHABLE)
        .exclude(shortlists__round=selection_round)
        .order_by("pk")
    )


@allow(SHORTLIST_READERS)
def shortlist_list(request: HttpRequest, round_pk: int) -> HttpResponse:
    """The round's shortlists; national staff draw up a new one here (closed rounds)."""
    selection_round = _round(request, round_pk)
    may_create = role_of(request.user) in NATIONAL and selection_round.status == RoundStatus.CLOSED
    form = ShortlistCreateForm(
        request.POST if request.method == "POST" else None,
        job_orders=_shortlistable(selection_round),
    )
    if request.method == "POST":
        if not may_create:
            raise PermissionDenied(
                _("Only national staff draw up shortlists, from a closed round.")
            )
        created = _create_shortlist(request, selection_round, form)
        if created is not None:
            return redirect("selection:shortlist", shortlist_pk=created.pk)
    rows = selectors.shortlists_visible_to(request.user).filter(round=selection_round)
    return TemplateResponse(
        request,
        "selection/shortlist_list.html",
        {"round": selection_round, "shortlists": rows, "form": form, "may_create": may_create},
    )


def _create_shortlist(
    request: HttpRequest, selection_round: SelectionRound, form: ShortlistCreateForm
) -> Shortlist | None:
    if not form.is_valid():
        return None
    drawn = attempt(
        request,
        form,
        lambda: shortlists.shortlist_create(
            round=selection_round,
            job_order=form.cleaned_data["job_order"],
            per_vacancy=form.cleaned_data["per_vacancy"],
            acting_user=request.user,
        ),
    )
    if drawn is None:
        return None
    messages.success(request, _("The shortlist is drawn up."))
    _say_skipped(request, drawn)
    return drawn.shortlist


def _say_skipped(request: HttpRequest, drawn: shortlists.Drawn) -> None:
    """Warn how many ranked candidates were skipped for their selection documents, and why."""
    if drawn.skipped:
        messages.warning(request, skipped_message(drawn.skipped))


def _entry_rows(user: Any, shortlist: Shortlist) -> list[dict[str, Any]]:
    """Each entry with its decision form (for those who may decide) and availability."""
    entries = list(
        shortlist.entries.select_related("candidacy__participant", "decided_by").order_by(
            "position"
        )
    )
    free = picking.available_ids(e.candidacy.participant_id for e in entries)
    may = shortlists.may_decide(user, shortlist.job_order) and (
        shortlist.round.status == RoundStatus.CLOSED
    )
    return [_row(entry, may, entry.candidacy.participant_id in free) for entry in entries]


def _row(
    entry: ShortlistEntry, may: bool, available: bool, form: DecisionForm | None = None
) -> dict[str, Any]:
    if may and form is None:
        form = DecisionForm(
            initial={"seen": entry.decision, "decision": entry.decision}, prefix=f"e{entry.pk}"
        )
    return {"entry": entry, "form": form if may else None, "available": available}


@allow(SHORTLIST_READERS)
def shortlist_detail(request: HttpRequest, shortlist_pk: int) -> HttpResponse:
    """One shortlist in rank order with the interview decisions (and their forms)."""
    shortlist = selectors.shortlist_for(request.user, shortlist_pk)
    record_access(
        acting_user=request.user, purpose="selection.shortlist", instance=shortlist, request=request
    )
    accepted, pending = shortlists.still_waiting(shortlist)
    return TemplateResponse(
        request,
        "selection/shortlist_detail.html",
        {
            "shortlist": shortlist,
            "rows": _entry_rows(request.user, shortlist),
            "accepted": accepted,
            "pending": pending,
            "open_slots": picking.open_slots(shortlist.job_order),
            "may_refill": role_of(request.user) in NATIONAL
            and shortlist.round.status == RoundStatus.CLOSED,
            "may_decide": shortlists.may_decide(request.user, shortlist.job_order)
            and shortlist.round.status == RoundStatus.CLOSED,
        },
    )


@require_POST
@allow(NATIONAL | {Role.PARTNER})
def decide(request: HttpRequest, entry_pk: int) -> HttpResponse:
    """Record an interview decision; htmx gets the row back, others the shortlist page."""
    entry = selectors.entry_for(request.user, entry_pk)
    form = DecisionForm(request.POST, prefix=f"e{entry.pk}")
    done = _record_interview_decision(request, entry, form)
    if request.htmx:  # type: ignore[attr-defined]
        return _row_response(request, entry, None if done else form)
    if done:
        messages.success(request, _("The decision is recorded."))
    else:
        messages.error(request, " ".join(str(m) for errs in form.errors.values() for m in errs))
    return redirect("selection:shortlist", shortlist_pk=entry.shortlist_id)


def _record_interview_decision(
    request: HttpRequest, entry: ShortlistEntry, form: DecisionForm
) -> bool:
    """Pass the form's interview decision to the service; False with the refusal on the form."""
    if not form.is_valid():
        return False
    decided = attempt(
        request,
        form,
        lambda: shortlists.interview_decide(
            entry=entry,
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
            acting_user=request.user,
            seen=form.cleaned_data["seen"],
        ),
    )
    return decided is not None


def _row_response(
    request: HttpRequest, entry: ShortlistEntry, form: DecisionForm | None
) -> HttpResponse:
    entry = selectors.entry_for(request.user, entry.pk)
    free = picking.available_ids([entry.candidacy.participant_id])
    row = _row(entry, True, entry.candidacy.participant_id in free, form)
    return TemplateResponse(request, "selection/_shortlist_row.html", {"row": row})


@require_POST
@allow(NATIONAL)
def shortlist_refill(request: HttpRequest, shortlist_pk: int) -> HttpResponse:
    """Add the next eligible candidates where shortlisted ones dropped out."""
    shortlist = selectors.shortlist_for(request.user, shortlist_pk)
    drawn = attempt(
        request,
        None,
        lambda: shortlists.shortlist_refill(shortlist=shortlist, acting_user=request.user),
    )
    if drawn is not None:
        messages.success(
            request,
            _("%(count)s candidates added to the shortlist.") % {"count": len(drawn.added)},
        )
        _say_skipped(request, drawn)
    return redirect("selection:shortlist", shortlist_pk=shortlist.pk)
