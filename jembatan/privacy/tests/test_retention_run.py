"""The retention run: what passed its time is anonymised or deleted, the rest left alone."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from jembatan.accounts.factories import UserFactory
from jembatan.core.models import ChangeRecord, ImportJob
from jembatan.core.roles import Role
from jembatan.core.transitions import SYSTEM_ACTOR
from jembatan.documents.models import Document, DocumentRequirement
from jembatan.documents.services import document_upload
from jembatan.documents.tests.conftest import make_pdf
from jembatan.organisations.models import Organisation
from jembatan.participants.factories import ParticipantFactory
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.privacy.models import RetentionErasure, RetentionRun
from jembatan.privacy.retention import is_anonymised
from jembatan.privacy.schedule import period, schedule
from jembatan.privacy.services.retention_run import retention_plan, retention_run

pytestmark = pytest.mark.django_db

NOW = timezone.now()
LONG_AGO = NOW - dt.timedelta(days=3 * 365 + 30)
LAST_MONTH = NOW - dt.timedelta(days=30)


def _person(status: str, since: dt.datetime, **fields: Any) -> Participant:
    person = ParticipantFactory(**fields)
    Participant.objects.filter(pk=person.pk).update(status=status, status_changed_at=since)
    person.refresh_from_db()
    return person


@pytest.fixture
def people(lpk_a: Organisation) -> dict[str, Participant]:
    """One person past their time for each rule, and people whose time has not come."""
    return {
        "withdrawn_long_ago": _person(JourneyStatus.WITHDRAWN, LONG_AGO, full_name="Ani Lama"),
        "rejected_long_ago": _person(JourneyStatus.REJECTED, LONG_AGO),
        "registered_long_ago": _person(JourneyStatus.REGISTERED, LONG_AGO),
        "withdrawn_last_month": _person(JourneyStatus.WITHDRAWN, LAST_MONTH, full_name="Budi Baru"),
        "registered_last_month": _person(JourneyStatus.REGISTERED, LAST_MONTH),
        "departed_long_ago": _person(JourneyStatus.DEPARTED, LONG_AGO, full_name="Citra Pergi"),
    }


def _values(person: Participant) -> dict[str, Any]:
    return Participant.objects.filter(pk=person.pk).values().get()


def test_every_row_of_the_schedule_has_a_basis_and_an_end() -> None:
    rows = schedule()
    assert {"reference_data", "access_logs", "change_records", "protection_cases"} <= set(rows)
    assert all(row.basis and row.note_en and row.note_id for row in rows.values())
    timed = {key for key, row in rows.items() if row.months is not None and row.applied_by_run}
    assert timed == {
        "participant_withdrawn",
        "participant_rejected",
        "participant_never_departed",
        "sensitive_documents",
        "import_files",
        "protection_cases",
    }


def test_a_record_past_its_time_is_anonymised_and_the_rest_left_untouched(
    people: dict[str, Participant],
) -> None:
    untouched = ("withdrawn_last_month", "registered_last_month", "departed_long_ago")
    before = {key: _values(people[key]) for key in untouched}

    run = retention_run(now=NOW)

    for key in ("withdrawn_long_ago", "rejected_long_ago", "registered_long_ago"):
        person = Participant.objects.get(pk=people[key].pk)
        assert person.full_name == f"Anonim #{person.pk}"
        assert is_anonymised(person)
    assert Participant.objects.get(pk=people["registered_long_ago"].pk).status == (
        JourneyStatus.WITHDRAWN
    )
    assert {key: _values(people[key]) for key in untouched} == before
    assert run.counts == {
        "participant_withdrawn": 1,
        "participant_rejected": 1,
        "participant_never_departed": 1,
        "sensitive_documents": 0,
        "import_files": 0,
        "protection_cases": 0,
    }
    assert run.failures == [] and run.finished_at is not None and not run.dry_run
    assert RetentionErasure.objects.get(participant=people["rejected_long_ago"]).rule == (
        "participant_rejected"
    )
    anonymised = ChangeRecord.objects.filter(
        operation="privacy.participant_anonymise", object_id=str(people["withdrawn_long_ago"].pk)
    ).get()
    assert anonymised.actor_label == SYSTEM_ACTOR
    assert anonymised.changes["full_name"] == {"before": "•••", "after": anonymised.object_repr}


def test_a_second_run_finds_nothing_to_do(people: dict[str, Participant]) -> None:
    retention_run(now=NOW)

    second = retention_run(now=NOW)

    assert set(second.counts.values()) == {0}


def test_the_dry_run_reports_what_would_be_done_and_writes_nothing(
    people: dict[str, Participant],
) -> None:
    participants = list(Participant.objects.order_by("pk").values())
    changes = ChangeRecord.objects.count()

    plan = retention_plan(now=NOW)

    assert plan.counts["participant_withdrawn"] == 1
    assert plan.examples["participant_withdrawn"] == [people["withdrawn_long_ago"].pk]
    assert plan.examples["participant_never_departed"] == [people["registered_long_ago"].pk]
    assert plan.total == 3
    assert list(Participant.objects.order_by("pk").values()) == participants
    assert ChangeRecord.objects.count() == changes
    assert not RetentionRun.objects.exists()


def test_the_command_dry_run_prints_the_plan_and_writes_nothing(
    people: dict[str, Participant],
) -> None:
    out = StringIO()

    call_command("privacy", "retention", "--dry-run", stdout=out)

    assert '"participant_withdrawn": 1' in out.getvalue()
    assert not RetentionRun.objects.exists()
    assert Participant.objects.get(pk=people["withdrawn_long_ago"].pk).full_name == "Ani Lama"


def test_the_runs_batches_reach_every_record(lpk_a: Organisation) -> None:
    due = [_person(JourneyStatus.REJECTED, LONG_AGO) for _ in range(5)]

    run = retention_run(now=NOW, batch_size=2)

    assert run.counts["participant_rejected"] == 5
    assert all(is_anonymised(p) for p in due)


def test_a_sensitive_document_goes_after_its_shorter_time_with_its_file(
    lpk_a: Organisation, private_media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    left = NOW - dt.timedelta(days=(period("sensitive_documents").months or 0) * 31)
    user = UserFactory(role=Role.PARTICIPANT)
    person = _person(JourneyStatus.REGISTERED, NOW, user=user, sending_organisation=lpk_a)
    medical = DocumentRequirement.objects.get(route="lpk", kind="medical", valid_to__isnull=True)
    id_card = DocumentRequirement.objects.get(route="lpk", kind="id_card", valid_to__isnull=True)
    upload = {"participant": person, "acting_user": user, "original_name": "a.pdf"}
    sensitive = document_upload(requirement=medical, chunks=[make_pdf("m")], **upload)
    ordinary = document_upload(requirement=id_card, chunks=[make_pdf("k")], **upload)
    Participant.objects.filter(pk=person.pk).update(
        status=JourneyStatus.WITHDRAWN, status_changed_at=left
    )
    path = Path(sensitive.file.path)

    with django_capture_on_commit_callbacks(execute=True):
        run = retention_run(now=NOW)

    assert run.counts["sensitive_documents"] == 1
    assert not Document.objects.filter(pk=sensitive.pk).exists() and not path.exists()
    assert Document.objects.filter(pk=ordinary.pk).exists()
    assert not is_anonymised(person)


def test_an_import_file_goes_after_its_time_and_the_job_stays(
    private_media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    private_media.mkdir(parents=True, exist_ok=True)
    (private_media / "old.xlsx").write_bytes(b"rows")
    (private_media / "new.xlsx").write_bytes(b"rows")
    old = ImportJob.objects.create(
        kind="participants",
        created_by_label="cli",
        file_name="old.xlsx",
        file_path="old.xlsx",
        sha256="0" * 64,
        finished_at=LONG_AGO,
    )
    new = ImportJob.objects.create(
        kind="participants",
        created_by_label="cli",
        file_name="new.xlsx",
        file_path="new.xlsx",
        sha256="0" * 64,
        finished_at=LAST_MONTH,
    )

    with django_capture_on_commit_callbacks(execute=True):
        run = retention_run(now=NOW)

    old.refresh_from_db()
    assert run.counts["import_files"] == 1
    assert (old.file_path, old.file_name) == ("", "old.xlsx")
    assert not (private_media / "old.xlsx").exists()
    assert (private_media / "new.xlsx").exists()
    assert ImportJob.objects.get(pk=new.pk).file_path == "new.xlsx"


def test_the_national_administrator_queues_a_dry_run_and_reads_its_report(
    people: dict[str, Participant],
    client_for: Any,
    national_admin: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(national_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("personal_data:retention_dry_run"))

    assert response.status_code == 302
    run = RetentionRun.objects.get()
    assert run.dry_run and run.started_by == national_admin.username
    assert run.counts["participant_rejected"] == 1
    assert Participant.objects.get(pk=people["withdrawn_long_ago"].pk).full_name == "Ani Lama"
    page = client.get(reverse("personal_data:retention_runs")).content.decode()
    assert 'data-testid="dry-run-report"' in page
    assert str(people["registered_long_ago"].pk) in page


def test_the_schedule_is_on_its_own_page_and_on_the_record_of_processing(
    client_for: Any, provincial_officer: Any
) -> None:
    own = client_for(provincial_officer).get(reverse("personal_data:retention"))
    public = client_for(None).get(reverse("personal_data:processing") + "?bahasa=en")

    assert own.status_code == 200 and public.status_code == 200
    for page in (own.content.decode(), public.content.decode()):
        assert 'data-testid="retention-schedule"' in page
        assert "UU 43/2009" in page


def test_only_the_national_administrator_may_queue_a_dry_run(
    client_for: Any, national_officer: Any
) -> None:
    response = client_for(national_officer).post(reverse("personal_data:retention_dry_run"))

    assert response.status_code == 403
    assert not RetentionRun.objects.exists()


def test_the_schedule_is_recorded_as_reference_data_with_the_files_checksum() -> None:
    from jembatan.core.models import ReferenceDataset
    from jembatan.core.services.refdata import reference_data_load
    from jembatan.privacy.schedule import schedule_checksum, schedule_version

    counts = reference_data_load(acting_user=None)

    dataset = ReferenceDataset.objects.get(code="retention-schedule")
    assert (dataset.kind, dataset.version) == ("retention", schedule_version())
    assert dataset.checksum == schedule_checksum()
    assert counts["retention schedule"] == len(schedule())
