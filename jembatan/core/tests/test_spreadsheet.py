"""Reading uploaded spreadsheets safely, and writing reports that stay text."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from jembatan.core import spreadsheet
from jembatan.core.spreadsheet import (
    CellDateError,
    Limits,
    SpreadsheetError,
    cell_date,
    cell_text,
    escape_formula,
    normalise_label,
    read_table,
)
from jembatan.participants.tests.test_import_helpers import write_ods

PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def english(settings) -> None:
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    translation.activate("en")


def xlsx(path: Path, rows: list[list[object]], *, title: str = "Sheet1") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def refusal(path: Path, **kwargs: object) -> SpreadsheetError:
    with pytest.raises(SpreadsheetError) as caught:
        read_table(path, **kwargs)  # type: ignore[arg-type]
    return caught.value


# --- what a file is -------------------------------------------------------------


def test_xlsx_is_read_by_value_with_row_numbers_as_excel_shows_them(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "a.xlsx", [["NIK", "Nama"], ["3374011708000001", "Budi"]])

    table = read_table(path)

    assert table.format == "xlsx"
    assert table.sheet == "Sheet1"
    assert table.rows == [["NIK", "Nama"], ["3374011708000001", "Budi"]]
    assert table.header_index() == 0


def test_rows_above_the_headings_keep_excel_row_numbers(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active["B3"] = "NIK"
    workbook.active["B4"] = "x"
    workbook.save(tmp_path / "offset.xlsx")

    table = read_table(tmp_path / "offset.xlsx")

    assert table.header_index() == 2
    assert table.rows[3][1] == "x"


def test_ods_is_read(tmp_path: Path) -> None:
    path = write_ods(
        tmp_path / "a.ods", [["NIK", "Lahir"], ["3374011708000001", dt.date(2000, 8, 17)]]
    )

    table = read_table(path)

    assert table.format == "ods"
    assert table.rows[1][0] == "3374011708000001"
    assert cell_date(table.rows[1][1]) == dt.date(2000, 8, 17)


def test_csv_with_bom_and_semicolons_as_indonesian_excel_writes_it(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"NIK;Nama;Alamat\r\n1;Budi;Jl. A, No. 1\r\n")

    table = read_table(path)

    assert (table.format, table.delimiter) == ("csv", ";")
    assert table.rows == [["NIK", "Nama", "Alamat"], ["1", "Budi", "Jl. A, No. 1"]]


def test_csv_with_commas_and_no_bom(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text('NIK,Nama\n1,"Santoso; Budi"\n\n\n', encoding="utf-8")

    table = read_table(path)

    assert table.delimiter == ","
    assert table.rows == [["NIK", "Nama"], ["1", "Santoso; Budi"]]


def test_a_png_renamed_to_xlsx_is_refused_by_its_content(tmp_path: Path) -> None:
    path = tmp_path / "peserta.xlsx"
    path.write_bytes(PNG_BYTES)

    error = refusal(path)

    assert error.code == "not_spreadsheet"
    assert "a PNG image" in error.message


def test_a_zip_that_is_not_a_spreadsheet_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")

    assert refusal(path).code == "not_spreadsheet"


def test_a_damaged_xlsx_is_refused(tmp_path: Path) -> None:
    good = xlsx(tmp_path / "a.xlsx", [["a"]]).read_bytes()
    path = tmp_path / "b.xlsx"
    path.write_bytes(good[: len(good) // 2])

    assert refusal(path).code == "damaged"


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"")

    assert refusal(path).code == "empty_file"


def test_an_empty_sheet_is_refused_naming_it(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "a.xlsx", [], title="Peserta")

    error = refusal(path)

    assert error.code == "empty_sheet"
    assert "“Peserta”" in error.message


def test_a_csv_of_blank_lines_is_an_empty_sheet(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(";;\n \n", encoding="utf-8")

    assert refusal(path).code == "empty_sheet"


# --- hostile files ---------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (30 * 1024 * 1024))

    error = refusal(path)

    assert error.code == "zip_bomb"
    assert "xl/worksheets/sheet1.xml" in error.message


def test_a_file_unpacking_past_the_total_limit_is_refused(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "a.xlsx", [["a"] * 50] * 50)

    error = refusal(path, limits=Limits(max_unzipped_bytes=10_000))

    assert error.code == "zip_bomb"


def test_a_file_above_the_size_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(b"NIK\n" + b"1\n" * 600)

    error = refusal(path, limits=Limits(max_bytes=1000))

    assert error.code == "too_big"
    assert "the limit is 1000 bytes" in error.message


def test_the_size_limit_comes_from_the_settings(settings) -> None:
    settings.JEMBATAN_SPREADSHEET_MAX_BYTES = 1234

    assert Limits.from_settings().max_bytes == 1234
    assert Limits.from_settings().max_rows == 1_000_000


def test_too_many_rows_are_refused(tmp_path: Path) -> None:
    csv_path = tmp_path / "a.csv"
    csv_path.write_text("NIK\n" + "1\n" * 20, encoding="utf-8")
    xlsx_path = xlsx(tmp_path / "a.xlsx", [["NIK"]] + [["1"]] * 20)

    assert refusal(csv_path, limits=Limits(max_rows=10)).code == "too_many_rows"
    assert refusal(xlsx_path, limits=Limits(max_rows=10)).code == "too_many_rows"


def test_a_cell_far_away_cannot_exhaust_memory(tmp_path: Path) -> None:
    """calamine would allocate every cell up to XFD1048576 and abort the process."""
    workbook = Workbook()
    workbook.active["A1"] = "NIK"
    workbook.active["XFD1048576"] = "x"
    workbook.save(tmp_path / "sparse.xlsx")

    error = refusal(tmp_path / "sparse.xlsx", limits=Limits(memory_bytes=256 * 1024 * 1024))

    assert error.code == "too_large_to_read"


def test_a_password_protected_xlsx_is_refused_clearly(tmp_path: Path) -> None:
    # Encrypted OOXML is an OLE container with an EncryptionInfo stream.
    path = tmp_path / "secret.xlsx"
    path.write_bytes(
        spreadsheet.CFB_MAGIC + b"\0" * 512 + spreadsheet.ENCRYPTION_STREAM + b"\0" * 64
    )

    error = refusal(path)

    assert error.code == "encrypted"
    assert "password" in error.message


def test_an_encrypted_ods_is_refused_clearly(tmp_path: Path) -> None:
    path = write_ods(tmp_path / "secret.ods", [["a"]], manifest_extra="<manifest:encryption-data/>")

    assert refusal(path).code == "encrypted"


def test_an_ole_file_that_is_not_excel_is_refused_as_an_old_format(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(spreadsheet.CFB_MAGIC + b"\0" * 2048)

    assert refusal(path).code == "old_format"


def test_a_csv_not_in_utf8_is_refused_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes("NIK;Nama\n1;Budi\n2;Andr\u00e9\n".encode("cp1252"))

    error = refusal(path)

    assert error.code == "not_utf8"
    assert "line 3" in error.message


def test_a_utf16_csv_is_refused_with_how_to_save_it(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes("NIK\tNama\n".encode("utf-16"))

    error = refusal(path)

    assert error.code == "utf16"
    assert "CSV UTF-8" in error.message


# --- sheets -----------------------------------------------------------------------------


def test_hidden_sheets_are_skipped_and_named(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active.title = "Rahasia"
    workbook.active["A1"] = "secret"
    workbook.active.sheet_state = "hidden"
    visible = workbook.create_sheet("Data")
    visible["A1"] = "NIK"
    workbook.save(tmp_path / "a.xlsx")

    table = read_table(tmp_path / "a.xlsx")

    assert table.sheet == "Data"
    assert table.hidden_sheets == ["Rahasia"]


def test_the_sheet_named_like_the_data_is_preferred(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active.title = "Petunjuk"
    workbook.active["A1"] = "help"
    workbook.create_sheet("PESERTA ")["A1"] = "NIK"
    workbook.save(tmp_path / "a.xlsx")

    table = read_table(tmp_path / "a.xlsx", preferred_sheets=["Peserta"])

    assert table.sheet == "PESERTA "


def test_a_workbook_without_visible_worksheets_is_refused(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active["A1"] = "x"
    workbook.active.sheet_state = "hidden"
    workbook.create_chartsheet("Chart")  # visible, but not a worksheet
    workbook.save(tmp_path / "a.xlsx")

    assert refusal(tmp_path / "a.xlsx").code == "no_visible_sheet"


def test_merged_cells_are_listed(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["NIK", "Nama"])
    sheet["A2"] = "merged"
    sheet.merge_cells("A2:B3")
    sheet["A4"] = "after"
    workbook.save(tmp_path / "a.xlsx")

    table = read_table(tmp_path / "a.xlsx")

    assert table.merged_ranges == ["A2:B3"]
    assert table.rows[1:] == [["merged", ""], ["", ""], ["after", ""]]


def test_formula_cells_give_their_cached_value_and_are_never_run(tmp_path: Path) -> None:
    # openpyxl saves formulas without a cached value: calamine gives an empty cell.
    rows = [["NIK", "Nama"], ['=WEBSERVICE("http://evil")', "a"], ["=1+1", "b"]]
    path = xlsx(tmp_path / "a.xlsx", rows)

    table = read_table(path)

    assert table.rows[1:] == [["", "a"], ["", "b"]]


# --- cells ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("17/08/2000", dt.date(2000, 8, 17)),
        ("7/8/2000", dt.date(2000, 8, 7)),
        ("17-08-2000", dt.date(2000, 8, 17)),
        ("17.08.2000", dt.date(2000, 8, 17)),
        ("2000-08-17", dt.date(2000, 8, 17)),
        ("2000-08-17 00:00:00", dt.date(2000, 8, 17)),
        (36755, dt.date(2000, 8, 17)),
        (36755.0, dt.date(2000, 8, 17)),
        ("36755", dt.date(2000, 8, 17)),
        (dt.datetime(2000, 8, 17, 0, 0), dt.date(2000, 8, 17)),
        (dt.date(2000, 8, 17), dt.date(2000, 8, 17)),
    ],
)
def test_dates_are_read_in_every_accepted_form(value: object, expected: dt.date) -> None:
    assert cell_date(value) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("17/08/00", "two_digit_year"),
        ("31/02/2000", "impossible"),
        ("08/17/2000", "impossible"),
        ("kemarin", "not_a_date"),
        (0, "not_a_date"),
        (-5, "not_a_date"),
        ("", "not_a_date"),
    ],
)
def test_values_that_are_not_dates_say_why(value: object, code: str) -> None:
    with pytest.raises(CellDateError) as caught:
        cell_date(value)  # type: ignore[arg-type]
    assert caught.value.code == code


def test_cell_text_shows_numbers_as_typed() -> None:
    assert cell_text(3374.0) == "3374"
    assert cell_text(" Budi ") == "Budi"
    assert cell_text(None) == ""
    assert cell_text(33.74) == "33.74"


def test_headings_compare_without_case_spacing_punctuation_or_hints() -> None:
    assert normalise_label("Jenis Kelamin (L/P)") == "jenis kelamin"
    assert normalise_label("  NO. HP/Telepon ") == "no hp telepon"
    assert normalise_label("regency_code") == "regency code"


def test_column_letters_follow_excel() -> None:
    assert [spreadsheet.column_letter(i) for i in (0, 25, 26, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "ZZ",
        "AAA",
    ]


# --- writing reports -------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["=1+1", "+62812", "-2", "@SUM(A1)", "\t=x"])
def test_formula_looking_text_gets_a_leading_apostrophe(value: str) -> None:
    assert escape_formula(value) == "'" + value


def test_harmless_values_are_left_alone() -> None:
    assert escape_formula("Budi") == "Budi"
    assert escape_formula(-2) == -2


def test_written_xlsx_keeps_formula_text_as_text(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"

    spreadsheet.write_xlsx(path, [("Problems", ["=A1"], [['=HYPERLINK("http://x")', 5]])])

    sheet = load_workbook(path).active
    assert sheet["A1"].value == "'=A1"
    assert sheet["A2"].value == '\'=HYPERLINK("http://x")'
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 5


def test_written_csv_has_a_bom_and_escapes_formulas(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"

    spreadsheet.write_csv(path, ["Value"], [["=1+1"], ["Budi"]])

    assert path.read_bytes().startswith(codecs.BOM_UTF8)
    assert io.StringIO(path.read_text("utf-8-sig")).read().splitlines() == [
        "Value",
        "'=1+1",
        "Budi",
    ]
