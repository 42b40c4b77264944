"""The only writers of training: programmes, batches, enrolment, attendance, assessments.

Each service is atomic, checks who acts (rules.py) and writes the audit trail
explicitly. Completing a batch and certificates are in certification.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from jembatan.core.access import role_of
from jembatan.core.audit import diff, record_change, snapshot
from jembatan.core.grids import each_row
from jembatan.core.models import Occupation
from jembatan.core.transitions import TransitionRefused
from jembatan.organisations.models import TRAINING_KINDS, Organisation
from jembatan.participants.locks import lock_participant
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.participants.selectors import participants_visible_to
from jembatan.participants.services.registry import participant_transition
from jembatan.participants.workflows import JourneyAction
from jembatan.training import language_tests
from jembatan.training.errors import TrainingErrorCode
from jembatan.training.locks import lock_batch, lock_competency_unit, lock_enrolment
from jembatan.training.models import (
    OPEN_BATCH_STATUSES,
    AssessmentResult,
    Attendance,
    AttendanceMark,
    Batch,
    CompetencyUnit,
    Enrolment,
    EnrolmentStatus,
    LanguageResult,
    LanguageTest,
    Programme,
    ProgrammePhase,
    Trainer,
    TrainingSession,
)
from jembatan.training.models import Assessment as AssessmentRow
from jembatan.training.rules import EDIT_UNITS, enrolment_blockers, may_enrol_into, runs
from jembatan.training.workflows import (
    BATCH_WORKFLOW,
    ENROLMENT_WORKFLOW,
    BatchAction,
    EnrolmentAction,
)


def _ensure_runs(acting_user: Any, organisation: Organisation) -> None:
    if not runs(acting_user, organisation):
        raise PermissionDenied(_("You run the training of your own training centre only."))


def _audit(
    acting_user: Any, operation: str, instance: Any, action: str, before: dict[str, Any]
) -> None:
    record_change(
        acting_user=acting_user,
        operation=f"training.{operation}",
        instance=instance,
        action=action,
        changes=diff(before, snapshot(instance)),
    )


# --- competency units (reference data) -----------------------------------------------


@transaction.atomic
def competency_unit_save(
    *, acting_user: Any, code: str, title_id: str, title_en: str, title_ja: str, hours: int
) -> CompetencyUnit:
    """Add an SKKNI unit or correct the titles and hours of one (national admin only)."""
    if role_of(acting_user) not in EDIT_UNITS:
        raise PermissionDenied(_("Only a national administrator edits the competency units."))
    unit = lock_competency_unit(code)
    before = snapshot(unit) if unit else {}
    unit = unit or CompetencyUnit(code=code)
    unit.title_id, unit.title_en, unit.title_ja, unit.hours = title_id, title_en, title_ja, hours
    unit.full_clean()
    unit.save()
    _audit(acting_user, "competency_unit_save", unit, "update" if before else "create", before)
    return unit


# --- programmes and batches -------------------------------------------------------------


@dataclass(frozen=True)
class PhaseSpec:
    """One phase of a new programme."""

    name: str
    hours: int
    location: str


@dataclass(frozen=True)
class ProgrammeSpec:
    """What a new programme says."""

    name: str
    occupation: Occupation
    route: str
    units: Sequence[CompetencyUnit]
    total_hours: int
    language_hours: int
    capacity: int
    min_attendance_percent: int = 80
    language_test: str = ""
    jlpt_level: str = ""
    eps_topik_pass_mark: int = language_tests.EPS_TOPIK_DEFAULT_PASS_MARK
    japanese_on_certificate: bool = False
    phases: Sequence[PhaseSpec] = field(default_factory=tuple)


def programme_problems(spec: ProgrammeSpec) -> dict[str, list[str]]:
    """What is inconsistent in a programme, by field (empty when it holds together)."""
    problems: dict[str, list[str]] = {}
    if not spec.units:
        problems["units"] = [_("Choose at least one competency unit.")]
    if spec.phases and sum(p.hours for p in spec.phases) != spec.total_hours:
        problems["phases"] = [
            _("The phases add up to %(sum)d hours; the programme has %(total)d.")
            % {"sum": sum(p.hours for p in spec.phases), "total": spec.total_hours}
        ]
    if spec.language_hours > spec.total_hours:
        problems["language_hours"] = [_("Language hours cannot exceed the total hours.")]
    if (spec.language_test == LanguageTest.JLPT) != bool(spec.jlpt_level):
        problems["jlpt_level"] = [_("Give a JLPT level exactly when JLPT is the required test.")]
    return problems


@transaction.atomic
def programme_create(
    *, organisation: Organisation, spec: ProgrammeSpec, acting_user: Any
) -> Programme:
    """Create a programme at a BLK or LPK with its units and phases."""
    _ensure_runs(acting_user, organisation)
    if organisation.kind not in TRAINING_KINDS:
        raise ValidationError(_("Only a BLK or an LPK runs training programmes."))
    problems = programme_problems(spec)
    if problems:
        raise ValidationError(problems)
    programme = Programme(
        organisation=organisation,
        created_by=acting_user,
        **{k: getattr(spec, k) for k in _PROGRAMME_FIELDS},
    )
    programme.full_clean()
    programme.save()
    programme.units.set(spec.units)
    for order, phase in enumerate(spec.phases, start=1):
        ProgrammePhase.objects.create(programme=programme, order=order, **phase.__dict__)
    _audit(acting_user, "programme_create", programme, "create", {})
    return programme


_PROGRAMME_FIELDS = (
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


@transaction.atomic
def batch_create(
    *,
    programme: Programme,
    code: str,
    starts_on: dt.date,
    ends_on: dt.date,
    capacity: int | None,
    acting_user: Any,
) -> Batch:
    """Plan a batch of a programme; its places default to, and may not exceed, the programme's."""
    _ensure_runs(acting_user, programme.organisation)
    places = capacity or programme.capacity
    if places > programme.capacity:
        raise ValidationError(
            {"capacity": [_("At most %(n)d places per batch.") % {"n": programme.capacity}]}
        )
    if ends_on < starts_on:
        raise ValidationError({"ends_on": [_("A batch cannot end before it starts.")]})
    if Batch.objects.filter(programme=programme, code=code).exists():
        raise ValidationError({"code": [_("This programme already has a batch with this code.")]})
    batch = Batch.objects.create(
        programme=programme, code=code, starts_on=starts_on, ends_on=ends_on, capacity=places
    )
    _audit(acting_user, "batch_create", batch, "create", {})
    return batch


@transaction.atomic
def trainer_add(*, batch: Batch, name: str, qualification: str, acting_user: Any) -> Trainer:
    """Name a trainer of a batch and the qualification that lets them teach."""
    _ensure_runs(acting_user, batch.programme.organisation)
    if not name.strip() or not qualification.strip():
        raise ValidationError(_("Give the trainer's name and qualification."))
    trainer = Trainer.objects.create(
        batch=batch, name=name.strip(), qualification=qualification.strip()
    )
    _audit(acting_user, "trainer_add", trainer, "create", {})
    return trainer


@transaction.atomic
def batch_start(*, batch: Batch, acting_user: Any) -> Batch:
    """Mark a planned batch as running."""
    locked = lock_batch(batch.pk)
    _ensure_runs(acting_user, locked.programme.organisation)
    step = BATCH_WORKFLOW.check(
        locked.status,
        BatchAction.START,
        refusal=lambda: TransitionRefused(_("Only a planned batch can start.")),
    )
    before = snapshot(locked)
    locked.status = str(step.target)
    locked.save(update_fields=["status"])
    _audit(acting_user, "batch_start", locked, "transition", before)
    return locked


# --- enrolment ----------------------------------------------------------------------------


def active_batch_of(participant: Participant) -> Batch | None:
    """The batch the participant is enrolled in now, if any."""
    found = (
        Enrolment.objects.filter(participant=participant, status=EnrolmentStatus.ENROLLED)
        .select_related("batch__programme")
        .first()
    )
    return found.batch if found else None


def enrolled_count(batch: Batch) -> int:
    return batch.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()


@transaction.atomic
def enrol(*, batch: Batch, participant: Participant, acting_user: Any) -> Enrolment:
    """Enrol an eligible participant in a batch (rules.enrolment_blockers), capacity kept.

    The batch row is locked first, so two enrolments racing for the last place
    run one after the other and the second sees the batch full. Side effects:
    the participant's training centre becomes the batch's centre, the journey
    moves to *in training* (participant_transition: licence, role and scope
    checks), an enrolment row and change records.
    """
    locked = lock_batch(batch.pk)
    if not may_enrol_into(acting_user, locked):
        raise PermissionDenied(_("You may not enrol participants in this batch."))
    if not participants_visible_to(acting_user).filter(pk=participant.pk).exists():
        raise PermissionDenied(_("This participant is not in your scope."))
    person = lock_participant(participant.pk)
    blockers = enrolment_blockers(person, locked, active_batch=active_batch_of(person))
    if blockers:
        raise ValidationError(
            [ValidationError(b, code=TrainingErrorCode.NOT_ELIGIBLE) for b in blockers]
        )
    if enrolled_count(locked) >= locked.capacity:
        raise ValidationError(_("The batch is full (%(n)d places).") % {"n": locked.capacity})
    _assign_training_centre(person, locked.programme.organisation, acting_user)
    if person.status != JourneyStatus.IN_TRAINING:
        participant_transition(
            participant=person,
            action=JourneyAction.START_TRAINING,
            acting_user=acting_user,
            reason=_("Enrolled in batch %(batch)s.") % {"batch": locked},
        )
    enrolment = _create_enrolment(locked, person, acting_user)
    _audit(acting_user, "enrol", enrolment, "create", {})
    participant.refresh_from_db()
    return enrolment


def _assign_training_centre(person: Participant, centre: Organisation, acting_user: Any) -> None:
    """The registry records where a participant trains (the graduates' feedback loop reads it)."""
    if person.training_centre_id == centre.pk:
        return
    before = snapshot(person, ["training_centre_id", "version"])
    person.training_centre = centre
    person.version += 1
    person.save(update_fields=["training_centre", "version"])
    record_change(
        acting_user=acting_user,
        operation="training.enrol",
        instance=person,
        action="update",
        changes=diff(before, snapshot(person, ["training_centre_id", "version"])),
    )


def _create_enrolment(batch: Batch, person: Participant, acting_user: Any) -> Enrolment:
    try:
        with transaction.atomic():
            return Enrolment.objects.create(
                batch=batch, participant=person, enrolled_at=timezone.now(), enrolled_by=acting_user
            )
    except IntegrityError:
        raise ValidationError(
            _("The participant is already enrolled in another active batch.")
        ) from None


@transaction.atomic
def enrolment_withdraw(*, enrolment: Enrolment, reason: str, acting_user: Any) -> Enrolment:
    """Take a participant out of a batch, with the reason (the journey is not changed)."""
    _ensure_runs(acting_user, enrolment.batch.programme.organisation)
    locked = lock_enrolment(enrolment.pk)
    step = ENROLMENT_WORKFLOW.check(
        locked.status,
        EnrolmentAction.WITHDRAW,
        refusal=lambda: TransitionRefused(_("Only an active enrolment can be ended.")),
    )
    if not reason.strip():
        raise ValidationError(_("Give the reason the participant leaves the batch."))
    before = snapshot(locked)
    locked.status = str(step.target)
    locked.ended_at = timezone.now()
    locked.outcome_note = reason.strip()
    locked.save(update_fields=["status", "ended_at", "outcome_note"])
    _audit(acting_user, "enrolment_withdraw", locked, "transition", before)
    return locked


# --- attendance, assessments, language results -------------------------------------------


def _ensure_open(batch: Batch) -> None:
    if batch.status not in OPEN_BATCH_STATUSES:
        raise ValidationError(_("The batch is closed; its records can no longer change."))


@transaction.atomic
def session_record(
    *,
    batch: Batch,
    date: dt.date,
    topic: str,
    hours: int,
    phase: ProgrammePhase | None,
    marks: Mapping[int, str],
    acting_user: Any,
) -> TrainingSession:
    """Record one session and the attendance of every enrolled participant (by enrolment id)."""
    locked = lock_batch(batch.pk)
    _ensure_runs(acting_user, locked.programme.organisation)
    _ensure_open(locked)
    _check_session(locked, date, phase)
    enrolled = {e.pk: e for e in locked.enrolments.filter(status=EnrolmentStatus.ENROLLED)}
    _check_marks(marks, enrolled)
    session, created = TrainingSession.objects.get_or_create(
        batch=locked, date=date, topic=topic.strip(), defaults={"hours": hours, "phase": phase}
    )
    if not created:
        raise ValidationError(_("Attendance for this session was already recorded."))
    now = timezone.now()
    Attendance.objects.bulk_create(
        Attendance(
            session=session,
            enrolment=enrolled[pk],
            mark=mark,
            recorded_at=now,
            recorded_by=acting_user,
        )
        for pk, mark in marks.items()
    )
    _audit(acting_user, "session_record", session, "create", {})
    return session


def _refuse(field: str, message: str, code: TrainingErrorCode) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


def _check_session(batch: Batch, date: dt.date, phase: ProgrammePhase | None) -> None:
    """A session is within the batch's schedule, not in the future, of the programme's phases."""
    if not batch.starts_on <= date <= batch.ends_on:
        raise _refuse(
            "date",
            _("The date is outside the batch's schedule."),
            TrainingErrorCode.OUTSIDE_SCHEDULE,
        )
    if date > timezone.localdate():
        message = _(
            "Attendance is recorded for a session that has taken place; %(date)s is in the future."
        ) % {"date": formats.date_format(date, "DATE_FORMAT")}
        raise _refuse("date", message, TrainingErrorCode.FUTURE_DATE)
    if phase is not None and phase.programme_id != batch.programme_id:
        raise _refuse(
            "phase", _("This phase belongs to another programme."), TrainingErrorCode.OTHER_PHASE
        )


def _check_marks(marks: Mapping[int, str], enrolled: Mapping[int, Enrolment]) -> None:
    if set(marks) != set(enrolled):
        raise ValidationError(_("Mark the attendance of every enrolled participant."))
    if any(mark not in AttendanceMark.values for mark in marks.values()):
        raise ValidationError(_("Attendance is present, absent or excused."))


@dataclass(frozen=True)
class Mark:
    """One participant's attendance at a session, as entered in the attendance grid."""

    mark: str
    note: str = ""


@dataclass
class MarksOutcome:
    """What a grid of marks did: its session, the new marks, how many rows were already so."""

    session: TrainingSession
    session_created: bool
    recorded: list[Attendance]
    unchanged: int


@transaction.atomic
def attendance_record_many(
    *,
    batch: Batch,
    date: dt.date,
    topic: str,
    hours: int,
    phase: ProgrammePhase | None,
    marks: Mapping[int, Mark],
    acting_user: Any,
) -> MarksOutcome:
    """Record the attendance of some enrolled participants (by enrolment id) at one session.

    The attendance grid's writer: all rows or none. The session is the batch's
    one of that date and topic, created on first use; it is checked as
    session_record checks it (who runs the batch, an open batch, the schedule,
    no future date, the programme's phase). A row is refused on its own when the
    participant is no longer enrolled or already has another mark for this
    session, and then nothing is written (grids.RowsRefused names each row). A row
    repeating the stored mark changes nothing, so a grid sent twice records once.
    Side effects: the session when new, one attendance row per new mark, a
    change record for each.
    """
    locked = lock_batch(batch.pk)
    _ensure_runs(acting_user, locked.programme.organisation)
    _ensure_open(locked)
    _check_session(locked, date, phase)
    if not marks:
        raise ValidationError(
            _("Mark the attendance of at least one participant."),
            code=TrainingErrorCode.NOTHING_TO_SAVE,
        )
    session, created = _session_for(locked, date, topic.strip(), hours, phase, acting_user)
    enrolled = {
        e.pk: e for e in locked.enrolments.filter(status=EnrolmentStatus.ENROLLED, pk__in=marks)
    }
    stored = dict(session.attendance.values_list("enrolment_id", "mark"))
    now = timezone.now()
    written = each_row(
        marks,
        lambda pk, row: _mark_one(session, enrolled.get(pk), stored.get(pk), row, acting_user, now),
    )
    recorded = [row for row in written.values() if row is not None]
    return MarksOutcome(session, created, recorded, len(written) - len(recorded))


def _session_for(
    batch: Batch,
    date: dt.date,
    topic: str,
    hours: int,
    phase: ProgrammePhase | None,
    acting_user: Any,
) -> tuple[TrainingSession, bool]:
    """The batch's session of ``date`` and ``topic``, created if new; refused if it differs."""
    session = TrainingSession.objects.filter(batch=batch, date=date, topic=topic).first()
    if session is None:
        session = TrainingSession.objects.create(
            batch=batch, date=date, topic=topic, hours=hours, phase=phase
        )
        _audit(acting_user, "attendance_record_many", session, "create", {})
        return session, True
    if session.hours != hours or session.phase_id != (phase.pk if phase else None):
        message = _(
            "This session was recorded with %(hours)d hours%(phase)s; enter the same hours and "
            "phase to add marks to it, or give the new session another topic."
        ) % {"hours": session.hours, "phase": f" ({session.phase.name})" if session.phase else ""}
        raise _refuse("hours", message, TrainingErrorCode.SESSION_DIFFERS)
    return session, False


def _mark_one(
    session: TrainingSession,
    enrolment: Enrolment | None,
    stored: str | None,
    mark: Mark,
    acting_user: Any,
    now: dt.datetime,
) -> Attendance | None:
    """One row of the grid: its new attendance row, None when it repeats the stored mark."""
    if mark.mark not in AttendanceMark.values:
        raise _refuse(
            "mark", _("Attendance is present, absent or excused."), TrainingErrorCode.BAD_MARK
        )
    if enrolment is None:
        raise ValidationError(
            _("The participant is no longer enrolled in this batch."),
            code=TrainingErrorCode.NOT_ENROLLED,
        )
    if stored == mark.mark:
        return None
    if stored is not None:
        raise _refuse("mark", _already_marked(stored), TrainingErrorCode.ALREADY_MARKED)
    row = Attendance.objects.create(
        session=session,
        enrolment=enrolment,
        mark=mark.mark,
        note=mark.note.strip(),
        recorded_at=now,
        recorded_by=acting_user,
    )
    _audit(acting_user, "attendance_record_many", row, "create", {})
    return row


def _already_marked(stored: str) -> str:
    return _(
        "Already recorded as “%(mark)s” for this session; a recorded mark is not changed here."
    ) % {"mark": AttendanceMark(stored).label}


@transaction.atomic
def assessment_record(
    *,
    enrolment: Enrolment,
    unit: CompetencyUnit,
    result: str,
    assessor: str,
    assessed_on: dt.date,
    evidence: str,
    acting_user: Any,
) -> AssessmentRow:
    """Record the result on one unit; a later assessment of the same unit supersedes it."""
    batch = lock_batch(enrolment.batch_id)
    _ensure_runs(acting_user, batch.programme.organisation)
    _ensure_open(batch)
    problems = _assessment_problems(enrolment, batch, unit, result, assessor, assessed_on)
    if problems:
        raise ValidationError(problems)
    row = AssessmentRow.objects.create(
        enrolment=enrolment,
        unit=unit,
        result=result,
        assessor=assessor.strip(),
        assessed_on=assessed_on,
        evidence=evidence.strip(),
        recorded_at=timezone.now(),
        recorded_by=acting_user,
    )
    _audit(acting_user, "assessment_record", row, "create", {})
    return row


def _assessment_problems(
    enrolment: Enrolment,
    batch: Batch,
    unit: CompetencyUnit,
    result: str,
    assessor: str,
    assessed_on: dt.date,
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if enrolment.status != EnrolmentStatus.ENROLLED:
        problems["enrolment"] = [_("The participant is no longer enrolled in this batch.")]
    if not batch.programme.units.filter(pk=unit.pk).exists():
        problems["unit"] = [_("This unit is not part of the programme.")]
    if result not in AssessmentResult.values:
        problems["result"] = [_("The result is competent or not yet competent.")]
    if not assessor.strip():
        problems["assessor"] = [_("Name the assessor.")]
    if not batch.starts_on <= assessed_on <= timezone.localdate():
        problems["assessed_on"] = [_("The date lies between the batch's start and today.")]
    return problems


@dataclass(frozen=True)
class ScoreSheet:
    """A language test's scores as typed: JLPT by section, the others one total."""

    test: str
    tested_on: dt.date
    level: str = ""
    sections: tuple[int, ...] = ()
    total: int | None = None


def judge(
    sheet: ScoreSheet, *, pass_mark: int, age: int
) -> tuple[language_tests.Verdict, int, int]:
    """The verdict, the total and the pass mark applied, by the test's own rule."""
    if sheet.test == LanguageTest.JLPT:
        rule = language_tests.jlpt_rule(sheet.level)
        return (
            language_tests.jlpt_verdict(sheet.level, sheet.sections),
            sum(sheet.sections),
            rule.pass_mark,
        )
    if sheet.total is None:
        raise language_tests.ScoreOutOfRange(_("Give the total score."))
    if sheet.test == LanguageTest.JFT_BASIC:
        return (
            language_tests.jft_basic_verdict(sheet.total),
            sheet.total,
            language_tests.JFT_BASIC_A2,
        )
    if sheet.test == LanguageTest.EPS_TOPIK:
        verdict = language_tests.eps_topik_verdict(sheet.total, pass_mark=pass_mark, age=age)
        return verdict, sheet.total, pass_mark
    raise language_tests.ScoreOutOfRange(_("Choose the language test."))


@transaction.atomic
def language_result_record(
    *, enrolment: Enrolment, sheet: ScoreSheet, acting_user: Any
) -> LanguageResult:
    """Record a language test result with its verdict and the reasons, by the real rules."""
    batch = lock_batch(enrolment.batch_id)
    _ensure_runs(acting_user, batch.programme.organisation)
    _ensure_open(batch)
    if sheet.tested_on > timezone.localdate():
        raise ValidationError({"tested_on": [_("The test date cannot be in the future.")]})
    age = language_tests.age_on(enrolment.participant.birth_date, sheet.tested_on)
    try:
        verdict, total, mark = judge(sheet, pass_mark=batch.programme.eps_topik_pass_mark, age=age)
    except language_tests.ScoreOutOfRange as error:
        raise ValidationError(str(error)) from error
    row = LanguageResult.objects.create(
        participant=enrolment.participant,
        enrolment=enrolment,
        test=sheet.test,
        level=sheet.level if sheet.test == LanguageTest.JLPT else "",
        total=total,
        sections=list(sheet.sections),
        tested_on=sheet.tested_on,
        pass_mark=mark,
        passed=verdict.passed,
        explanation=verdict.explanation,
        recorded_at=timezone.now(),
        recorded_by=acting_user,
    )
    _audit(acting_user, "language_result_record", row, "create", {})
    return row
