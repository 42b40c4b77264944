"""Training pages: programmes, batches, enrolment, attendance, assessments, completion.

Every view declares who may use it; the selectors limit what it shows to the
asker's scope, and the services refuse what the asker may not do.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jembatan.core.access import allow, role_of
from jembatan.core.audit import record_access
from jembatan.core.grids import Grid, Row, posted_keys, row_prefix
from jembatan.core.refusals import attempt
from jembatan.core.roles import Role
from jembatan.training.forms import (
    AssessmentForm,
    AttendanceRowForm,
    BatchForm,
    CompleteForm,
    EnrolForm,
    LanguageResultForm,
    ProgrammeForm,
    ReasonForm,
    SessionForm,
    SessionHeaderForm,
    TrainerForm,
)
from jembatan.training.models import AttendanceMark, Batch, Enrolment, EnrolmentStatus
from jembatan.training.rules import ENROLLERS, RUN_TRAINING, SEE_TRAINING, may_enrol_into, runs
from jembatan.training.selectors import (
    batch_for,
    candidates_for,
    enrolment_for,
    enrolments_visible_in,
    programme_for,
    programmes_visible_to,
    session_marks,
)
from jembatan.training.services import certification, programmes


@allow(SEE_TRAINING)
def index(request: HttpRequest) -> HttpResponse:
    """The programmes the asker may see, with their batches' counts."""
    visible = programmes_visible_to(request.user).annotate(
        open_batches=Count("batches", filter=Q(batches__status__in=["planned", "running"]))
    )
    return TemplateResponse(
        request,
        "training/index.html",
        {"programmes": visible, "may_create": role_of(request.user) in RUN_TRAINING},
    )


def _own_centre(user: Any) -> Any:
    return user.organisation if role_of(user) == Role.TRAINING_OPERATOR else None


@allow(RUN_TRAINING)
def programme_create(request: HttpRequest) -> HttpResponse:
    """A new programme at the operator's centre (national staff pick the centre)."""
    centre = _own_centre(request.user)
    if role_of(request.user) == Role.TRAINING_OPERATOR and centre is None:
        raise PermissionDenied
    form = ProgrammeForm(request.POST or None, organisation=centre)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        spec = programmes.ProgrammeSpec(
            **{k: data[k] for k in _SPEC_FIELDS}, units=list(data["units"]), phases=data["phases"]
        )
        programme = attempt(
            request,
            form,
            lambda: programmes.programme_create(
                organisation=centre or data["organisation"], spec=spec, acting_user=request.user
            ),
        )
        if programme is not None:
            messages.success(request, _("The programme has been created."))
            return redirect("training:programme", programme_pk=programme.pk)
    return TemplateResponse(request, "training/programme_form.html", {"form": form})


_SPEC_FIELDS = (
    "name",
    "occupation",
    "route",
    "total_hours",
    "language_hours",
    "capacity",
    "min_attendance_percent",
    "language_test",
    "jlpt_level",
    "eps_topik_pass_mark",
    "japanese_on_certificate",
)


@allow(SEE_TRAINING)
def programme_detail(request: HttpRequest, programme_pk: int) -> HttpResponse:
    """A programme: its units, phases and batches."""
    programme = programme_for(request.user, programme_pk)
    return TemplateResponse(
        request,
        "training/programme_detail.html",
        {
            "programme": programme,
            "units": programme.units.order_by("code"),
            "phases": programme.phases.all(),
            "batches": programme.batches.annotate(
                enrolled=Count("enrolments", filter=Q(enrolments__status="enrolled"))
            ),
            "may_run": runs(request.user, programme.organisation),
        },
    )


@allow(RUN_TRAINING)
def batch_create(request: HttpRequest, programme_pk: int) -> HttpResponse:
    """Plan a batch of a programme."""
    programme = programme_for(request.user, programme_pk)
    form = BatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        batch = attempt(
            request,
            form,
            lambda: programmes.batch_create(
                programme=programme, acting_user=request.user, **form.cleaned_data
            ),
        )
        if batch is not None:
            messages.success(request, _("The batch has been planned."))
            return redirect("training:batch", batch_pk=batch.pk)
    return TemplateResponse(
        request, "training/batch_form.html", {"form": form, "programme": programme}
    )


def _batch_context(request: HttpRequest, batch: Batch) -> dict[str, Any]:
    enrolments = list(enrolments_visible_in(request.user, batch))
    rows = [
        {
            "enrolment": e,
            "attendance": e.attendance_hours(),
            "results": certification.latest_results(e),
            "language": list(e.language_results.all()),
            "blockers": certification.certification_blockers(e)
            if e.status == EnrolmentStatus.ENROLLED
            else [],
            "certificates": list(e.certificates.all()),
        }
        for e in enrolments
    ]
    return {
        "batch": batch,
        "programme": batch.programme,
        "units": batch.programme.units.order_by("code"),
        "rows": rows,
        "trainers": batch.trainers.all(),
        "sessions": batch.sessions.select_related("phase"),
        "enrolled": programmes.enrolled_count(batch),
        "may_run": runs(request.user, batch.programme.organisation),
        "may_enrol": may_enrol_into(request.user, batch) and batch.status in ("planned", "running"),
        "trainer_form": TrainerForm(),
    }


@allow(SEE_TRAINING)
def batch_detail(request: HttpRequest, batch_pk: int) -> HttpResponse:
    """A batch: schedule, trainers, participants with attendance, results and what is missing."""
    batch = batch_for(request.user, batch_pk)
    record_access(
        acting_user=request.user, purpose="training.batch", instance=batch, request=request
    )
    return TemplateResponse(request, "training/batch_detail.html", _batch_context(request, batch))


def _run_batch(request: HttpRequest, batch_pk: int) -> Batch:
    """A batch the asker runs, or 404/403."""
    batch = batch_for(request.user, batch_pk)
    if not runs(request.user, batch.programme.organisation):
        raise PermissionDenied
    return batch


@require_POST
@allow(RUN_TRAINING)
def trainer_add(request: HttpRequest, batch_pk: int) -> HttpResponse:
    batch = _run_batch(request, batch_pk)
    form = TrainerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the trainer's name and qualification."))
        return redirect("training:batch", batch_pk=batch.pk)
    trainer = attempt(
        request,
        None,
        lambda: programmes.trainer_add(batch=batch, acting_user=request.user, **form.cleaned_data),
    )
    if trainer is not None:
        messages.success(request, _("The trainer has been added."))
    return redirect("training:batch", batch_pk=batch.pk)


@require_POST
@allow(RUN_TRAINING)
def batch_start(request: HttpRequest, batch_pk: int) -> HttpResponse:
    batch = _run_batch(request, batch_pk)
    started = attempt(
        request, None, lambda: programmes.batch_start(batch=batch, acting_user=request.user)
    )
    if started is not None:
        messages.success(request, _("The batch is running."))
    return redirect("training:batch", batch_pk=batch.pk)


@allow(ENROLLERS)
def enrol(request: HttpRequest, batch_pk: int) -> HttpResponse:
    """Enrol one of the eligible participants the asker may see."""
    batch = batch_for(request.user, batch_pk)
    if not may_enrol_into(request.user, batch):
        raise PermissionDenied
    record_access(
        acting_user=request.user, purpose="training.enrol", instance=batch, request=request
    )
    form = EnrolForm(request.POST or None, candidates=candidates_for(request.user, batch))
    if request.method == "POST" and form.is_valid():
        participant = form.cleaned_data["participant"]
        done = attempt(
            request,
            form,
            lambda: programmes.enrol(
                batch=batch, participant=participant, acting_user=request.user
            ),
        )
        if done is not None:
            messages.success(request, _("%(name)s is enrolled.") % {"name": participant.full_name})
            return redirect("training:batch", batch_pk=batch.pk)
    return TemplateResponse(
        request,
        "training/enrol.html",
        {"form": form, "batch": batch, "enrolled": programmes.enrolled_count(batch)},
    )


@allow(RUN_TRAINING)
def attendance(request: HttpRequest, batch_pk: int) -> HttpResponse:
    """Record one session and who attended it."""
    batch = _run_batch(request, batch_pk)
    enrolments = list(enrolments_visible_in(request.user, batch).filter(status="enrolled"))
    record_access(
        acting_user=request.user, purpose="training.attendance", instance=batch, request=request
    )
    form = SessionForm(request.POST or None, programme=batch.programme, enrolments=enrolments)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        session = attempt(
            request,
            form,
            lambda: programmes.session_record(
                batch=batch,
                date=data["date"],
                topic=data["topic"],
                hours=data["hours"],
                phase=data["phase"],
                marks=form.marks(),
                acting_user=request.user,
            ),
        )
        if session is not None:
            messages.success(request, _("Attendance has been recorded."))
            return redirect("training:batch", batch_pk=batch.pk)
    return TemplateResponse(request, "training/attendance.html", {"form": form, "batch": batch})


@allow(RUN_TRAINING)
def attendance_grid(request: HttpRequest, batch_pk: int) -> HttpResponse:
    """One session's attendance as a grid: a row per enrolled participant, all saved or none."""
    batch = _run_batch(request, batch_pk)
    record_access(
        acting_user=request.user, purpose="training.attendance", instance=batch, request=request
    )
    grid = _attendance_grid(request, batch)
    if request.method == "POST" and grid.is_valid():
        marks = {
            row.key: programmes.Mark(row.form.cleaned_data["mark"], row.form.cleaned_data["note"])
            for row in grid.filled()
        }
        outcome = attempt(
            request,
            grid,
            lambda: programmes.attendance_record_many(
                batch=batch, marks=marks, acting_user=request.user, **grid.header.cleaned_data
            ),
        )
        if outcome is not None:
            messages.success(
                request,
                _("Attendance saved: %(new)d new marks, %(same)d unchanged.")
                % {"new": len(outcome.recorded), "same": outcome.unchanged},
            )
            return redirect("training:batch", batch_pk=batch.pk)
    return TemplateResponse(
        request, "training/attendance_grid.html", {"grid": grid, "batch": batch}
    )


def _date_in(params: Any) -> dt.date | None:
    try:
        return parse_date(params.get("date", ""))
    except ValueError:
        return None


def _attendance_grid(request: HttpRequest, batch: Batch) -> Grid[Enrolment]:
    """The header and a row per enrolled participant (plus any the submitted grid names).

    Opened with ``?date=&topic=`` of a recorded session, the grid shows its marks
    (and, sent back with refusals, the marks already recorded for the session).
    """
    data = request.POST if request.method == "POST" else None
    visible = enrolments_visible_in(request.user, batch)
    wanted = Q(status=EnrolmentStatus.ENROLLED)
    if data is not None:
        wanted |= Q(pk__in=posted_keys(data))
    params = data if data is not None else request.GET
    date, topic = _date_in(params), params.get("topic", "")
    session, stored = session_marks(batch, date, topic)
    initial: dict[str, Any] = {"date": date, "topic": topic}
    if session is not None:
        initial |= {"hours": session.hours, "phase": session.phase}
    header = SessionHeaderForm(data, programme=batch.programme, initial=initial)
    rows = [
        Row(
            e.pk,
            e,
            AttendanceRowForm(data, prefix=row_prefix(e.pk), initial={"mark": stored.get(e.pk)}),
            shown=AttendanceMark(stored[e.pk]).label if e.pk in stored else None,
        )
        for e in visible.filter(wanted)
    ]
    return Grid(rows, header)


@allow(RUN_TRAINING)
def assess(request: HttpRequest, batch_pk: int, enrolment_pk: int) -> HttpResponse:
    """Record an assessment of one participant on one unit."""
    batch = _run_batch(request, batch_pk)
    enrolment = enrolment_for(request.user, batch, enrolment_pk)
    record_access(
        acting_user=request.user,
        purpose="training.assessment",
        instance=enrolment.participant,
        request=request,
    )
    form = AssessmentForm(request.POST or None, programme=batch.programme)
    if request.method == "POST" and form.is_valid():
        row = attempt(
            request,
            form,
            lambda: programmes.assessment_record(
                enrolment=enrolment, acting_user=request.user, **form.cleaned_data
            ),
        )
        if row is not None:
            messages.success(request, _("The assessment has been recorded."))
            return redirect("training:batch", batch_pk=batch.pk)
    return TemplateResponse(
        request,
        "training/record_form.html",
        {"form": form, "batch": batch, "enrolment": enrolment, "title": _("Assessment")},
    )


@allow(RUN_TRAINING)
def language_result(request: HttpRequest, batch_pk: int, enrolment_pk: int) -> HttpResponse:
    """Record a language test result; the verdict and its reasons follow the test's rules."""
    batch = _run_batch(request, batch_pk)
    enrolment = enrolment_for(request.user, batch, enrolment_pk)
    record_access(
        acting_user=request.user,
        purpose="training.language_result",
        instance=enrolment.participant,
        request=request,
    )
    form = LanguageResultForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sheet = programmes.ScoreSheet(
            test=data["test"],
            tested_on=data["tested_on"],
            level=data["level"],
            sections=form.sections(),
            total=data["total"],
        )
        row = attempt(
            request,
            form,
            lambda: programmes.language_result_record(
                enrolment=enrolment, sheet=sheet, acting_user=request.user
            ),
        )
        if row is not None:
            outcome = _("passed") if row.passed else _("not passed")
            messages.success(request, f"{outcome}: {row.explanation}")
            return redirect("training:batch", batch_pk=batch.pk)
    return TemplateResponse(
        request,
        "training/record_form.html",
        {"form": form, "batch": batch, "enrolment": enrolment, "title": _("Language test result")},
    )


@allow(RUN_TRAINING)
def withdraw(request: HttpRequest, batch_pk: int, enrolment_pk: int) -> HttpResponse:
    """Take a participant out of the batch, with the reason."""
    batch = _run_batch(request, batch_pk)
    enrolment = enrolment_for(request.user, batch, enrolment_pk)
    record_access(
        acting_user=request.user,
        purpose="training.withdraw",
        instance=enrolment.participant,
        request=request,
    )
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: programmes.enrolment_withdraw(
                enrolment=enrolment, reason=form.cleaned_data["reason"], acting_user=request.user
            ),
        )
        if done is not None:
            messages.success(request, _("The participant has left the batch."))
            return redirect("training:batch", batch_pk=batch.pk)
    return TemplateResponse(
        request,
        "training/record_form.html",
        {"form": form, "batch": batch, "enrolment": enrolment, "title": _("Leave the batch")},
    )


@allow(RUN_TRAINING)
def complete(request: HttpRequest, batch_pk: int) -> HttpResponse:
    """Show who would be certified and who not (and why); complete only once confirmed."""
    batch = _run_batch(request, batch_pk)
    record_access(
        acting_user=request.user, purpose="training.complete", instance=batch, request=request
    )
    form = CompleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        report = attempt(
            request,
            form,
            lambda: certification.batch_complete(
                batch=batch,
                acting_user=request.user,
                early_reason=form.cleaned_data["early_reason"],
                confirmed=form.cleaned_data["confirm"],
            ),
        )
        if report is not None:
            messages.success(
                request,
                _("The batch is completed: %(c)d certified, %(n)d not certified.")
                % {"c": len(report.certified), "n": len(report.not_certified)},
            )
            return redirect("training:batch", batch_pk=batch.pk)
    return TemplateResponse(
        request,
        "training/complete.html",
        {"batch": batch, "plan": certification.completion_plan(batch), "form": form},
    )
