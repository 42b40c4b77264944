"""What an import writes: all or nothing, skip-invalid, dry run, twice, audit and report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError
from openpyxl import load_workbook

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord, ImportJob
from jembatan.organisations.models import Organisation
from jembatan.participants.models import DuplicateFlag, Participant, ParticipantStatusChange
from jembatan.participants.services import importing
from jembatan.participants.tests.test_import_helpers import (  # noqa: F401 - fixtures
    PNG_BYTES,
    as_lists,
    english,
    media,
    problems,
    report_lines,
    row,
    run_file,
    write_csv,
    write_xlsx,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media", "english", "lpk_a")]


def csv_of(tmp_path: Path, *rows: dict[str, Any], name: str = "p.csv") -> Path:
    return write_csv(tmp_path / name, as_lists(rows))


# --- all or nothing -------------------------------------------------------------------


def test_one_bad_row_means_nothing_is_written(tmp_path: Path) -> None:
    job = run_file(csv_of(tmp_path, row(1), row(2, sex="X"), row(3)))

    assert (job.status, job.outcome) == ("done", "refused")
    assert (job.rows_total, job.rows_valid, job.rows_invalid, job.rows_created) == (3, 2, 1, 0)
    assert Participant.objects.count() == 0
    assert ChangeRecord.objects.filter(operation="participants.import").count() == 0


def test_skip_invalid_writes_only_the_good_rows(tmp_path: Path) -> None:
    job = run_file(csv_of(tmp_path, row(1), row(2, sex="X"), row(3)), skip_invalid=True)

    assert (job.outcome, job.rows_created) == ("partial", 2)
    assert sorted(Participant.objects.values_list("full_name", flat=True)) == [
        "Peserta Impor 1",
        "Peserta Impor 3",
    ]
    assert problems(job, severity="error") == [
        ("3", "C3", "“X” is not a sex; write L (laki-laki) or P (perempuan).")
    ]


def test_dry_run_writes_nothing_even_when_every_row_is_valid(tmp_path: Path) -> None:
    job = run_file(csv_of(tmp_path, row(1), row(2)), dry_run=True)

    assert (job.outcome, job.rows_valid, job.rows_created) == ("checked", 2, 0)
    assert Participant.objects.count() == 0
    assert ChangeRecord.objects.filter(operation="participants.import").count() == 0


def test_a_valid_file_is_written_with_history_and_one_audit_record(tmp_path: Path) -> None:
    job = run_file(csv_of(tmp_path, row(1), row(2)))

    assert (job.outcome, job.rows_created) == ("written", 2)
    steps = ParticipantStatusChange.objects.order_by("participant__nik")
    assert [(s.from_status, s.to_status, s.by_label) for s in steps] == [
        ("", "registered", "cli"),
        ("", "registered", "cli"),
    ]
    record = ChangeRecord.objects.get(operation="participants.import")
    assert (record.action, record.object_id, record.actor_label) == ("bulk", str(job.pk), "cli")
    assert record.changes == {
        "file": "p.csv",
        "sha256": job.sha256,
        "rows": 2,
        "created": 2,
        "already_registered": 0,
        "invalid_skipped": 0,
        "skip_invalid": False,
    }


def test_importing_the_same_file_twice_creates_no_duplicates(tmp_path: Path) -> None:
    path = csv_of(tmp_path, row(1), row(2))
    run_file(path)

    again = run_file(path)

    assert (again.outcome, again.rows_created, again.rows_existing) == ("written", 0, 2)
    assert again.error_count == 0
    assert Participant.objects.count() == 2
    assert problems(again, severity="note") == [
        ("2", "A2", "Already registered with the same data; nothing changed."),
        ("3", "A3", "Already registered with the same data; nothing changed."),
    ]


def test_a_file_with_new_and_known_rows_adds_only_the_new(tmp_path: Path) -> None:
    run_file(csv_of(tmp_path, row(1), name="first.csv"))

    job = run_file(csv_of(tmp_path, row(1), row(2)))

    assert (job.rows_created, job.rows_existing) == (1, 1)
    assert Participant.objects.count() == 2


def test_a_nik_taken_while_the_file_was_checked_writes_nothing(tmp_path: Path, monkeypatch) -> None:
    def taken(*args: object, **kwargs: object) -> None:
        raise IntegrityError("UNIQUE constraint failed: participants_participant.nik")

    monkeypatch.setattr(importing, "bulk_insert", taken)

    job = run_file(csv_of(tmp_path, row(1)))

    assert (job.status, job.outcome, job.rows_created) == ("failed", "refused", 0)
    assert job.error_message.startswith("While this file was being checked, another import")
    assert Participant.objects.count() == 0


# --- files ---------------------------------------------------------------------------------


def test_the_upload_is_stored_under_a_random_name(tmp_path: Path) -> None:
    path = csv_of(tmp_path, row(1))
    job = importing.import_create(
        acting_user=None,
        chunks=importing.file_chunks(path),
        file_name="../../etc/passwd.csv",
        authority="signed_forms",
        run_now=True,
    )

    folder, name = job.file_path.rsplit("/", 1)
    assert folder == "imports/uploads"
    assert name != "passwd.csv"
    with default_storage.open(job.file_path, "rb") as stored:
        assert stored.read() == path.read_bytes()
    assert job.file_name == "passwd.csv"
    assert len(job.sha256) == 64


def test_a_file_that_is_not_a_spreadsheet_is_refused_before_a_job_exists(
    tmp_path: Path, settings
) -> None:
    path = tmp_path / "peserta.xlsx"
    path.write_bytes(PNG_BYTES)

    with pytest.raises(ValidationError) as caught:
        run_file(path)

    assert "This is not a spreadsheet: its content is a PNG image" in caught.value.messages[0]
    assert ImportJob.objects.count() == 0
    assert not (settings.MEDIA_ROOT / "imports").exists()  # nothing reached the storage


def test_a_file_over_the_size_limit_is_refused_while_uploading(tmp_path: Path, settings) -> None:
    settings.JEMBATAN_SPREADSHEET_MAX_BYTES = 100

    with pytest.raises(ValidationError) as caught:
        run_file(csv_of(tmp_path, row(1), row(2)))

    assert "the limit is 100 bytes" in caught.value.messages[0]
    assert ImportJob.objects.count() == 0


def test_an_unreadable_file_fails_the_job_with_a_report(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "p.xlsx", [])

    job = run_file(path)

    assert (job.status, job.outcome) == ("failed", "unreadable")
    assert job.error_message.startswith("The sheet “Peserta” is empty.")
    assert report_lines(job)[0][5] == job.error_message


# --- the report --------------------------------------------------------------------------------


def test_the_report_lists_row_cell_column_value_problem_and_fix(tmp_path: Path) -> None:
    job = run_file(csv_of(tmp_path, row(1, email="bukan email")))

    assert report_lines(job) == [
        [
            "2",
            "G2",
            "email",
            "bukan email",
            "error",
            "“bukan email” is not an e-mail address.",
            "Write an address like nama@contoh.id, or leave the cell empty.",
        ]
    ]


def test_the_report_escapes_values_that_look_like_formulas(tmp_path: Path) -> None:
    job = run_file(csv_of(tmp_path, row(1, full_name='=HYPERLINK("http://x","klik")')))

    assert report_lines(job)[0][3] == '\'=HYPERLINK("http://x","klik")'
    sheet = report_workbook(job)["Problems"]
    assert sheet["D2"].value == '\'=HYPERLINK("http://x","klik")'
    assert sheet["D2"].data_type == "s"


def test_the_xlsx_report_has_a_summary(tmp_path: Path) -> None:
    job = run_file(csv_of(tmp_path, row(1)))

    summary = report_workbook(job)["Summary"]
    facts = {r[0]: r[1] for r in summary.iter_rows(min_row=2, values_only=True)}
    assert facts["File"] == "p.csv"
    assert facts["Records created"] == 1
    assert facts["Outcome"] == "All rows imported"


# --- who may import what -------------------------------------------------------------------------


def test_an_operator_imports_only_for_their_own_organisation(
    tmp_path: Path, sender_operator: User, lpk_b: Organisation
) -> None:
    rows = [
        row(1, sending_organisation_licence=""),
        row(2, sending_organisation_licence="KEP.102/LN/2024"),
    ]

    job = run_file(csv_of(tmp_path, *rows), user=sender_operator, skip_invalid=True)

    assert job.rows_created == 1
    assert Participant.objects.get().sending_organisation == sender_operator.organisation
    assert problems(job, severity="error") == [
        (
            "3",
            "K3",
            "Licence KEP.102/LN/2024 belongs to another organisation; you may import only "
            "participants of your own organisation.",
        )
    ]
    assert job.organisation == sender_operator.organisation


def test_a_provincial_officer_imports_only_their_province(
    tmp_path: Path, other_provincial_officer: User
) -> None:
    job = run_file(csv_of(tmp_path, row(1)), user=other_provincial_officer)

    assert job.outcome == "refused"
    assert problems(job, severity="error")[0][2].startswith(
        "Regency/city 33.74 is outside your province"
    )


def test_roles_that_may_not_import_are_refused(tmp_path: Path, partner_user: User) -> None:
    with pytest.raises(PermissionDenied):
        run_file(csv_of(tmp_path, row(1)), user=partner_user)
    assert ImportJob.objects.count() == 0


def test_a_job_that_already_ran_is_not_run_again(tmp_path: Path) -> None:
    job = run_file(csv_of(tmp_path, row(1)))

    again = importing.run_job(job.pk)

    assert again.rows_created == 1
    assert Participant.objects.count() == 1


# --- probable duplicates ----------------------------------------------------------------


def test_an_imported_row_like_a_registered_person_under_another_nik_is_flagged(
    tmp_path: Path,
) -> None:
    run_file(csv_of(tmp_path, row(1, full_name="Siti Rahayu"), name="first.csv"))
    job = run_file(csv_of(tmp_path, row(2, full_name="SITI  RAHAYU."), name="second.csv"))

    assert job.rows_created == 1
    flag = DuplicateFlag.objects.get()
    assert {flag.participant.nik, flag.candidate.nik} == {row(1)["nik"], row(2)["nik"]}
    assert flag.status == "open"


def test_two_rows_of_one_file_naming_the_same_person_are_flagged_once(tmp_path: Path) -> None:
    run_file(csv_of(tmp_path, row(1, full_name="Budi"), row(2, full_name="budi"), row(3)))

    assert DuplicateFlag.objects.count() == 1


def test_a_common_name_gives_one_flag_per_new_record_not_one_per_pair(tmp_path: Path) -> None:
    rows = [row(n, full_name="Muhammad Rizki") for n in range(1, 5)]
    run_file(csv_of(tmp_path, *rows))

    assert DuplicateFlag.objects.count() == 3


def report_workbook(job: ImportJob) -> Any:
    """The xlsx report of ``job``, read back through the storage."""
    return load_workbook(default_storage.open(importing.report_file(job, "xlsx"), "rb"))
