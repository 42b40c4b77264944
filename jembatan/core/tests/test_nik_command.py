"""``jembatan nik NIK``: decoded parts as JSON and exit 0, or the reasons and exit 1.

It reads the reference files, not the database, so it answers before ``migrate``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


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
        "issued_in": None,
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


def test_a_papua_nik_from_before_the_2022_split_is_decoded_to_the_regency_it_meant(
    capsys,
) -> None:
    decoded, warnings = _run("9104011708900001", capsys)
    assert (decoded["regency_code"], decoded["regency_name"]) == ("91.04", None)
    issued = decoded["issued_in"]
    assert (issued["regency_name"], issued["province_name"]) == ("Kabupaten Nabire", "Papua")
    assert (issued["today"], issued["certainty"]) == (["94.01"], "certain")
    assert issued["note"].startswith(
        "Region code 91.04 was Kabupaten Nabire (Papua) until 2022-07-25; today it is "
        "Kabupaten Nabire (94.01, Papua Tengah) (UU 15/2022)."
    )
    assert warnings == ""


def _run_without_database(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``manage.py nik`` in a child whose database file does not exist (never migrated)."""
    database = tmp_path / "never-migrated.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "nik", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert not database.exists()  # nothing opened, nothing created
    return done


def test_the_console_command_answers_before_migrate_without_touching_a_database(
    tmp_path,
) -> None:
    valid = _run_without_database(tmp_path, "3171011708450001")
    assert valid.returncode == 0, valid.stderr
    decoded = json.loads(valid.stdout)
    assert (decoded["regency_name"], decoded["sex"]) == ("Kota Administrasi Jakarta Pusat", "M")
    mangled = _run_without_database(tmp_path, "3.17101E+15")
    assert mangled.returncode == 1
    assert mangled.stdout == ""
    assert mangled.stderr.startswith("Excel converted this NIK to a number (3.17101E+15)")
    assert "Traceback" not in mangled.stderr
