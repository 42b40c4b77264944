"""Files and fixtures for the import tests (this module holds no tests itself).

Spreadsheets are generated here: xlsx with openpyxl, ods by hand (an .ods is a
zip holding ``mimetype``, ``content.xml`` and a manifest), csv with the csv
module, so every test states exactly what its file contains.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from django.core.files.storage import default_storage
from openpyxl import Workbook

from jembatan.core.models import ImportJob
from jembatan.core.nik import encode_nik
from jembatan.organisations.models import Organisation
from jembatan.participants.services import importing

HEADINGS = [
    "nik",
    "full_name",
    "sex",
    "birth_place",
    "birth_date",
    "phone",
    "email",
    "address",
    "regency_code",
    "education",
    "sending_organisation_licence",
]
ID_HEADINGS = [
    "NIK",
    "Nama Lengkap",
    "Jenis Kelamin (L/P)",
    "Tempat Lahir",
    "Tanggal Lahir",
    "No HP/Telepon",
    "Email",
    "Alamat",
    "Kode Kabupaten/Kota",
    "Pendidikan",
    "Nomor Izin LPK",
]
LPK_A_LICENCE = "KEP.101/LN/2024"
LPK_B_LICENCE = "KEP.102/LN/2024"


def nik(serial: int, *, birth_date: dt.date = dt.date(2000, 8, 17), sex: str = "M") -> str:
    """A valid NIK from Kota Semarang (33.74)."""
    return encode_nik(
        regency_code="33.74", district=1, birth_date=birth_date, sex=sex, serial=serial
    )


def row(serial: int = 1, **overrides: Any) -> dict[str, Any]:
    """One valid participant of LPK A, as a dict keyed by the English headings."""
    values: dict[str, Any] = {
        "nik": nik(serial),
        "full_name": f"Peserta Impor {serial}",
        "sex": "L",
        "birth_place": "Semarang",
        "birth_date": "17/08/2000",
        "phone": "0812-3456-7890",
        "email": f"peserta{serial}@contoh.id",
        "address": "Jl. Pemuda No. 1",
        "regency_code": "33.74",
        "education": "SMK",
        "sending_organisation_licence": LPK_A_LICENCE,
    }
    values.update(overrides)
    return values


def as_lists(rows: Sequence[dict[str, Any]], headings: Sequence[str] = HEADINGS) -> list[list[Any]]:
    """Heading row then one list per record, in ``HEADINGS`` order."""
    return [list(headings)] + [[r.get(h, "") for h in HEADINGS] for r in rows]


def write_xlsx(path: Path, table: list[list[Any]], *, title: str = "Peserta") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for line in table:
        sheet.append(line)
    workbook.save(path)
    return path


def write_csv(
    path: Path, table: list[list[Any]], *, delimiter: str = ",", bom: bool = False
) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(table)
    return path


def _ods_cell(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    if isinstance(value, dt.date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
            f"<text:p>{value.isoformat()}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p>'
        "</table:table-cell>"
    )


ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"'
)
ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "{extra}</manifest:manifest>"
)


def write_ods(
    path: Path, table: list[list[Any]], *, title: str = "Peserta", manifest_extra: str = ""
) -> Path:
    """A minimal OpenDocument spreadsheet, written with zipfile."""
    rows = "".join(
        "<table:table-row>" + "".join(_ods_cell(v) for v in line) + "</table:table-row>"
        for line in table
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS}>'
        f'<office:body><office:spreadsheet><table:table table:name="{title}">{rows}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", ODS_MANIFEST.format(extra=manifest_extra))
    return path


def run_file(
    path: Path,
    *,
    user: Any = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    default_licence: str = "",
) -> ImportJob:
    """Import ``path`` synchronously, as the console command does."""
    return importing.import_create(
        acting_user=user,
        chunks=importing.file_chunks(path),
        file_name=path.name,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        default_licence=default_licence,
        authority="signed_forms",
        run_now=True,
    )


def report_lines(job: ImportJob) -> list[list[str]]:
    """The CSV report of ``job`` without its heading row."""
    with default_storage.open(importing.report_file(job, "csv"), "rb") as handle:
        text = handle.read().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))[1:]


def problems(job: ImportJob, *, severity: str | None = None) -> list[tuple[str, str, str]]:
    """``(row, cell, problem)`` of every report line (optionally of one severity)."""
    return [
        (line[0], line[1], line[5])
        for line in report_lines(job)
        if severity is None or line[4] == severity
    ]


@pytest.fixture
def media(tmp_path: Path, settings: Any) -> Path:
    """MEDIA_ROOT in a temporary folder, so stored files and reports vanish after the test."""
    settings.MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


@pytest.fixture
def english(settings: Any) -> None:
    """Messages in English, so assertions can quote them."""
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    translation.activate("en")


def organisation_licensed(lpk: Organisation) -> str:
    return str(lpk.licences.get().number)


PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
