"""Import pages: upload, progress, result, report download, history, template; scoped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from jembatan.accounts.models import User
from jembatan.core.models import AccessLog, ImportJob
from jembatan.participants.models import Participant
from jembatan.participants.tests.test_import_helpers import (  # noqa: F401 - fixtures
    ID_HEADINGS,
    PNG_BYTES,
    as_lists,
    english,
    media,
    row,
    run_file,
    write_csv,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media", "english")]


def upload(tmp_path: Path, *rows: dict[str, Any], name: str = "peserta.csv") -> SimpleUploadedFile:
    path = write_csv(tmp_path / name, as_lists(rows), delimiter=";", bom=True)
    return SimpleUploadedFile(name, path.read_bytes(), content_type="text/csv")


def post_import(client, file: SimpleUploadedFile, **options: Any):
    authority = {} if options.get("dry_run") else {"authority": "signed_forms"}
    return client.post(reverse("imports:new"), {"file": file, **authority, **options})


def test_upload_runs_the_task_and_shows_the_result(
    tmp_path: Path, client_for, sender_operator: User, django_capture_on_commit_callbacks
) -> None:
    client = client_for(sender_operator)
    file = upload(tmp_path, row(1, sending_organisation_licence=""), row(2))

    with django_capture_on_commit_callbacks(execute=True):
        response = post_import(client, file)

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:detail", args=[job.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b'data-testid="import-outcome"><strong>All rows imported' in page.content
    assert b'hx-trigger="every 1s"' not in page.content
    assert Participant.objects.count() == 2
    assert job.created_by == sender_operator


def test_a_queued_job_polls_every_second(client_for, national_officer: User) -> None:
    job = ImportJob.objects.create(
        kind="participants",
        created_by=national_officer,
        created_by_label="oki",
        file_name="a.csv",
        sha256="0" * 64,
    )

    page = client_for(national_officer).get(reverse("imports:detail", args=[job.pk]))
    fragment = client_for(national_officer).get(
        reverse("imports:detail", args=[job.pk]), HTTP_HX_REQUEST="true"
    )

    assert b'hx-trigger="every 1s"' in page.content
    assert fragment.content.lstrip().startswith(b'<section id="import-status"')
    assert b"<html" not in fragment.content


def test_dry_run_and_skip_invalid_reach_the_job(
    tmp_path: Path, client_for, national_officer: User, lpk_a, django_capture_on_commit_callbacks
) -> None:
    file = upload(tmp_path, row(1), row(2, sex="X"))

    with django_capture_on_commit_callbacks(execute=True):
        post_import(client_for(national_officer), file, dry_run="on", skip_invalid="on")

    job = ImportJob.objects.get()
    assert (job.dry_run, job.skip_invalid, job.outcome) == (True, True, "checked")
    assert Participant.objects.count() == 0


def test_a_file_that_is_not_a_spreadsheet_is_refused_on_the_form(
    client_for, national_officer: User
) -> None:
    file = SimpleUploadedFile("peserta.xlsx", PNG_BYTES)

    response = post_import(client_for(national_officer), file)

    assert response.status_code == 200
    assert "This is not a spreadsheet: its content is a PNG image" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_an_operator_is_not_offered_another_organisations_licence(
    client_for, sender_operator: User
) -> None:
    response = client_for(sender_operator).get(reverse("imports:new"))

    assert response.status_code == 200
    assert b'name="default_licence"' not in response.content


def test_the_report_downloads_as_xlsx_and_csv_and_is_logged(
    tmp_path: Path, client_for, sender_operator: User
) -> None:
    job = run_file(write_csv(tmp_path / "p.csv", as_lists([row(1, sex="X")])), user=sender_operator)
    client = client_for(sender_operator)

    xlsx = client.get(reverse("imports:report", args=[job.pk]))
    csv_response = client.get(reverse("imports:report", args=[job.pk]) + "?format=csv")

    assert xlsx.status_code == 200
    assert xlsx["Content-Disposition"] == f'attachment; filename="import-{job.pk}-report.xlsx"'
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    assert "“X” is not a sex" in body
    assert AccessLog.objects.filter(purpose="participants.import_report").count() == 2


def test_another_organisations_operator_gets_404_everywhere(
    tmp_path: Path, client_for, sender_operator: User, other_sender_operator: User
) -> None:
    job = run_file(write_csv(tmp_path / "p.csv", as_lists([row(1)])), user=sender_operator)
    client = client_for(other_sender_operator)

    assert client.get(reverse("imports:detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("imports:report", args=[job.pk])).status_code == 404
    history = client.get(reverse("imports:list"))
    assert b"p.csv" not in history.content


def test_history_is_scoped_by_who_asks(
    tmp_path: Path,
    client_for,
    sender_operator: User,
    national_officer: User,
    provincial_officer: User,
) -> None:
    run_file(write_csv(tmp_path / "mine.csv", as_lists([row(1)])), user=sender_operator)

    for user, sees in (
        (sender_operator, True),
        (national_officer, True),
        (provincial_officer, False),
    ):
        response = client_for(user).get(reverse("imports:list"))
        assert response.status_code == 200
        assert (b"mine.csv" in response.content) is sees, user.username


@pytest.mark.parametrize(("language", "first"), [("id", "NIK"), ("en", "NIK")])
def test_the_template_downloads_in_both_languages(
    client_for, national_officer: User, language: str, first: str
) -> None:
    response = client_for(national_officer).get(reverse("imports:template") + f"?lang={language}")

    from io import BytesIO

    workbook = load_workbook(BytesIO(response.content))
    data_sheet, help_sheet = workbook.worksheets
    headings = [c.value for c in data_sheet[1]]
    assert headings[0] == first
    if language == "id":
        assert (data_sheet.title, help_sheet.title) == ("Peserta", "Petunjuk")
        assert headings == [*ID_HEADINGS[:4], "Tanggal Lahir (dd/mm/yyyy)", *ID_HEADINGS[5:]]
    else:
        assert (data_sheet.title, help_sheet.title) == ("Participants", "Instructions")
        assert headings[1] == "Full name"
    assert data_sheet["A2"].number_format == "@"


def test_the_template_itself_imports_cleanly_once_filled(
    tmp_path: Path, client_for, national_officer: User, lpk_a
) -> None:
    response = client_for(national_officer).get(reverse("imports:template") + "?lang=id")
    from io import BytesIO

    workbook = load_workbook(BytesIO(response.content))
    sheet = workbook["Peserta"]
    values = row(1)
    sheet.append([values[k] for k in values])
    path = tmp_path / "filled.xlsx"
    workbook.save(path)

    job = run_file(path)

    assert (job.sheet_name, job.outcome, job.rows_created) == ("Peserta", "written", 1)


def test_an_import_that_created_nothing_does_not_say_done(
    tmp_path: Path, client_for, sender_operator: User, django_capture_on_commit_callbacks
) -> None:
    """Every row refused and skipped: the page and the history say nothing was imported."""
    client = client_for(sender_operator)
    file = upload(tmp_path, row(1, nik="123"), row(2, nik="456"))
    with django_capture_on_commit_callbacks(execute=True):
        response = post_import(client, file, skip_invalid="on")
    job = ImportJob.objects.get()
    assert (job.status, job.rows_created) == ("done", 0)
    page = client.get(response["Location"]).content.decode()
    state = page.split('data-testid="import-state">')[1].split("<")[0]
    assert state == "Nothing imported: 2 rows refused, 0 already registered, of 2"
    assert 'class="status tone-warning" data-testid="import-state"' in page
    history = client.get(reverse("imports:list")).content.decode()
    assert f'data-testid="import-result-{job.pk}">Nothing imported' in history
    assert ">Done<" not in history
