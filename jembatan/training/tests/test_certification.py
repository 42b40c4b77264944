"""Attendance, assessments, language results, and completing a batch into certificates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.training.models import (
    AssessmentResult,
    AttendanceMark,
    Batch,
    BatchStatus,
    Certificate,
    CertificateKind,
    Enrolment,
    EnrolmentStatus,
    LanguageTest,
)
from jembatan.training.services import programmes
from jembatan.training.services.certification import (
    batch_complete,
    certification_blockers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(
    lpk_batch: Batch, make_participant: Callable[..., Participant], training_operator: User
) -> Callable[..., Enrolment]:
    def enrol(
        batch: Batch = lpk_batch, status: str = JourneyStatus.VERIFIED, **extra: object
    ) -> Enrolment:
        person = make_participant(status, **extra)
        return programmes.enrol(batch=batch, participant=person, acting_user=training_operator)

    return enrol


def _session(batch: Batch, by: User, marks: dict[int, str], day: int = 0) -> None:
    programmes.session_record(
        batch=batch,
        date=timezone.localdate() - dt.timedelta(days=day),
        topic="Welding practice",
        hours=8,
        phase=None,
        marks=marks,
        acting_user=by,
    )


def test_attendance_counts_hours_present_against_the_programme_hours(
    enrolled: Callable[..., Enrolment], training_operator: User
) -> None:
    enrolment = enrolled()
    batch = enrolment.batch
    for day, mark in enumerate(
        [
            AttendanceMark.PRESENT,
            AttendanceMark.PRESENT,
            AttendanceMark.ABSENT,
            AttendanceMark.EXCUSED,
        ],
        start=1,
    ):
        _session(batch, training_operator, {enrolment.pk: mark}, day=day)
    hours = enrolment.attendance_hours()
    assert (hours.attended, hours.excused, hours.programme, hours.required) == (16, 8, 40, 32)
    assert certification_blockers(enrolment)[0] == (
        "Attended 16 of the programme's 40 hours; at least 32 (80%) are required."
    )


def test_one_session_out_of_hundreds_of_hours_does_not_complete_a_programme(
    blk: object,
    make_participant: Callable[..., Participant],
    training_operator: User,
) -> None:
    """The walk-through's case: a 480-hour programme, one 8-hour session, everything else done."""
    from jembatan.training.factories import BatchFactory, ProgrammeFactory

    batch = BatchFactory(
        programme=ProgrammeFactory(organisation=blk, total_hours=480, capacity=5),
        ends_on=timezone.localdate(),
    )
    enrolment = programmes.enrol(
        batch=batch,
        participant=make_participant(JourneyStatus.VERIFIED),
        acting_user=training_operator,
    )
    _session(batch, training_operator, {enrolment.pk: AttendanceMark.PRESENT}, day=1)
    for unit in batch.programme.units.all():
        programmes.assessment_record(
            enrolment=enrolment,
            unit=unit,
            result=AssessmentResult.COMPETENT,
            assessor="Budi (MET.001)",
            assessed_on=timezone.localdate(),
            evidence="",
            acting_user=training_operator,
        )
    assert certification_blockers(enrolment) == [
        "Attended 8 of the programme's 480 hours; at least 384 (80%) are required."
    ]
    report = batch_complete(batch=batch, acting_user=training_operator, confirmed=True)
    assert report.certified == []
    assert not Certificate.objects.filter(enrolment=enrolment).exists()


def test_attendance_for_a_future_date_is_refused(
    enrolled: Callable[..., Enrolment], training_operator: User
) -> None:
    enrolment = enrolled()
    Batch.objects.filter(pk=enrolment.batch.pk).update(
        ends_on=timezone.localdate() + dt.timedelta(days=30)
    )
    enrolment.batch.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        _session(enrolment.batch, training_operator, {enrolment.pk: "present"}, day=-1)
    assert list(refused.value.message_dict) == ["date"]
    assert "is in the future" in refused.value.message_dict["date"][0]
    assert not enrolment.batch.sessions.exists()


def test_attendance_must_mark_every_enrolled_participant(
    enrolled: Callable[..., Enrolment], training_operator: User
) -> None:
    first, second = enrolled(), enrolled()
    with pytest.raises(ValidationError) as refused:
        _session(first.batch, training_operator, {first.pk: AttendanceMark.PRESENT})
    assert refused.value.messages == ["Mark the attendance of every enrolled participant."]
    assert not first.batch.sessions.exists()
    assert second.pk


def test_a_session_outside_the_schedule_is_refused(
    enrolled: Callable[..., Enrolment], training_operator: User
) -> None:
    enrolment = enrolled()
    with pytest.raises(ValidationError) as refused:
        _session(enrolment.batch, training_operator, {enrolment.pk: "present"}, day=365)
    assert refused.value.message_dict == {"date": ["The date is outside the batch's schedule."]}


def test_the_latest_assessment_of_a_unit_counts(
    enrolled: Callable[..., Enrolment], training_operator: User
) -> None:
    enrolment = enrolled()
    unit = enrolment.batch.programme.units.order_by("code").first()
    assert unit is not None
    for days_ago, result in [
        (3, AssessmentResult.NOT_YET_COMPETENT),
        (1, AssessmentResult.COMPETENT),
    ]:
        programmes.assessment_record(
            enrolment=enrolment,
            unit=unit,
            result=result,
            assessor="Budi (MET.001)",
            assessed_on=timezone.localdate() - dt.timedelta(days=days_ago),
            evidence="",
            acting_user=training_operator,
        )
    from jembatan.training.services.certification import latest_results

    assert latest_results(enrolment) == {unit.pk: AssessmentResult.COMPETENT}


def test_an_assessment_needs_a_unit_of_the_programme_an_assessor_and_a_sensible_date(
    enrolled: Callable[..., Enrolment], training_operator: User
) -> None:
    from jembatan.training.factories import CompetencyUnitFactory

    enrolment = enrolled()
    with pytest.raises(ValidationError) as refused:
        programmes.assessment_record(
            enrolment=enrolment,
            unit=CompetencyUnitFactory(code="J.620100.001.01"),
            result="maybe",
            assessor=" ",
            assessed_on=timezone.localdate() + dt.timedelta(days=1),
            evidence="",
            acting_user=training_operator,
        )
    assert refused.value.message_dict == {
        "unit": ["This unit is not part of the programme."],
        "result": ["The result is competent or not yet competent."],
        "assessor": ["Name the assessor."],
        "assessed_on": ["The date lies between the batch's start and today."],
    }
    assert not enrolment.assessments.exists()


def test_a_language_result_is_judged_by_the_real_rule_and_keeps_the_reasons(
    im_batch: Batch, enrolled: Callable[..., Enrolment], training_operator: User
) -> None:
    enrolment = enrolled(batch=im_batch, status=JourneyStatus.SELECTED)
    row = programmes.language_result_record(
        enrolment=enrolment,
        sheet=programmes.ScoreSheet(
            test=LanguageTest.JLPT, level="N4", sections=(37, 60), tested_on=timezone.localdate()
        ),
        acting_user=training_operator,
    )
    assert (row.passed, row.total, row.pass_mark) == (False, 97, 90)
    assert row.explanation == (
        "Language knowledge (vocabulary, grammar) and reading: 37 is below the section "
        "minimum of 38."
    )


def test_an_eps_topik_result_uses_the_programme_pass_mark_and_the_age_on_the_test_day(
    enrolled: Callable[..., Enrolment], training_operator: User
) -> None:
    enrolment = enrolled(birth_date=dt.date(1980, 1, 1))
    row = programmes.language_result_record(
        enrolment=enrolment,
        sheet=programmes.ScoreSheet(
            test=LanguageTest.EPS_TOPIK, total=150, tested_on=timezone.localdate()
        ),
        acting_user=training_operator,
    )
    assert row.passed is False
    assert row.explanation.startswith("EPS-TOPIK candidates are 18 to 39 years old")


def test_an_impossible_score_is_refused_and_nothing_is_recorded(
    enrolled: Callable[..., Enrolment], training_operator: User
) -> None:
    enrolment = enrolled()
    with pytest.raises(ValidationError) as refused:
        programmes.language_result_record(
            enrolment=enrolment,
            sheet=programmes.ScoreSheet(
                test=LanguageTest.JFT_BASIC, total=260, tested_on=timezone.localdate()
            ),
            acting_user=training_operator,
        )
    assert refused.value.messages == ["JFT-Basic is scored 10-250, not 260."]
    assert not enrolment.language_results.exists()


def test_completing_a_batch_certifies_the_competent_and_keeps_reasons_for_the_others(
    enrolled: Callable[..., Enrolment],
    run_to_the_end: Callable[..., None],
    training_operator: User,
) -> None:
    good, weak = enrolled(), enrolled()
    run_to_the_end(good)
    run_to_the_end(weak, competent=False)
    with pytest.raises(ValidationError) as refused:
        batch_complete(batch=good.batch, acting_user=training_operator)
    (asked,) = refused.value.message_dict["confirm"]
    assert asked.startswith("1 of 2 participants would end the batch without a certificate (")
    assert weak.participant.full_name in asked and "not yet competent" in asked
    assert not Certificate.objects.exists()
    report = batch_complete(batch=good.batch, acting_user=training_operator, confirmed=True)

    good.refresh_from_db()
    weak.refresh_from_db()
    good.participant.refresh_from_db()
    weak.participant.refresh_from_db()
    assert [e.pk for e in report.certified] == [good.pk]
    assert (good.status, good.participant.status) == (
        EnrolmentStatus.CERTIFIED,
        JourneyStatus.CERTIFIED,
    )
    assert (weak.status, weak.participant.status) == (
        EnrolmentStatus.NOT_CERTIFIED,
        JourneyStatus.IN_TRAINING,
    )
    assert weak.outcome_note == (
        "C.812000.001.01: not yet competent. C.812000.002.01: not yet competent."
    )
    kinds = sorted(
        Certificate.objects.filter(participant=good.participant).values_list("kind", flat=True)
    )
    assert kinds == [CertificateKind.TRAINING]  # competency is certified by an LSP
    assert not Certificate.objects.filter(participant=weak.participant).exists()
    good.batch.refresh_from_db()
    assert good.batch.status == BatchStatus.COMPLETED
    step = good.participant.status_changes.get(to_status=JourneyStatus.CERTIFIED)
    assert step.by == training_operator


def test_the_im_japan_route_needs_the_jlpt_level_to_certify(
    im_batch: Batch,
    enrolled: Callable[..., Enrolment],
    run_to_the_end: Callable[..., None],
    training_operator: User,
) -> None:
    passed, failed = (
        enrolled(batch=im_batch, status=JourneyStatus.SELECTED),
        enrolled(batch=im_batch, status=JourneyStatus.SELECTED),
    )
    run_to_the_end(passed)
    run_to_the_end(failed, language_pass=False)
    assert certification_blockers(failed) == [
        "No passed JLPT (Japanese-Language Proficiency Test) result (N4)."
    ]
    report = batch_complete(batch=im_batch, acting_user=training_operator, confirmed=True)
    assert [e.pk for e in report.certified] == [passed.pk]
    passed.participant.refresh_from_db()
    assert (
        passed.participant.status == JourneyStatus.CERTIFIED
    )  # then matching: certified → matched


def test_no_attendance_blocks_certification(enrolled: Callable[..., Enrolment]) -> None:
    enrolment = enrolled()
    assert certification_blockers(enrolment)[0] == (
        "No attendance has been recorded; 32 of the programme's 40 hours are required."
    )


def test_only_a_running_batch_completes_and_only_by_its_centre(
    lpk_batch: Batch, sender_operator: User, training_operator: User
) -> None:
    with pytest.raises(PermissionDenied):
        batch_complete(batch=lpk_batch, acting_user=sender_operator)
    Batch.objects.filter(pk=lpk_batch.pk).update(status=BatchStatus.PLANNED)
    with pytest.raises(ValidationError) as refused:
        batch_complete(batch=lpk_batch, acting_user=training_operator)
    assert refused.value.messages == ["Only a running batch can be completed."]


def test_completing_before_the_end_date_needs_a_reason_which_is_recorded(
    enrolled: Callable[..., Enrolment],
    run_to_the_end: Callable[..., None],
    training_operator: User,
) -> None:
    from jembatan.core.models import ChangeRecord

    enrolment = enrolled()
    run_to_the_end(enrolment)
    batch = enrolment.batch
    Batch.objects.filter(pk=batch.pk).update(ends_on=timezone.localdate() + dt.timedelta(days=60))
    batch.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        batch_complete(batch=batch, acting_user=training_operator, early_reason="  ")
    assert list(refused.value.message_dict) == ["early_reason"]
    assert "To complete it earlier, give the reason" in refused.value.messages[0]
    batch.refresh_from_db()
    assert batch.status == BatchStatus.RUNNING
    reason = "All 40 hours were delivered in an intensive schedule."
    batch_complete(batch=batch, acting_user=training_operator, early_reason=reason)
    batch.refresh_from_db()
    assert (batch.status, batch.early_completion_reason) == (BatchStatus.COMPLETED, reason)
    record = ChangeRecord.objects.get(
        operation="training.batch_complete", content_type__model="batch", object_id=str(batch.pk)
    )
    assert (record.reason, record.actor_id) == (reason, training_operator.pk)
    certificate = Certificate.objects.get(enrolment=enrolment, kind=CertificateKind.TRAINING)
    assert certificate.content["to"] == timezone.localdate().isoformat()


def test_a_batch_where_nobody_would_be_certified_is_not_closed_without_confirmation(
    enrolled: Callable[..., Enrolment], training_operator: User
) -> None:
    enrolment = enrolled()
    with pytest.raises(ValidationError) as refused:
        batch_complete(batch=enrolment.batch, acting_user=training_operator)
    assert refused.value.message_dict["confirm"][0].startswith(
        "1 of 1 participants would end the batch without a certificate"
    )
    enrolment.batch.refresh_from_db()
    assert enrolment.batch.status == BatchStatus.RUNNING


def test_the_certificate_states_the_hours_actually_attended(
    enrolled: Callable[..., Enrolment], training_operator: User
) -> None:
    enrolment = enrolled()
    batch = enrolment.batch
    for day in range(1, 5):
        _session(batch, training_operator, {enrolment.pk: AttendanceMark.PRESENT}, day=day)
    _session(batch, training_operator, {enrolment.pk: AttendanceMark.ABSENT}, day=5)
    for unit in batch.programme.units.all():
        programmes.assessment_record(
            enrolment=enrolment,
            unit=unit,
            result=AssessmentResult.COMPETENT,
            assessor="Budi (MET.001)",
            assessed_on=timezone.localdate(),
            evidence="",
            acting_user=training_operator,
        )
    batch_complete(batch=batch, acting_user=training_operator)
    certificate = Certificate.objects.get(enrolment=enrolment, kind=CertificateKind.TRAINING)
    assert (certificate.content["hours_attended"], certificate.content["hours"]) == (32, 40)
