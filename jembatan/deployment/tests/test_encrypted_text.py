"""Health and difficulty text is encrypted at rest (ADR 0015): the monitoring report's note,
the pre-departure step's note (the medical findings) and the reason of a move abroad."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import FieldError
from django.db import connection

from jembatan.accounts.models import User
from jembatan.core.encryption import current_key_id, stored_key_id
from jembatan.core.models import ChangeRecord
from jembatan.deployment.factories import abroad
from jembatan.deployment.models import (
    Deployment,
    DeploymentEvent,
    MonitoringReport,
    PreDepartureStep,
    StepKind,
    Wellbeing,
)
from jembatan.deployment.services.monitoring import ReportAnswers, report_submit
from jembatan.deployment.services.stay import deployment_move
from jembatan.deployment.workflows import DeploymentAction

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
MIGRATION = importlib.import_module("jembatan.deployment.migrations.0003_encrypted_health_text")


def stored(model: type, pk: int, column: str) -> str:
    """The value as the database holds it, read past the ORM."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


def write_plain(model: type, pk: int, column: str, value: str) -> None:
    """A value as a release before encryption wrote it."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {model._meta.db_table} SET {column} = %s WHERE id = %s", [value, pk]
        )


@pytest.fixture
def arrived(ready: Deployment) -> Deployment:
    return abroad(
        ready,
        departed_on=TODAY - dt.timedelta(days=41),
        arrived_on=TODAY - dt.timedelta(days=40),
    )


def test_a_reports_note_is_stored_encrypted_read_plain_and_audited_as_a_fingerprint(
    arrived: Deployment, sender_operator: User
) -> None:
    answers = ReportAnswers(wellbeing=Wellbeing.CONCERNS, note="Demam tinggi, dirawat di RS.")

    report = report_submit(
        deployment=arrived, kind="sender", answers=answers, acting_user=sender_operator
    )

    raw = stored(MonitoringReport, report.pk, "note")
    assert "Demam" not in raw and stored_key_id(raw) == current_key_id()
    assert MonitoringReport.objects.get(pk=report.pk).note == "Demam tinggi, dirawat di RS."
    change = ChangeRecord.objects.get(operation="deployment.report_submit")
    assert "Demam" not in str(change.changes)
    assert change.changes["note"]["after"].startswith("[encrypted ")


def test_the_reason_of_a_difficulty_is_encrypted_in_the_event_and_not_in_the_trail(
    arrived: Deployment, sender_operator: User
) -> None:
    deployment_move(
        deployment=arrived,
        action=DeploymentAction.REPORT_DIFFICULTY,
        on=TODAY,
        reason="Cedera tangan di pabrik; dirawat.",
        acting_user=sender_operator,
    )

    event = DeploymentEvent.objects.get(deployment=arrived, action="report_difficulty")
    assert event.reason == "Cedera tangan di pabrik; dirawat."
    assert "Cedera" not in stored(DeploymentEvent, event.pk, "reason")
    change = ChangeRecord.objects.get(operation="deployment.deployment_transition")
    assert "Cedera" not in change.reason and change.reason.startswith("[encrypted ")


def test_the_medical_steps_note_is_stored_encrypted(ready: Deployment) -> None:
    step = PreDepartureStep.objects.get(deployment=ready, kind=StepKind.MEDICAL)
    PreDepartureStep.objects.filter(pk=step.pk).update(note="Hepatitis B negatif")

    assert "Hepatitis" not in stored(PreDepartureStep, step.pk, "note")
    assert PreDepartureStep.objects.get(pk=step.pk).note == "Hepatitis B negatif"


def test_an_encrypted_text_cannot_be_searched_by_its_value() -> None:
    with pytest.raises(FieldError):
        list(MonitoringReport.objects.filter(note__icontains="demam"))
    with pytest.raises(FieldError):
        list(MonitoringReport.objects.filter(note="demam"))


def test_the_migration_encrypts_text_written_before_and_its_way_back_decrypts_it(
    ready: Deployment,
) -> None:
    step = PreDepartureStep.objects.get(deployment=ready, kind=StepKind.MEDICAL)
    visa = PreDepartureStep.objects.get(deployment=ready, kind=StepKind.VISA)
    write_plain(PreDepartureStep, step.pk, "note", "Buta warna parsial")

    MIGRATION.encrypt_existing(apps, None)

    raw = stored(PreDepartureStep, step.pk, "note")
    assert "Buta" not in raw and stored_key_id(raw) == current_key_id()
    assert stored(PreDepartureStep, visa.pk, "note") == ""  # the empty note stays empty
    assert PreDepartureStep.objects.get(pk=step.pk).note == "Buta warna parsial"

    MIGRATION.encrypt_existing(apps, None)  # a second run changes nothing it can read
    assert PreDepartureStep.objects.get(pk=step.pk).note == "Buta warna parsial"

    MIGRATION.decrypt_existing(apps, None)
    assert stored(PreDepartureStep, step.pk, "note") == "Buta warna parsial"
