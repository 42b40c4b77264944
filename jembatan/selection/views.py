"""Selection pages: rounds, their stages and impact assessment, candidates, the candidate's view.

Every view declares who may use it; the selectors limit what it shows to the
asker's scope (a round or candidacy out of scope answers 404) and the services
refuse what the asker may not do, changing nothing. Score entry and uploads are
in :mod:`jembatan.selection.score_views`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jembatan.core.access import allow, role_of
from jembatan.core.audit import record_access
from jembatan.core.paging import keyset_page, parse_cursor
from jembatan.core.refusals import attempt
from jembatan.core.roles import NATIONAL, READERS, Role
from jembatan.participants.selectors import own_participant
from jembatan.selection import selectors
from jembatan.selection.forms import (
    CandidateFilterForm,
    EnrolForm,
    ExaminersForm,
    ImpactAssessmentForm,
    MoveForm,
    ReasonForm,
    RoundForm,
    StageForm,
    StageScaleForm,
)
from jembatan.selection.models import (
    CandidacyStatus,
    ImpactAssessment,
    RoundStage,
    RoundStatus,
    SelectionRound,
)
from jembatan.selection.services import rounds, scoring
from jembatan.training.selectors import batches_visible_to

VIEWERS = READERS | {Role.PARTNER}
ENROL_LIMIT = 200


def _managed_round(request: HttpRequest, round_pk: int) -> SelectionRound:
    """A round national staff manage (404 otherwise: the declaration already narrowed roles)."""
    return selectors.round_for(request.user, round_pk)


def _detail(selection_round: SelectionRound) -> HttpResponse:
    return redirect("selection:detail", round_pk=selection_round.pk)


# --- rounds ------------------------------------------------------------------------------


@allow(VIEWERS)
def round_list(request: HttpRequest) -> HttpResponse:
    """The rounds the asker may see, newest first, filterable by status."""
    rows = selectors.rounds_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in RoundStatus.values:
        rows = rows.filter(status=status)
    page = keyset_page(rows, after=parse_cursor(request.GET.get("after")))
    return TemplateResponse(
        request,
        "selection/list.html",
        {
            "page": page,
            "status": status,
            "statuses": RoundStatus.choices,
            "may_manage": selectors.may_manage(request.user),
        },
    )


@allow(NATIONAL)
def round_create(request: HttpRequest) -> HttpResponse:
    """Set up a new round: name, partner abroad, training programme."""
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = attempt(
            request,
            form,
            lambda: rounds.round_create(acting_user=request.user, **form.cleaned_data),
        )
        if created is not None:
            messages.success(request, _("The round has been created. Add its stages."))
            return _detail(created)
    return TemplateResponse(request, "selection/round_form.html", {"form": form})


@allow(NATIONAL)
def round_edit(request: HttpRequest, round_pk: int) -> HttpResponse:
    """Change a draft round's name, partner or programme."""
    selection_round = _managed_round(request, round_pk)
    initial = {
        "name": selection_round.name,
        "partner": selection_round.partner_id,
        "programme": selection_round.programme_id,
    }
    form = RoundForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: rounds.round_update(
                selection_round=selection_round, acting_user=request.user, **form.cleaned_data
            ),
        )
        if done is not None:
            messages.success(request, _("The round has been saved."))
            return _detail(selection_round)
    return TemplateResponse(
        request, "selection/round_form.html", {"form": form, "round": selection_round}
    )


def _detail_context(request: HttpRequest, selection_round: SelectionRound) -> dict[str, Any]:
    stages = selectors.stages_of(selection_round)
    candidacies = selectors.candidacies_visible_in(request.user, selection_round)
    manages = selectors.may_manage(request.user)
    is_draft = selection_round.status == RoundStatus.DRAFT
    return {
        "round": selection_round,
        "stages": stages,
        "assessment": ImpactAssessment.objects.filter(round=selection_round)
        .select_related("assessed_by")
        .first(),
        "page": keyset_page(candidacies, after=parse_cursor(request.GET.get("after"))),
        "counts": selectors.status_counts(selection_round),
        "statuses": CandidacyStatus.choices,
        "may_manage": manages,
        "is_draft": is_draft,
        "is_live": selection_round.status in selectors.LIVE,
        "is_open": selection_round.status == RoundStatus.OPEN,
        "may_enrol": selectors.may_enrol(request.user),
        "blockers": rounds.opening_blockers(selection_round) if manages and is_draft else [],
        "scorable": scoring.scorable_stages(request.user, stages),
        # Links to the ranking, fairness and shortlist pages (report_views.py) for their readers.
        "reads_fairness": role_of(request.user) in selectors.SEE_ALL,
        "reads_ranking": role_of(request.user) in selectors.SEE_ALL
        or selectors.is_partner_of(request.user, selection_round),
    }


@allow(VIEWERS)
def round_detail(request: HttpRequest, round_pk: int) -> HttpResponse:
    """A round: its stages, impact assessment, candidates (of the asker's scope), actions."""
    selection_round = selectors.round_for(request.user, round_pk)
    record_access(
        acting_user=request.user,
        purpose="selection.round",
        instance=selection_round,
        request=request,
    )
    context = _detail_context(request, selection_round)
    return TemplateResponse(request, "selection/detail.html", context)


@require_POST
@allow(NATIONAL)
def round_open(request: HttpRequest, round_pk: int) -> HttpResponse:
    """Open a draft round for scoring (refused with what is missing)."""
    selection_round = _managed_round(request, round_pk)
    done = attempt(
        request,
        None,
        lambda: rounds.round_open(selection_round=selection_round, acting_user=request.user),
    )
    if done is not None:
        messages.success(request, _("The round is open: results can be entered."))
    return _detail(selection_round)


@allow(NATIONAL)
def round_cancel(request: HttpRequest, round_pk: int) -> HttpResponse:
    """Cancel a round, with a reason; every candidate still in it returns to where they were."""
    selection_round = _managed_round(request, round_pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: rounds.round_cancel(
                selection_round=selection_round,
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            ),
        )
        if done is not None:
            messages.success(request, _("The round has been cancelled."))
            return _detail(selection_round)
    return TemplateResponse(
        request,
        "selection/reason.html",
        {
            "form": form,
            "round": selection_round,
            "title": _("Cancel the round"),
            "button": _("Cancel the round"),
        },
    )


@allow(NATIONAL)
def impact_assessment(request: HttpRequest, round_pk: int) -> HttpResponse:
    """Record or revise the round's impact assessment (UU PDP)."""
    selection_round = _managed_round(request, round_pk)
    found = ImpactAssessment.objects.filter(round=selection_round).first()
    form = ImpactAssessmentForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: rounds.impact_assessment_save(
                selection_round=selection_round, fields=form.cleaned_data, acting_user=request.user
            ),
        )
        if done is not None:
            messages.success(request, _("The impact assessment has been recorded."))
            return _detail(selection_round)
    return TemplateResponse(
        request,
        "selection/impact_assessment.html",
        {"form": form, "round": selection_round, "assessment": found},
    )


# --- stages ------------------------------------------------------------------------------


def _stage(request: HttpRequest, round_pk: int, stage_pk: int) -> RoundStage:
    selection_round = selectors.round_for(request.user, round_pk)
    return selectors.stage_for(selection_round, stage_pk)


@allow(NATIONAL)
def stage_add(request: HttpRequest, round_pk: int) -> HttpResponse:
    """Add a stage from the reference data, with its scale and weight."""
    selection_round = _managed_round(request, round_pk)
    types = selectors.stage_types_available(selection_round)
    form = StageForm(request.POST or None, stage_types=types)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: rounds.stage_add(
                selection_round=selection_round, acting_user=request.user, **form.cleaned_data
            ),
        )
        if done is not None:
            messages.success(request, _("The stage has been added."))
            return _detail(selection_round)
    return TemplateResponse(
        request,
        "selection/stage_form.html",
        {"form": form, "round": selection_round, "stage_types": types},
    )


@allow(NATIONAL)
def stage_edit(request: HttpRequest, round_pk: int, stage_pk: int) -> HttpResponse:
    """Change a stage's scale (maximum, pass mark, weight) while the round is a draft."""
    stage = _stage(request, round_pk, stage_pk)
    form = StageScaleForm.of(stage, request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: rounds.stage_update(stage=stage, acting_user=request.user, **form.cleaned_data),
        )
        if done is not None:
            messages.success(request, _("The stage has been saved."))
            return _detail(stage.round)
    return TemplateResponse(
        request, "selection/stage_form.html", {"form": form, "round": stage.round, "stage": stage}
    )


@require_POST
@allow(NATIONAL)
def stage_move(request: HttpRequest, round_pk: int, stage_pk: int) -> HttpResponse:
    """Move a stage up or down in the order."""
    stage = _stage(request, round_pk, stage_pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Move a stage “up” or “down”."))
    else:
        direction = form.cleaned_data["direction"]
        attempt(
            request,
            None,
            lambda: rounds.stage_move(stage=stage, direction=direction, acting_user=request.user),
        )
    return _detail(stage.round)


@require_POST
@allow(NATIONAL)
def stage_remove(request: HttpRequest, round_pk: int, stage_pk: int) -> HttpResponse:
    """Remove a stage from a draft round."""
    stage = _stage(request, round_pk, stage_pk)
    selection_round = stage.round
    done = attempt(
        request, None, lambda: rounds.stage_remove(stage=stage, acting_user=request.user)
    )
    if done is not None:
        messages.success(request, _("The stage has been removed."))
    return _detail(selection_round)


@allow(NATIONAL)
def stage_examiners(request: HttpRequest, round_pk: int, stage_pk: int) -> HttpResponse:
    """Name the examiners of a stage."""
    stage = _stage(request, round_pk, stage_pk)
    initial = {"examiners": list(stage.examiners.values_list("pk", flat=True))}
    form = ExaminersForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["examiners"]
        done = attempt(
            request,
            form,
            lambda: rounds.stage_set_examiners(
                stage=stage, examiners=chosen, acting_user=request.user
            ),
        )
        if done is not None:
            messages.success(request, _("The examiners have been saved."))
            return _detail(stage.round)
    return TemplateResponse(
        request,
        "selection/examiners.html",
        {"form": form, "round": stage.round, "stage": stage},
    )


# --- candidates --------------------------------------------------------------------------


def _filtered_candidates(request: HttpRequest, selection_round: SelectionRound) -> Any:
    batches = batches_visible_to(request.user).order_by("-starts_on", "code")
    filters = CandidateFilterForm(request.GET or None, batches=batches)
    rows = selectors.enrolment_candidates(request.user, selection_round)
    if filters.is_valid():
        data = filters.cleaned_data
        batch = data.get("batch")
        graduates = selection_round.programme_id if data.get("graduates") else None
        rows = selectors.filter_candidates(
            rows,
            query=data.get("q") or "",
            batch_id=batch.pk if batch else None,
            graduates_of=graduates,
        )
    return filters, rows


@allow(selectors.ENROLLERS)
def enrol(request: HttpRequest, round_pk: int) -> HttpResponse:
    """Choose eligible participants (search, a batch, the programme's graduates) and enrol them."""
    selection_round = selectors.round_for(request.user, round_pk)
    filters, rows = _filtered_candidates(request, selection_round)
    form = EnrolForm(request.POST or None, candidates=rows)
    if request.method == "POST" and form.is_valid():
        chosen = list(rows) if form.cleaned_data["everyone"] else form.cleaned_data["participants"]
        done = attempt(
            request,
            form,
            lambda: rounds.candidacy_enrol(
                selection_round=selection_round, participants=chosen, acting_user=request.user
            ),
        )
        if done is not None:
            messages.success(
                request, _("%(n)d candidate(s) enrolled in the round.") % {"n": len(done)}
            )
            return _detail(selection_round)
    shown = list(rows[: ENROL_LIMIT + 1])
    return TemplateResponse(
        request,
        "selection/enrol.html",
        {
            "round": selection_round,
            "filters": filters,
            "form": form,
            "candidates": shown[:ENROL_LIMIT],
            "more": len(shown) > ENROL_LIMIT,
            "limit": ENROL_LIMIT,
            "query": request.GET.urlencode(),
        },
    )


@allow(VIEWERS)
def candidacy_detail(request: HttpRequest, round_pk: int, candidacy_pk: int) -> HttpResponse:
    """One candidate in a round: each stage's result, where they stopped, the score history."""
    selection_round = selectors.round_for(request.user, round_pk)
    candidacy = selectors.candidacy_for(request.user, selection_round, candidacy_pk)
    record_access(
        acting_user=request.user, purpose="selection.candidacy", instance=candidacy, request=request
    )
    stages = selectors.stages_of(selection_round)
    current = selectors.current_scores([candidacy]).get(candidacy.pk, {})
    return TemplateResponse(
        request,
        "selection/candidacy.html",
        {
            "round": selection_round,
            "candidacy": candidacy,
            "rows": [(s, current.get(s.pk)) for s in stages],
            "history": selectors.score_history(candidacy),
            "stop_reason": scoring.reason_in_words(candidacy, current),
            "may_withdraw": selectors.may_enrol(request.user)
            and selection_round.status in selectors.LIVE
            and candidacy.status != CandidacyStatus.WITHDRAWN,
        },
    )


@allow(selectors.ENROLLERS)
def candidacy_withdraw(request: HttpRequest, round_pk: int, candidacy_pk: int) -> HttpResponse:
    """Take a candidate out of the round, with a reason."""
    selection_round = selectors.round_for(request.user, round_pk)
    candidacy = selectors.candidacy_for(request.user, selection_round, candidacy_pk)
    record_access(
        acting_user=request.user, purpose="selection.candidacy", instance=candidacy, request=request
    )
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: rounds.candidacy_withdraw(
                candidacy=candidacy, reason=form.cleaned_data["reason"], acting_user=request.user
            ),
        )
        if done is not None:
            messages.success(request, _("The candidate has been withdrawn from the round."))
            return _detail(selection_round)
    return TemplateResponse(
        request,
        "selection/reason.html",
        {
            "form": form,
            "round": selection_round,
            "candidacy": candidacy,
            "title": _("Withdraw %(name)s from the round")
            % {"name": candidacy.participant.full_name},
            "button": _("Withdraw"),
        },
    )


# --- the candidate's own view ---------------------------------------------------------------


@allow(Role.PARTICIPANT)
def mine(request: HttpRequest) -> HttpResponse:
    """The signed-in participant's selection rounds: stages, results, where and why they stopped."""
    candidacies = selectors.my_candidacies(request.user)
    if not candidacies and own_participant(request.user) is None:
        raise Http404
    entries = []
    for candidacy in candidacies:
        by_stage = {s.stage_id: s for s in candidacy.current_scores}  # type: ignore[attr-defined]
        stages = candidacy.round.ordered_stages  # type: ignore[attr-defined]
        entries.append(
            {
                "candidacy": candidacy,
                "rows": [(s, by_stage.get(s.pk)) for s in stages],
                "stop_reason": scoring.reason_in_words(candidacy, by_stage),
            }
        )
    return TemplateResponse(request, "selection/mine.html", {"rounds": entries})
