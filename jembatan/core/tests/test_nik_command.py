"""``jembatan nik NIK``: decoded parts as JSON and exit 0, or the reasons and exit 1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db
JEMBATAN = Path(sys.executable).parent / "jembatan"


def _run(nik: str, capsys) -> tuple[dict, str]:
    call_command("nik", nik)
    captured = capsys.readouterr()
    return json.loads(captured.out), captured.err


def test_a_valid_nik_is_decoded_with_region_names(capsys) -> None:
    decoded, warnings = _run("3171011708450001", capsys)
    assert decoded == {
        "nik": "3171011708450001",
        "province_code": "31",
        "province_name": "DKI Jakarta",
        "regency_code": "31.71",
        "regency_name": "Kota Administrasi Jakarta Pusat",
        "district_code": "31.71.01",
        "birth_date": "1945-08-17",
        "sex": "M",
    }
    assert warnings == ""


def test_a_womans_nik_decodes_her_birth_day_and_sex(capsys) -> None:
    decoded, _ = _run("3171015708450001", capsys)
    assert (decoded["birth_date"], decoded["sex"]) == ("1945-08-17", "F")


def test_an_unknown_region_gives_null_names_and_a_warning_but_succeeds(capsys) -> None:
    decoded, warnings = _run("3398011708000001", capsys)
    assert (decoded["province_name"], decoded["regency_name"]) == ("Jawa Tengah", None)
    assert warnings.startswith("warning: Region code 33.98 in the NIK is not in the region list.")


def test_an_invalid_nik_prints_every_reason_and_exits_1(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        call_command("nik", "3171013208450000")
    assert exit_.value.code == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "The birth date part of the NIK (320845) is not a real date; the day is 01-31 for men "
        "and 41-71 for women, the month 01-12.",
        "The last four digits of a NIK are never 0000.",
    ]


def _migrated_sqlite_url(tmp_path: Path, env: dict[str, str]) -> str:
    """A fresh SQLite database for the child process, migrated by ``jembatan migrate``.

    The child cannot share the test's own database (in-memory on SQLite, inside an
    open transaction on PostgreSQL), so it gets one of its own with the same
    reference data, which is all ``jembatan nik`` reads.
    """
    url = f"sqlite:///{tmp_path / 'nik.sqlite3'}"
    migrate = subprocess.run(
        [JEMBATAN, "migrate", "--no-input", "-v0"],
        capture_output=True,
        text=True,
        env={**env, "DATABASE_URL": url},
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr
    return url


def test_the_console_command_exits_0_for_a_valid_nik_and_1_for_an_excel_number(tmp_path) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    env["DATABASE_URL"] = _migrated_sqlite_url(tmp_path, env)
    valid = subprocess.run(
        [JEMBATAN, "nik", "3171011708450001"], capture_output=True, text=True, env=env, timeout=60
    )
    assert (valid.returncode, json.loads(valid.stdout)["regency_code"]) == (0, "31.71")
    mangled = subprocess.run(
        [JEMBATAN, "nik", "3.17101E+15"], capture_output=True, text=True, env=env, timeout=60
    )
    assert mangled.returncode == 1
    assert mangled.stdout == ""
    assert mangled.stderr.startswith("Excel converted this NIK to a number (3.17101E+15)")
