"""Every validation rule of the participant import, each reported where Excel shows it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from jembatan.core.models import ImportJob
from jembatan.organisations.factories import LicenceFactory, OrganisationFactory
from jembatan.organisations.models import Organisation
from jembatan.participants.fields import IMPORTED
from jembatan.participants.import_checks.columns import COLUMNS, LICENCE, map_headings
from jembatan.participants.import_checks.problems import FileRefused
from jembatan.participants.models import Participant
from jembatan.participants.tests.test_import_helpers import (  # noqa: F401 - fixtures
    ID_HEADINGS,
    LPK_A_LICENCE,
    as_lists,
    english,
    media,
    nik,
    problems,
    row,
    run_file,
    write_csv,
    write_ods,
    write_xlsx,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media", "english", "lpk_a")]


def check(tmp_path: Path, *rows: dict[str, Any], **options: Any) -> ImportJob:
    """Dry-run a CSV holding ``rows``; nothing is written."""
    path = write_csv(tmp_path / "peserta.csv", as_lists(rows))
    return run_file(path, dry_run=True, **options)


def errors(job: ImportJob) -> list[tuple[str, str, str]]:
    return problems(job, severity="error")


# --- a clean file ------------------------------------------------------------------


def test_a_valid_row_has_no_errors_and_clean_values(tmp_path: Path, lpk_a: Organisation) -> None:
    path = write_csv(tmp_path / "p.csv", as_lists([row(1)]))

    job = run_file(path)

    assert (job.outcome, job.rows_created, errors(job)) == ("written", 1, [])
    created = Participant.objects.get()
    assert created.nik == nik(1)
    assert created.phone == "+6281234567890"
    assert (created.sex, created.birth_date) == ("M", dt.date(2000, 8, 17))
    assert (created.regency_id, created.province_id) == ("33.74", "33")
    assert (created.education, created.sending_organisation_id) == ("smk", lpk_a.pk)
    assert created.email == "peserta1@contoh.id"


def test_indonesian_headings_in_any_case_and_order_are_understood(tmp_path: Path) -> None:
    headings = [h.upper() for h in ID_HEADINGS]
    table = as_lists([row(1)], headings=headings)
    reordered = [list(reversed(line)) for line in table]
    path = write_csv(tmp_path / "p.csv", reordered, delimiter=";")

    job = run_file(path, dry_run=True)

    assert (job.rows_valid, errors(job)) == (1, [])


def test_missing_required_columns_refuse_the_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", [["NIK", "Nama", "Warna"], ["1", "Budi", "merah"]])

    job = run_file(path)

    assert job.outcome == "unreadable"
    assert job.error_message.startswith("Required columns are missing: Jenis Kelamin (L/P) / Sex")
    assert "Columns not recognised: Warna" in job.error_message


def test_two_columns_meaning_the_same_field_refuse_the_file() -> None:
    with pytest.raises(FileRefused) as caught:
        map_headings(["NIK", "No KTP"], licence_optional=True)
    assert caught.value.message == "Columns “NIK” and “No KTP” mean the same thing; delete one."


# --- NIK ----------------------------------------------------------------------------------


def test_nik_typed_as_an_excel_number_is_accepted_with_a_warning(tmp_path: Path) -> None:
    table = as_lists([row(1)])
    table[1][0] = int(nik(1))
    path = write_xlsx(tmp_path / "p.xlsx", table)

    job = run_file(path, dry_run=True)

    assert errors(job) == []
    assert [p[:2] for p in problems(job, severity="warning")] == [("2", "A2")]


@pytest.mark.parametrize(
    ("value", "start"),
    [
        ("3.37401E+15", "Excel converted this NIK to a number (3.37401E+15) and kept only 6"),
        ("337401170800001", "NIK must be 16 digits; got 15."),
        ("33740117080000A1", "NIK may contain only digits"),
        ("3374011708000000", "The last four digits of a NIK are never 0000."),
        ("", "NIK is required."),
    ],
)
def test_bad_niks_are_refused_with_the_reason(tmp_path: Path, value: str, start: str) -> None:
    job = check(tmp_path, row(1, nik=value))

    assert len(errors(job)) == 1
    assert errors(job)[0][:2] == ("2", "A2")
    assert errors(job)[0][2].startswith(start)


def test_a_nik_number_that_lost_its_digits_is_refused(tmp_path: Path) -> None:
    table = as_lists([row(1)])
    table[1][0] = 3374011708000000.0  # what Excel keeps of 3374011708000001 as a General number
    path = write_xlsx(tmp_path / "p.xlsx", table)

    job = run_file(path, dry_run=True)

    assert errors(job)[0][2].startswith("Excel converted this NIK to a number")


def test_nik_disagreeing_with_the_birth_date_names_the_part_and_is_held_for_an_officer(
    tmp_path: Path,
) -> None:
    job = check(tmp_path, row(1, birth_date="18/08/2000"))

    assert errors(job) == []
    [(line, cell, message)] = problems(job, severity="warning")
    assert (line, cell) == ("2", "E2")
    assert message.startswith(
        "The birth day in the NIK (17) does not match the declared birth date (18). "
        "The row is imported and held for an officer to confirm the NIK"
    )


def test_nik_disagreeing_with_the_sex_explains_the_day_rule(tmp_path: Path) -> None:
    job = check(tmp_path, row(1, sex="P"))

    assert errors(job) == []
    [warning] = problems(job, severity="warning")
    assert warning[:2] == ("2", "C2")
    assert "below 41, which marks a man" in warning[2]


def test_an_imported_row_whose_nik_disagrees_is_written_and_awaits_an_officer(
    tmp_path: Path, lpk_a: Organisation
) -> None:
    path = write_csv(tmp_path / "p.csv", as_lists([row(1, birth_date="18/08/2000")]))

    run_file(path)

    person = Participant.objects.get()
    assert (person.birth_date, person.nik_mismatch) == (dt.date(2000, 8, 18), "birth_date")
    assert person.nik_mismatch_confirmed_at is None


# --- the other columns ----------------------------------------------------------------


@pytest.mark.parametrize("value", ["L", "l", "M", "Laki-laki", "LAKI LAKI", "Pria", "male"])
def test_every_spelling_of_male_is_understood(tmp_path: Path, value: str) -> None:
    assert errors(check(tmp_path, row(1, sex=value))) == []


@pytest.mark.parametrize("value", ["P", "f", "Perempuan", "Wanita"])
def test_every_spelling_of_female_is_understood(tmp_path: Path, value: str) -> None:
    woman = row(1, sex=value, nik=nik(1, sex="F"))
    assert errors(check(tmp_path, woman)) == []


def test_an_unknown_sex_is_refused(tmp_path: Path) -> None:
    assert errors(check(tmp_path, row(1, sex="X"))) == [
        ("2", "C2", "“X” is not a sex; write L (laki-laki) or P (perempuan).")
    ]


@pytest.mark.parametrize("value", ["17/08/2000", "17-08-2000", "2000-08-17", "36755"])
def test_birth_dates_in_every_accepted_form(tmp_path: Path, value: str) -> None:
    assert errors(check(tmp_path, row(1, birth_date=value))) == []


def test_birth_dates_as_date_cells_and_serials_in_xlsx(tmp_path: Path) -> None:
    table = as_lists([row(1), row(2)])
    table[1][4] = dt.datetime(2000, 8, 17)
    table[2][4] = 36755
    job = run_file(write_xlsx(tmp_path / "p.xlsx", table), dry_run=True)

    assert (job.rows_valid, errors(job)) == (2, [])


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("17/08/00", "“17/08/00” has a two-digit year; write all four digits."),
        ("31/02/2000", "“31/02/2000” is not a real date (day/month/year)."),
        ("kemarin", "“kemarin” is not a date."),
        ("", "Date of birth is required."),
        ("01/01/2999", "The date of birth is in the future."),
        ("01/01/1900", "The date of birth is more than 100 years ago."),
    ],
)
def test_bad_birth_dates_say_why(tmp_path: Path, value: str, message: str) -> None:
    found = errors(check(tmp_path, row(1, birth_date=value)))
    assert ("2", "E2", message) in found


def test_a_phone_is_stored_in_e164(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", as_lists([row(1, phone="62 812 3456 7890")]))

    run_file(path)

    assert Participant.objects.get().phone == "+6281234567890"


def test_a_bad_phone_is_refused(tmp_path: Path) -> None:
    found = errors(check(tmp_path, row(1, phone="12345")))
    assert [f[:2] for f in found] == [("2", "F2")]


def test_a_bad_email_is_refused(tmp_path: Path) -> None:
    assert errors(check(tmp_path, row(1, email="budi@"))) == [
        ("2", "G2", "“budi@” is not an e-mail address.")
    ]


@pytest.mark.parametrize("value", ["33.74", "3374", " 33 74 "])
def test_regency_codes_with_or_without_the_dot(tmp_path: Path, value: str) -> None:
    assert errors(check(tmp_path, row(1, regency_code=value))) == []


def test_regency_code_as_an_excel_number(tmp_path: Path) -> None:
    table = as_lists([row(1)])
    table[1][8] = 3374
    assert errors(run_file(write_xlsx(tmp_path / "p.xlsx", table), dry_run=True)) == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("99.99", "There is no regency or city with code 99.99."),
        ("33", "“33” is not a regency/city code like 33.74 or 3374."),
        ("", "The regency/city code is required."),
    ],
)
def test_bad_regency_codes(tmp_path: Path, value: str, message: str) -> None:
    assert ("2", "I2", message) in errors(check(tmp_path, row(1, regency_code=value)))


@pytest.mark.parametrize(
    ("value", "level"),
    [
        ("SMA", "sma"),
        ("sma sederajat", "sma"),
        ("SLTA", "sma"),
        ("SMK", "smk"),
        ("STM", "smk"),
        ("D3", "d3"),
        ("D-III", "d3"),
        ("Diploma 3", "d3"),
        ("S1", "s1"),
        ("S-1", "s1"),
        ("D4", "s1"),
        ("Sarjana", "s1"),
        ("S2", "s2"),
        ("SMP", "smp"),
        ("MTs", "smp"),
        ("", ""),
    ],
)
def test_education_spellings_are_mapped(tmp_path: Path, value: str, level: str) -> None:
    path = write_csv(tmp_path / "p.csv", as_lists([row(1, education=value)]))

    run_file(path)

    assert Participant.objects.get().education == level


def test_an_unknown_education_is_refused(tmp_path: Path) -> None:
    assert errors(check(tmp_path, row(1, education="Pesantren"))) == [
        ("2", "J2", "“Pesantren” is not a known education level.")
    ]


def test_a_name_looking_like_a_formula_is_refused(tmp_path: Path) -> None:
    assert errors(check(tmp_path, row(1, full_name="=HYPERLINK(1)"))) == [
        ("2", "B2", "The text looks like a spreadsheet formula.")
    ]


def test_a_too_long_name_is_refused(tmp_path: Path) -> None:
    assert errors(check(tmp_path, row(1, full_name="A" * 151))) == [
        ("2", "B2", "The text has 151 characters; at most 150 are allowed.")
    ]


def test_every_problem_of_a_row_is_listed(tmp_path: Path) -> None:
    bad = row(1, sex="?", birth_date="x", phone="1", email="@", regency_code="0", education="?")

    found = errors(check(tmp_path, bad))

    assert [f[1] for f in found] == ["C2", "E2", "F2", "G2", "I2", "J2"]


# --- licences and scope ----------------------------------------------------------------------


def test_an_unknown_licence_number_is_refused(tmp_path: Path) -> None:
    found = errors(check(tmp_path, row(1, sending_organisation_licence="KEP.999/X")))
    assert found == [("2", "K2", "No licence with number “KEP.999/X” is registered.")]


def test_an_expired_licence_refuses_every_row_with_the_reason(tmp_path: Path) -> None:
    lpk = OrganisationFactory(name="LPK Kedaluwarsa")
    LicenceFactory(organisation=lpk, number="KEP.OLD/2020", expired=True)
    rows = [row(n, sending_organisation_licence="KEP.OLD/2020") for n in (1, 2, 3)]

    found = errors(check(tmp_path, *rows))

    assert [f[:2] for f in found] == [("2", "K2"), ("3", "K3"), ("4", "K4")]
    assert all(
        f[2].startswith("The licence of LPK Kedaluwarsa (KEP.OLD/2020) expired on") for f in found
    )


def test_licence_numbers_match_whatever_the_case_and_spacing(tmp_path: Path) -> None:
    job = check(tmp_path, row(1, sending_organisation_licence="  kep.101/ln/2024 "))
    assert errors(job) == []


def test_without_a_licence_column_rows_need_a_default(tmp_path: Path) -> None:
    table = [line[:-1] for line in as_lists([row(1)])]
    path = write_csv(tmp_path / "p.csv", table)

    refused = run_file(path, dry_run=True)
    accepted = run_file(path, dry_run=True, default_licence=LPK_A_LICENCE)

    assert refused.outcome == "unreadable"
    assert "Nomor Izin LPK / Sending organisation licence number" in refused.error_message
    assert (accepted.rows_valid, errors(accepted)) == (1, [])


def test_a_default_licence_refuses_rows_of_other_organisations(
    tmp_path: Path, lpk_b: Organisation
) -> None:
    rows = [
        row(1, sending_organisation_licence=""),
        row(2, sending_organisation_licence="KEP.102/LN/2024"),
    ]

    job = check(tmp_path, *rows, default_licence=LPK_A_LICENCE)

    assert [e[:2] for e in errors(job)] == [("3", "K3")]
    assert "belongs to another organisation" in errors(job)[0][2]


# --- duplicates ---------------------------------------------------------------------


def test_the_same_nik_twice_in_a_file_is_refused_on_both_rows(tmp_path: Path) -> None:
    job = check(tmp_path, row(1), row(2), row(1, full_name="Orang Lain"))

    assert errors(job) == [
        ("2", "A2", "The same NIK is also on row(s) 4."),
        ("4", "A4", "The same NIK is also on row(s) 2."),
    ]


def test_a_nik_registered_with_other_data_is_refused_naming_the_differences(tmp_path: Path) -> None:
    run_file(write_csv(tmp_path / "first.csv", as_lists([row(1)])))

    job = check(tmp_path, row(1, full_name="Nama Berbeda", address="Jl. Lain"))

    assert errors(job) == [
        (
            "2",
            "A2",
            "A participant with this NIK is already registered with different data. "
            "Different: Full name, Address.",
        )
    ]


def test_another_organisations_record_is_not_described(tmp_path: Path, lpk_b: Organisation) -> None:
    run_file(write_csv(tmp_path / "first.csv", as_lists([row(1)])))

    job = check(tmp_path, row(1, sending_organisation_licence="KEP.102/LN/2024"))

    assert (
        errors(job)[0][2]
        == "A participant with this NIK is already registered with different data."
    )


# --- formats ------------------------------------------------------------------------


def test_the_same_rows_read_alike_from_xlsx_ods_and_csv(tmp_path: Path) -> None:
    table = as_lists([row(1), row(2, sex="X")])
    files = [
        write_xlsx(tmp_path / "p.xlsx", table),
        write_ods(tmp_path / "p.ods", table),
        write_csv(tmp_path / "p.csv", table, delimiter=";", bom=True),
        write_csv(tmp_path / "q.csv", table),
    ]

    outcomes = [errors(run_file(f, dry_run=True)) for f in files]

    assert (
        outcomes == [[("3", "C3", "“X” is not a sex; write L (laki-laki) or P (perempuan).")]] * 4
    )


def test_blank_rows_are_skipped_and_row_numbers_still_match_excel(tmp_path: Path) -> None:
    table = [*as_lists([row(1)]), [""] * 11, *as_lists([row(2, sex="X")])[1:]]

    job = run_file(write_xlsx(tmp_path / "p.xlsx", table), dry_run=True)

    assert job.rows_total == 2
    assert [e[:2] for e in errors(job)] == [("4", "C4")]


def test_merged_and_hidden_sheets_are_noted(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Lama"
    workbook.active.sheet_state = "hidden"
    sheet = workbook.create_sheet("Peserta")
    for line in as_lists([row(1), row(2)]):
        sheet.append(line)
    sheet.merge_cells("D2:D3")
    workbook.save(tmp_path / "p.xlsx")

    job = run_file(tmp_path / "p.xlsx", dry_run=True)

    assert job.sheet_name == "Peserta"
    assert job.notes[:2] == ["Sheet read: “Peserta”.", "Hidden sheets were not read: Lama."]
    assert job.notes[2].startswith("Merged cells (D2:D3)")
    assert errors(job) == [("3", "D3", "This column may not be empty.")]


# --- what office suites do to codes and dates ---------------------------------------


def _klaten_nik(serial: int = 1) -> str:
    from jembatan.core.nik import encode_nik

    return encode_nik(
        regency_code="33.10", district=1, birth_date=dt.date(2000, 8, 17), sex="M", serial=serial
    )


def test_a_regency_code_that_lost_its_trailing_zero_in_excel_is_read_back(tmp_path: Path) -> None:
    """33.10 typed in a General cell is stored as the number 33.1: only 33.10 can be meant."""
    table = as_lists([row(1, nik=_klaten_nik())])
    table[1][8] = 33.1
    job = run_file(write_xlsx(tmp_path / "p.xlsx", table))
    assert errors(job) == []
    assert Participant.objects.get().regency_id == "33.10"


def test_a_regency_code_that_lost_its_trailing_zero_in_a_csv_is_read_back(tmp_path: Path) -> None:
    job = run_file(
        write_csv(tmp_path / "p.csv", as_lists([row(1, nik=_klaten_nik(), regency_code="33.1")]))
    )
    assert errors(job) == []
    assert Participant.objects.get().regency_id == "33.10"


def test_a_birth_date_with_day_and_month_swapped_says_so(tmp_path: Path) -> None:
    """The NIK says 5 August; a spreadsheet in a US locale wrote 08/05, read as 8 May."""
    born = dt.date(2000, 8, 5)
    job = check(tmp_path, row(1, nik=nik(1, birth_date=born), birth_date="08/05/2000"))
    found = problems(job, severity="warning")
    messages = [message for _row, _cell, message in found]
    assert any(
        m.startswith("The birth date looks like day and month are swapped: the NIK says 05-08")
        for m in messages
    ), messages


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "heading"), [("id", "Kode Kabupaten/Kota"), ("en", None)])
def test_a_problem_in_a_column_the_file_lacks_is_named_in_the_readers_language(
    language: str, heading: str | None
) -> None:
    """The report named absent columns by their English field heading on Indonesian pages."""
    from django.utils import translation

    from jembatan.participants.import_checks.columns import COLUMN_BY_FIELD
    from jembatan.participants.import_checks.problems import Issue
    from jembatan.participants.import_checks.rows import RowChecker, Scope

    column = COLUMN_BY_FIELD["regency_code"]
    expected = heading or column.heading_en
    if heading is not None:
        assert column.heading_id == heading
    checker = RowChecker(headings={}, scope=Scope())
    with translation.override(language):
        problem = checker.problem(0, {}, Issue("regency_unknown", "x", field="regency_code"))
    assert problem.heading == expected


def test_the_columns_are_the_imported_details_and_the_licence() -> None:
    as_details = {"regency_code": "regency"}
    fields = {as_details.get(c.field, c.field) for c in COLUMNS}
    assert fields == {*IMPORTED, LICENCE}
