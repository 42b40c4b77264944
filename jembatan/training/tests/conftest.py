"""Fixtures for the training tests: a BLK's programmes and batches, eligible participants.

Uses the shared cast of the project's conftest.py (tono runs BLK Semarang,
sari runs LPK A, putri is Jawa Tengah's officer).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone, translation

from jembatan.accounts.models import User
from jembatan.organisations.models import Organisation
from jembatan.participants.factories import ParticipantFactory
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.training.factories import BatchFactory, CompetencyUnitFactory, ProgrammeFactory
from jembatan.training.models import (
    AssessmentResult,
    AttendanceMark,
    Batch,
    CompetencyUnit,
    Enrolment,
    LanguageTest,
    Route,
)
from jembatan.training.services import programmes


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted in English, the source language."""
    with translation.override("en"):
        yield


@pytest.fixture
def audit_rows_cleared_after(transactional_db: None) -> Iterator[None]:
    """Empty the append-only audit tables (triggers lifted) so the test's flush can run.

    A transactional test ends with a flush, which the audit tables' triggers
    refuse on SQLite; documents' browser test lifts them the same way.
    """
    yield
    from jembatan.core.models import AccessLog, ChangeRecord
    from jembatan.core.tests.browser import audit_triggers_lifted

    with audit_triggers_lifted(), connection.cursor() as cursor:
        for model in (ChangeRecord, AccessLog):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")


@pytest.fixture
def units(db: None) -> list[CompetencyUnit]:
    return [
        CompetencyUnitFactory(
            code="C.812000.001.01",
            title_id="Menerapkan K3",
            title_en="Apply OHS",
            title_ja="安全衛生",
        ),
        CompetencyUnitFactory(
            code="C.812000.002.01",
            title_id="Mengoperasikan mesin",
            title_en="Operate machines",
            title_ja="機械操作",
        ),
    ]


@pytest.fixture
def lpk_batch(blk: Organisation, units: list[CompetencyUnit]) -> Batch:
    """A running LPK-route batch at BLK Semarang: 3 places, 40 hours, no language test.

    It started a month ago and ends today, so completing it is not early.
    """
    programme = ProgrammeFactory(
        organisation=blk,
        name="Pengelasan Dasar",
        units=units,
        capacity=3,
        route=Route.LPK,
        total_hours=40,
        language_hours=8,
    )
    return BatchFactory(
        programme=programme, code="LAS-2026-01", capacity=3, ends_on=timezone.localdate()
    )


@pytest.fixture
def im_batch(blk: Organisation, units: list[CompetencyUnit]) -> Batch:
    """A running IM Japan-route batch at BLK Semarang needing JLPT N4, with two phases."""
    programme = ProgrammeFactory(
        organisation=blk,
        name="Magang Jepang IM",
        units=units,
        capacity=5,
        route=Route.IM_JAPAN,
        language_test=LanguageTest.JLPT,
        jlpt_level="N4",
        japanese_on_certificate=True,
        total_hours=40,
        language_hours=16,
    )
    programme.phases.create(order=1, name="Regional phase", hours=20, location="BLK Semarang")
    programme.phases.create(order=2, name="Central phase", hours=20, location="BBPVP Bekasi")
    return BatchFactory(
        programme=programme, code="IM-2026-01", capacity=5, ends_on=timezone.localdate()
    )


@pytest.fixture
def make_participant(lpk_a: Organisation, blk: Organisation) -> Callable[..., Participant]:
    """A participant of LPK A at ``status``, already assigned to BLK Semarang by default."""

    def make(status: str = JourneyStatus.VERIFIED, **extra: Any) -> Participant:
        values: dict[str, Any] = {
            "status": status,
            "sending_organisation": lpk_a,
            "training_centre": blk,
        }
        values.update(extra)
        return ParticipantFactory(**values)

    return make


@pytest.fixture
def run_to_the_end(training_operator: User) -> Callable[..., None]:
    """Attend the programme's hours, be competent in every unit, pass the language test if any.

    Four past sessions of 10 hours, every enrolled participant present: the
    fixtures' 40-hour programmes in full.
    """

    def run(enrolment: Enrolment, *, competent: bool = True, language_pass: bool = True) -> None:
        batch = enrolment.batch
        today = timezone.localdate()
        for days_ago in range(1, 5):
            programmes.session_record(
                batch=batch,
                date=today - dt.timedelta(days=days_ago),
                topic=f"Practice {enrolment.pk}",
                hours=10,
                phase=None,
                marks={
                    e.pk: AttendanceMark.PRESENT for e in batch.enrolments.filter(status="enrolled")
                },
                acting_user=training_operator,
            )
        for unit in batch.programme.units.all():
            programmes.assessment_record(
                enrolment=enrolment,
                unit=unit,
                result=AssessmentResult.COMPETENT
                if competent
                else AssessmentResult.NOT_YET_COMPETENT,
                assessor="Budi Asesor (MET.000.001)",
                assessed_on=today,
                evidence="Observation and portfolio.",
                acting_user=training_operator,
            )
        if batch.programme.language_test == LanguageTest.JLPT:
            scores = (60, 40) if language_pass else (30, 20)
            programmes.language_result_record(
                enrolment=enrolment,
                sheet=programmes.ScoreSheet(
                    test=LanguageTest.JLPT,
                    level="N4",
                    sections=scores,
                    tested_on=today - dt.timedelta(days=1),
                ),
                acting_user=training_operator,
            )

    return run
