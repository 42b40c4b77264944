"""``jembatan import participants FILE``: exit codes, options and the report."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from jembatan.participants.models import Participant
from jembatan.participants.tests.test_import_helpers import (  # noqa: F401 - fixtures
    PNG_BYTES,
    as_lists,
    english,
    media,
    row,
    write_csv,
    write_xlsx,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media", "english", "lpk_a")]


def run(*args: str) -> tuple[int, str]:
    """Run the command; return its exit code and what it printed."""
    out = StringIO()
    try:
        authority = [] if "--dry-run" in args else ["--authority", "signed_forms"]
        call_command("import", "participants", *args, *authority, stdout=out, stderr=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_a_valid_file_exits_0_and_says_what_it_did(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "p.xlsx", as_lists([row(1), row(2)]))

    code, output = run(str(path))

    assert code == 0
    assert output.startswith("All rows imported (p.xlsx, sheet Peserta)")
    assert "rows 2, valid 2, invalid 0, already registered 0, created 2" in output
    assert Participant.objects.count() == 2


def test_one_invalid_row_exits_1_and_writes_nothing_but_the_report(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", as_lists([row(1), row(2, sex="X")]))
    report = tmp_path / "laporan.csv"

    code, _output = run(str(path), "--report", str(report))

    assert code == 1
    assert Participant.objects.count() == 0
    with report.open(encoding="utf-8-sig") as handle:
        lines = list(csv.reader(handle))
    assert lines[0] == ["Row", "Cell", "Column", "Value", "Severity", "Problem", "How to fix"]
    assert lines[1][:2] == ["3", "C3"]


def test_skip_invalid_exits_0_after_writing_the_valid_rows(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", as_lists([row(1), row(2, sex="X")]))

    code, _output = run(str(path), "--skip-invalid")

    assert code == 0
    assert Participant.objects.count() == 1


def test_dry_run_writes_nothing_and_exits_by_the_rows(tmp_path: Path) -> None:
    good = write_csv(tmp_path / "good.csv", as_lists([row(1)]))
    bad = write_csv(tmp_path / "bad.csv", as_lists([row(1, sex="X")]))

    assert run(str(good), "--dry-run")[0] == 0
    assert run(str(bad), "--dry-run")[0] == 1
    assert Participant.objects.count() == 0


def test_the_second_import_of_the_same_file_exits_0_and_adds_nothing(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", as_lists([row(1)]))
    run(str(path))

    code, output = run(str(path))

    assert code == 0
    assert "already registered 1, created 0" in output
    assert Participant.objects.count() == 1


def test_an_unreadable_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "p.xlsx"
    path.write_bytes(PNG_BYTES)

    with pytest.raises(CommandError) as caught:
        call_command("import", "participants", str(path), "--authority", "signed_forms")

    assert caught.value.returncode == 2
    assert "This is not a spreadsheet" in str(caught.value)


def test_a_file_with_wrong_columns_exits_2(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", [["Nama"], ["Budi"]])

    code, output = run(str(path))

    assert code == 2
    assert "Required columns are missing" in output


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("import", "participants", str(tmp_path / "nope.csv"))
    assert caught.value.returncode == 2


def test_the_organisation_licence_fills_empty_cells(tmp_path: Path) -> None:
    table = [line[:-1] for line in as_lists([row(1)])]
    path = write_csv(tmp_path / "p.csv", table)

    code, _output = run(str(path), "--organisation-licence", "KEP.101/LN/2024")

    assert code == 0
    assert Participant.objects.get().sending_organisation.name == "LPK A Sakura Semarang"


def test_an_expired_organisation_licence_refuses_every_row(tmp_path: Path) -> None:
    from jembatan.organisations.factories import LicenceFactory, OrganisationFactory

    LicenceFactory(organisation=OrganisationFactory(), number="KEP.OLD", expired=True)
    table = [line[:-1] for line in as_lists([row(1), row(2)])]
    path = write_csv(tmp_path / "p.csv", table)

    code, output = run(str(path), "--organisation-licence", "KEP.OLD")

    assert code == 1
    assert "invalid 2" in output
