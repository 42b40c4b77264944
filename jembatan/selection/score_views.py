"""Entering a stage's results: the page (a row saved at a time, htmx), the upload, the template.

Who may enter a stage's results is :func:`jembatan.selection.services.scoring.may_score`;
anyone else who may see the round reads the page without the forms (auditors,
officers of the candidates' scope). A stage the asker may neither score nor see
answers 404.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from jembatan.core.access import allow
from jembatan.core.audit import record_access
from jembatan.core.refusals import attempt
from jembatan.core.roles import READERS, STAFF, Role
from jembatan.core.spreadsheet import SPREADSHEET_MIME, XLSX
from jembatan.selection import selectors, upload
from jembatan.selection.errors import SelectionErrorCode
from jembatan.selection.forms import ScoreForm, UploadForm
from jembatan.selection.models import (
    Candidacy,
    RoundStage,
    RoundStatus,
    Score,
    ScoreSource,
    shown,
)
from jembatan.selection.services import scoring

VIEWERS = READERS | {Role.PARTNER}
SCORERS = STAFF | {Role.PARTNER}
ROW_LIMIT = 200  # rows per page; larger rounds search, or use the spreadsheet


def _stage(request: HttpRequest, round_pk: int, stage_pk: int) -> RoundStage:
    selection_round = selectors.round_for(request.user, round_pk)
    return selectors.stage_for(selection_round, stage_pk)


def search(candidacies: QuerySet[Candidacy], query: str) -> QuerySet[Candidacy]:
    """The candidacies whose participant's name contains, or NIK starts with, ``query``."""
    text = query.strip()
    if not text:
        return candidacies
    return candidacies.filter(
        Q(participant__full_name__icontains=text) | Q(participant__nik__startswith=text)
    )


def _rows(
    request: HttpRequest, stage: RoundStage, may: bool, *, scored: bool, query: str
) -> list[dict[str, Any]]:
    """The candidates waiting for a result at the stage (or, ``scored``, holding one there).

    At most ROW_LIMIT + 1 rows (the page says when there are more: search, or upload).
    """
    candidacies = selectors.candidacies_visible_in(request.user, stage.round)
    listed = list(search(candidacies, query))
    current = selectors.current_scores(listed)
    stages = selectors.stages_of(stage.round)
    rows = []
    for candidacy in listed:
        mine = current.get(candidacy.pk, {})
        score = mine.get(stage.pk)
        waiting = score is None and not scoring.eligibility_problem(candidacy, stage, stages, mine)
        if (score is not None) if scored else waiting:
            rows.append(_row(stage, candidacy, score, may))
            if len(rows) > ROW_LIMIT:
                break
    return rows


def _row(
    stage: RoundStage, candidacy: Candidacy, score: Score | None, may: bool, form: Any = None
) -> dict[str, Any]:
    if form is None and may:
        initial: dict[str, Any] = {"candidacy": candidacy.pk}
        if score is not None:
            initial |= {
                "current": score.pk,
                "value": shown(score.value),
                "passed": "yes" if score.passed else "no",
            }
        form = ScoreForm(stage=stage, initial=initial, prefix=f"c{candidacy.pk}")
    return {"candidacy": candidacy, "score": score, "form": form}


@allow(VIEWERS)
def score_entry(request: HttpRequest, round_pk: int, stage_pk: int) -> HttpResponse:
    """The candidates of one stage with their results; one row saved at a time."""
    stage = _stage(request, round_pk, stage_pk)
    record_access(
        acting_user=request.user, purpose="selection.scores", instance=stage.round, request=request
    )
    may = scoring.may_score(request.user, stage) and stage.round.status == RoundStatus.OPEN
    if request.method == "POST":
        return _save_row(request, stage)
    scored, query = request.GET.get("show") == "scored", request.GET.get("q", "")
    rows = _rows(request, stage, may, scored=scored, query=query)
    return TemplateResponse(
        request,
        "selection/score_entry.html",
        {
            "round": stage.round,
            "stage": stage,
            "rows": rows[:ROW_LIMIT],
            "more": len(rows) > ROW_LIMIT,
            "limit": ROW_LIMIT,
            "may": may,
            "scored": scored,
            "query": query,
        },
    )


def _save_row(request: HttpRequest, stage: RoundStage) -> HttpResponse:
    prefix = next((k.split("-")[0] for k in request.POST if k.endswith("-candidacy")), "")
    form = ScoreForm(request.POST, stage=stage, prefix=prefix or None)
    candidacy = None
    if form.is_valid():
        candidacy = (
            selectors.candidacies_visible_in(request.user, stage.round)
            .filter(pk=form.cleaned_data["candidacy"])
            .first()
        )
    if candidacy is None:
        messages.error(request, _("Choose a candidate of this round."))
        return redirect("selection:score_entry", round_pk=stage.round_id, stage_pk=stage.pk)
    outcome = attempt(request, form, lambda: _record(request, stage, candidacy, form.cleaned_data))
    if request.htmx:  # type: ignore[attr-defined]
        return _row_fragment(request, stage, candidacy, outcome, form)
    if outcome is not None:
        messages.success(request, _outcome_message(candidacy, outcome))
    else:
        for error in form.non_field_errors():
            messages.error(request, str(error))
    return redirect("selection:score_entry", round_pk=stage.round_id, stage_pk=stage.pk)


def _record(
    request: HttpRequest, stage: RoundStage, candidacy: Candidacy, data: dict[str, Any]
) -> scoring.Outcome:
    return scoring.score_record(
        candidacy=candidacy,
        stage=stage,
        value=data.get("value"),
        passed=data.get("passed"),
        note=data.get("note") or "",
        correction_reason=data.get("correction_reason") or "",
        acting_user=request.user,
        source=ScoreSource.PAGE,
        seen=data.get("current"),
    )


def _outcome_message(candidacy: Candidacy, outcome: scoring.Outcome) -> str:
    name = candidacy.participant.full_name
    if not outcome.created:
        return _("%(name)s already has this result; nothing changed.") % {"name": name}
    message = _("%(name)s: %(result)s recorded.") % {
        "name": name,
        "result": scoring.describe(outcome.score),
    }
    if outcome.set_aside:
        message += " " + _("%(n)d later result(s) set aside.") % {"n": len(outcome.set_aside)}
    return message


def _row_fragment(
    request: HttpRequest,
    stage: RoundStage,
    candidacy: Candidacy,
    outcome: scoring.Outcome | None,
    form: ScoreForm,
) -> HttpResponse:
    candidacy.refresh_from_db()
    score = candidacy.scores.filter(stage=stage, superseded_at__isnull=True).first()
    stale = form.has_error(NON_FIELD_ERRORS, SelectionErrorCode.STALE)
    row = _row(stage, candidacy, score, True, form if outcome is None and not stale else None)
    row["message"] = _outcome_message(candidacy, outcome) if outcome is not None else ""
    row["errors"] = form.non_field_errors() if stale else []
    return TemplateResponse(
        request, "selection/_score_row.html", {"row": row, "stage": stage, "may": True}
    )


@allow(SCORERS)
def score_upload(request: HttpRequest, round_pk: int, stage_pk: int) -> HttpResponse:
    """Upload a spreadsheet of the stage's results: all rows saved, or none with a report."""
    stage = _stage(request, round_pk, stage_pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = attempt(request, form, lambda: _process(stage, form.cleaned_data["file"], request))
        if report is not None and report.ok:
            messages.success(
                request,
                _("Saved: %(new)d new result(s), %(fixed)d correction(s); %(same)d unchanged.")
                % {"new": report.saved, "fixed": report.corrected, "same": report.unchanged},
            )
            return redirect("selection:score_entry", round_pk=stage.round_id, stage_pk=stage.pk)
    return TemplateResponse(
        request,
        "selection/score_upload.html",
        {"round": stage.round, "stage": stage, "form": form, "report": report},
    )


def _process(stage: RoundStage, file: UploadedFile, request: HttpRequest) -> upload.Report:
    """Store the upload in a private temporary file, check it, save it all or report."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload"
        with path.open("wb") as handle:
            for chunk in file.chunks():
                handle.write(chunk)
        try:
            return upload.upload_scores(stage=stage, path=path, acting_user=request.user)
        except upload.FileRefused as refused:  # the file as a whole: shown above the form
            raise ValidationError(str(refused)) from refused


@allow(SCORERS)
def score_template(request: HttpRequest, round_pk: int, stage_pk: int) -> HttpResponse:
    """The stage's spreadsheet template listing the candidates to score (and current results)."""
    stage = _stage(request, round_pk, stage_pk)
    if not scoring.may_score(request.user, stage):
        messages.error(request, _("You may not enter results for this stage."))
        return redirect("selection:detail", round_pk=stage.round_id)
    candidacies = selectors.candidacies_visible_in(request.user, stage.round)
    record_access(
        acting_user=request.user,
        purpose="selection.score_template",
        instance=stage.round,
        request=request,
    )
    content = upload.template_bytes(stage, candidacies)
    response = HttpResponse(content, content_type=SPREADSHEET_MIME[XLSX])
    name = slugify(f"{stage.round.name}-{stage.stage_type.code}") or "nilai"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
