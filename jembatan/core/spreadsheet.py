"""Read spreadsheets that people upload (xlsx, xls, ods, csv) safely, and write reports.

Uploaded spreadsheets are hostile until proven otherwise. :func:`read_table`
decides what a file is from its bytes (never its name), refuses anything that
is not a spreadsheet, checks size, row and column limits, looks inside the zip
of an xlsx/ods for compression bombs and encryption, and then reads cell
*values* with python-calamine, which never evaluates formulas (a formula cell
gives the value Excel cached when it saved the file, or an empty cell).

calamine allocates one slot per cell of the sheet's bounding box, so a 5 KB
file naming cell ``XFD1048576`` asks for half a terabyte and aborts the whole
process. The workbook is therefore read in a forked child process with a
memory ceiling: a hostile file kills only the child, and the user gets an
error message instead of a dead worker.

:func:`escape_formula` and the writers protect the other direction: a value
like ``=HYPERLINK(...)`` coming back out in a report must stay text.

Errors are :class:`SpreadsheetError` with a ``code`` to branch on and a
message that says what is wrong and what to do. Used by participant imports
and (later) score uploads; nothing here knows about either.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import faulthandler
import io
import multiprocessing
import os
import re
import resource
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import filetype
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

Cell = int | float | str | bool | dt.date | dt.datetime | dt.time | dt.timedelta
Row = list[Cell]

XLSX, XLS, ODS, CSV = "xlsx", "xls", "ods", "csv"
ZIP_MAGIC = b"PK\x03\x04"
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# Password-protected xlsx files are an OLE container holding this stream.
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
DELIMITERS = (";", ",", "\t", "|")
# Characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01, counting Excel's phantom 29 Feb 1900
MAX_EXCEL_SERIAL = 2958465  # 9999-12-31
SPREADSHEET_MIME = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    CSV: "text/csv",
}


# --- limits -------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """How much a spreadsheet may hold; each can be set in the settings."""

    max_bytes: int = 50 * 1024 * 1024
    max_rows: int = 1_000_000
    max_columns: int = 200
    max_unzipped_bytes: int = 1024 * 1024 * 1024
    max_ratio: int = 200
    memory_bytes: int = 4 * 1024 * 1024 * 1024

    @classmethod
    def from_settings(cls) -> Limits:
        """``JEMBATAN_SPREADSHEET_MAX_BYTES`` and friends override the defaults."""
        defaults = cls()
        return cls(
            **{
                name: int(getattr(settings, f"JEMBATAN_SPREADSHEET_{name.upper()}", value))
                for name, value in vars(defaults).items()
            }
        )


# --- errors -------------------------------------------------------------------


# Every file-level refusal: what is wrong and what to do, translated when shown.
MESSAGES: dict[str, Promise] = {
    "empty_file": gettext_lazy("The file is empty. Fill in the template and upload it again."),
    "too_big": gettext_lazy(
        "The file is %(size)s; the limit is %(limit)s. Split it into smaller files "
        "and import them one after another."
    ),
    "not_spreadsheet": gettext_lazy(
        "This is not a spreadsheet: its content is %(found)s, whatever its name says. "
        "Upload an Excel workbook (.xlsx), an OpenDocument spreadsheet (.ods) or a "
        "CSV file saved as UTF-8."
    ),
    "damaged": gettext_lazy(
        "The file looks like a spreadsheet but is damaged (%(detail)s). Open it in "
        "Excel or LibreOffice, save it again as .xlsx and upload the new file."
    ),
    "encrypted": gettext_lazy(
        "The file is protected with a password, so it cannot be read. Open it, remove "
        "the password (File > Info > Protect Workbook) and save it again."
    ),
    "zip_bomb": gettext_lazy(
        "The file unpacks to far more data than a spreadsheet of its size can hold "
        "(%(detail)s); it was refused for safety. Save the data again as a new file."
    ),
    "too_many_rows": gettext_lazy(
        "The sheet has %(rows)s rows; at most %(limit)s can be imported at once. Split the file."
    ),
    "too_many_columns": gettext_lazy(
        "The sheet has %(columns)s columns; at most %(limit)s are allowed. Delete the "
        "unused columns (or cells typed far to the right) and save again."
    ),
    "too_large_to_read": gettext_lazy(
        "The sheet claims a size too large to read (cells far below or to the right of "
        "the data). Copy only the data into a new workbook and upload that."
    ),
    "no_visible_sheet": gettext_lazy(
        "The workbook has no visible worksheet. Unhide the sheet with the data and save again."
    ),
    "empty_sheet": gettext_lazy(
        "The sheet “%(sheet)s” is empty. Put the column headings in the first row and "
        "one record per row below them."
    ),
    "not_utf8": gettext_lazy(
        "The CSV file is not saved as UTF-8 (unreadable bytes on line %(line)s). In Excel "
        "choose Save As > “CSV UTF-8 (Comma delimited)”, or import the .xlsx file directly."
    ),
    "utf16": gettext_lazy(
        "The CSV file is saved as UTF-16 (“Unicode text”). In Excel choose Save As > "
        "“CSV UTF-8 (Comma delimited)”, or import the .xlsx file directly."
    ),
    "bad_csv": gettext_lazy(
        "The CSV file cannot be read on line %(line)s (%(detail)s). Open it in a "
        "spreadsheet program, save it again as CSV UTF-8 and upload it again."
    ),
    "old_format": gettext_lazy(
        "This is an old Excel 97-2003 file that could not be read. Save it as "
        "“Excel Workbook (.xlsx)” and upload that."
    ),
}


class SpreadsheetError(Exception):
    """A file that cannot be read as a spreadsheet; ``message`` says why and what to do."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def message(self) -> str:
        """The explanation in the active language."""
        return str(MESSAGES[self.code]) % self.params


# --- what was read --------------------------------------------------------------


@dataclass
class Table:
    """The cells of one sheet; ``rows[i]`` is the row Excel numbers ``i + 1``."""

    format: str
    rows: list[Row]
    sheet: str = ""
    hidden_sheets: list[str] = field(default_factory=list)
    merged_ranges: list[str] = field(default_factory=list)
    delimiter: str = ""

    def header_index(self) -> int:
        """Index of the first row with any content (the column headings)."""
        for index, row in enumerate(self.rows):
            if not is_blank_row(row):
                return index
        raise SpreadsheetError("empty_sheet", sheet=self.sheet or "CSV")


def read_table(
    path: Path, *, preferred_sheets: Sequence[str] = (), limits: Limits | None = None
) -> Table:
    """Read the data sheet of ``path``, or raise :class:`SpreadsheetError`.

    The sheet read is the first visible worksheet whose name matches one of
    ``preferred_sheets`` (case- and spacing-insensitive), else the first
    visible worksheet; hidden sheets are never read, only listed.
    """
    limits = limits or Limits.from_settings()
    kind = detect_format(path, limits=limits)
    if kind == CSV:
        table = read_csv(path, limits=limits)
    else:
        table = _read_workbook_isolated(path, kind, preferred_sheets, limits)
    table.header_index()  # refuses a sheet without any content
    return table


# --- detection ----------------------------------------------------------------


def detect_format(path: Path, *, limits: Limits) -> str:
    """``xlsx``, ``xls``, ``ods`` or ``csv``, judged by content; refuses everything else."""
    size = path.stat().st_size
    if size == 0:
        raise SpreadsheetError("empty_file")
    if size > limits.max_bytes:
        raise SpreadsheetError("too_big", size=human_size(size), limit=human_size(limits.max_bytes))
    with path.open("rb") as handle:
        head = handle.read(65536)
    if head.startswith(ZIP_MAGIC):
        return _zip_format(path, limits)
    if head.startswith(CFB_MAGIC):
        return _cfb_format(path)
    return _text_format(head)


def _zip_format(path: Path, limits: Limits) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_zip_sizes(infos, limits)
            names = {info.filename for info in infos}
            if "xl/workbook.xml" in names:
                return _unencrypted(XLSX, infos)
            if "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE:
                _check_ods_encryption(archive, names)
                return _unencrypted(ODS, infos)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        raise SpreadsheetError("damaged", detail=str(error)[:100]) from error
    raise SpreadsheetError("not_spreadsheet", found=_("a ZIP archive or a Word document"))


def _check_zip_sizes(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse declared sizes or compression ratios no honest spreadsheet has."""
    total = sum(info.file_size for info in infos)
    if total > limits.max_unzipped_bytes:
        raise SpreadsheetError("zip_bomb", detail=human_size(total))
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and ratio > limits.max_ratio:
            raise SpreadsheetError("zip_bomb", detail=f"{info.filename}: {ratio:.0f}:1")


def _unencrypted(kind: str, infos: list[zipfile.ZipInfo]) -> str:
    if any(info.flag_bits & 0x1 for info in infos):
        raise SpreadsheetError("encrypted")
    return kind


def _check_ods_encryption(archive: zipfile.ZipFile, names: set[str]) -> None:
    """An encrypted ODS lists ``encryption-data`` for its parts in the manifest."""
    manifest = "META-INF/manifest.xml"
    if manifest in names and b"encryption-data" in archive.read(manifest):
        raise SpreadsheetError("encrypted")


def _cfb_format(path: Path) -> str:
    """An OLE container is either a password-protected xlsx or an old .xls (or not ours)."""
    if ENCRYPTION_STREAM in path.read_bytes():
        raise SpreadsheetError("encrypted")
    return XLS


def _text_format(head: bytes) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SpreadsheetError("utf16")
    if b"\x00" in head or filetype.guess(head) is not None:
        raise SpreadsheetError("not_spreadsheet", found=_describe(head))
    return CSV


def _describe(head: bytes) -> str:
    """Name what a refused file really is, e.g. ``a PNG image``."""
    kind = filetype.guess(head)
    if kind is None:
        return _("binary data in a format that is not recognised")
    if kind.mime.startswith("image/"):
        return _("a %(type)s image") % {"type": kind.extension.upper()}
    return _("a %(type)s file") % {"type": kind.extension.upper()}


# --- CSV ----------------------------------------------------------------------


def read_csv(path: Path, *, limits: Limits) -> Table:
    """Read a UTF-8 CSV (with or without BOM), sniffing ``;`` / ``,`` / tab."""
    text = _decode_utf8(path.read_bytes())
    delimiter = sniff_delimiter(text)
    rows: list[Row] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            _check_shape(len(rows) + 1, len(row), limits)
            rows.append(list(row))
    except csv.Error as error:
        raise SpreadsheetError("bad_csv", line=reader.line_num, detail=str(error)) from error
    return Table(format=CSV, rows=_trim(rows), delimiter=delimiter)


def _decode_utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SpreadsheetError("not_utf8", line=line) from error


def sniff_delimiter(text: str) -> str:
    """The separator used most on the first non-empty line (the headings)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _check_shape(rows: int, columns: int, limits: Limits) -> None:
    if rows > limits.max_rows:
        raise SpreadsheetError("too_many_rows", rows=f"> {limits.max_rows}", limit=limits.max_rows)
    if columns > limits.max_columns:
        raise SpreadsheetError("too_many_columns", columns=columns, limit=limits.max_columns)


def _trim(rows: list[Row]) -> list[Row]:
    """Drop trailing blank rows (Excel often leaves some)."""
    end = len(rows)
    while end and is_blank_row(rows[end - 1]):
        end -= 1
    return rows[:end]


# --- workbooks, read in a child process ----------------------------------------------


def _read_workbook_isolated(
    path: Path, kind: str, preferred: Sequence[str], limits: Limits
) -> Table:
    """Run :func:`_read_workbook` in a forked child with a memory ceiling."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_child_main, args=(sender, path, kind, tuple(preferred), limits), daemon=True
    )
    child.start()
    sender.close()
    try:
        outcome = receiver.recv()
    except EOFError:
        outcome = ("error", "too_large_to_read", {})
    finally:
        receiver.close()
        child.join()
    if outcome[0] == "error":
        raise SpreadsheetError(outcome[1], **outcome[2])
    table: Table = outcome[1]
    return table


def _child_main(
    sender: Connection, path: Path, kind: str, preferred: tuple[str, ...], limits: Limits
) -> None:
    # A refused file may abort this child: log one line, not Rust's and Python's tracebacks.
    os.environ["RUST_BACKTRACE"] = "0"
    faulthandler.disable()
    _cap_memory(limits.memory_bytes)
    try:
        sender.send(("ok", _read_workbook(path, kind, preferred, limits)))
    except SpreadsheetError as error:
        sender.send(("error", error.code, error.params))
    except Exception as error:  # any failure of the parser means a damaged file
        code = "old_format" if kind == XLS else "damaged"
        sender.send(("error", code, {"detail": type(error).__name__}))
    finally:
        sender.close()


def _cap_memory(budget: int) -> None:
    """Limit the child's address space to what it uses now plus ``budget`` bytes."""
    with Path("/proc/self/statm").open() as handle:
        pages = int(handle.read().split()[0])
    current = pages * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (current + budget, current + budget))


def _read_workbook(path: Path, kind: str, preferred: tuple[str, ...], limits: Limits) -> Table:
    import python_calamine as calamine

    try:
        workbook = calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError as error:
        raise SpreadsheetError("encrypted") from error
    with workbook:
        name, hidden = choose_sheet(workbook.sheets_metadata, preferred)
        sheet = workbook.get_sheet_by_name(name)
        _check_shape(sheet.height, sheet.width, limits)
        merged = [range_ref(start, end) for start, end in sheet.merged_cell_ranges or []]
        rows: list[Row] = [list(r) for r in sheet.to_python(skip_empty_area=False)]
    return Table(
        format=kind, rows=_trim(rows), sheet=name, hidden_sheets=hidden, merged_ranges=merged
    )


def choose_sheet(metadata: Iterable[Any], preferred: Sequence[str]) -> tuple[str, list[str]]:
    """The sheet to read and the names of the hidden sheets that were skipped."""
    visible = [m.name for m in metadata if _is_visible_worksheet(m)]
    hidden = [m.name for m in metadata if m.name not in visible]
    if not visible:
        raise SpreadsheetError("no_visible_sheet")
    wanted = {normalise_label(p) for p in preferred}
    chosen = next((n for n in visible if normalise_label(n) in wanted), visible[0])
    return chosen, hidden


def _is_visible_worksheet(metadata: Any) -> bool:
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    return bool(
        metadata.visible == SheetVisibleEnum.Visible and metadata.typ == SheetTypeEnum.WorkSheet
    )


# --- cells ------------------------------------------------------------------------


def is_blank(value: Cell | None) -> bool:
    """True for a missing cell or one holding only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def is_blank_row(row: Sequence[Cell | None]) -> bool:
    """True when every cell of ``row`` is blank."""
    return all(is_blank(value) for value in row)


def cell_text(value: Cell | None) -> str:
    """A cell as the text a person typed: whole numbers without ``.0``, spaces trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    return str(value).strip()


def normalise_label(text: object) -> str:
    """Compare headings and sheet names ignoring case, accents, punctuation and hints.

    ``"Jenis Kelamin (L/P)"``, ``"jenis_kelamin"`` and ``" JENIS  KELAMIN "`` all
    become ``"jenis kelamin"``.
    """
    folded = unicodedata.normalize("NFKD", str(text)).casefold()
    without_hints = re.sub(r"\([^)]*\)|\[[^]]*\]", " ", folded)
    return " ".join(re.sub(r"[^0-9a-z]+", " ", without_hints).split())


def column_letter(index: int) -> str:
    """Excel's name for the zero-based column ``index``: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cell_ref(row_index: int, column_index: int) -> str:
    """``B7`` for zero-based row 6, column 1."""
    return f"{column_letter(column_index)}{row_index + 1}"


def range_ref(start: tuple[int, int], end: tuple[int, int]) -> str:
    """``A4:B5`` from calamine's zero-based (row, column) corners."""
    return f"{cell_ref(*start)}:{cell_ref(*end)}"


# --- dates --------------------------------------------------------------------------

_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


class CellDateError(ValueError):
    """A cell that is not a date; ``code``: ``two_digit_year``, ``impossible``, ``not_a_date``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def cell_date(value: Cell | None) -> dt.date:
    """A date from a date cell, an Excel serial, ``dd/mm/yyyy`` or ISO ``yyyy-mm-dd``.

    Day comes first in slashed dates, as Indonesians write them; ``07/08/2000``
    is 7 August. Raises :class:`CellDateError`.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return excel_serial_date(value)
    text = cell_text(value)
    if text.isdigit() and len(text) <= 7:
        return excel_serial_date(int(text))
    return _date_from_text(text)


def excel_serial_date(serial: float) -> dt.date:
    """The date of an Excel serial number (1900 date system); the time part is dropped."""
    if not 1 <= serial <= MAX_EXCEL_SERIAL:
        raise CellDateError("not_a_date")
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))


def _date_from_text(text: str) -> dt.date:
    if match := _ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DAY_FIRST.match(text):
        day, month, year = (int(part) for part in match.groups())
        if len(match.group(3)) != 4:
            raise CellDateError("two_digit_year")
    else:
        raise CellDateError("not_a_date")
    try:
        return dt.date(year, month, day)
    except ValueError as error:
        raise CellDateError("impossible") from error


# --- writing reports ------------------------------------------------------------------


def escape_formula(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _escaped(row: Iterable[object]) -> list[object]:
    return [escape_formula(value) for value in row]


def write_xlsx(
    path: Path, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[object]]]]
) -> None:
    """Write ``(title, headings, rows)`` sheets; every text cell stays text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, headings, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.append([_bold_cell(sheet, h, bold) for h in _escaped(headings)])
        for row in rows:
            sheet.append(_escaped(row))
    workbook.save(path)


def _bold_cell(sheet: Any, value: object, font: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.font = font
    return cell


def write_csv(path: Path, headings: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """A UTF-8 CSV with BOM (so Excel shows accents right); formulas escaped."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(_escaped(headings))
        writer.writerows(_escaped(row) for row in rows)


def human_size(n_bytes: int) -> str:
    """``52.4 MB``: sizes as people read them."""
    size = float(n_bytes)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"
