"""The columns of the participant import and the headings people write for them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from jembatan.core import spreadsheet
from jembatan.core.spreadsheet import Cell, cell_text
from jembatan.participants.import_checks.problems import FileRefused


@dataclass(frozen=True)
class Column:
    """One column of the import format, with the headings people actually write."""

    field: str
    heading_en: str
    heading_id: str
    aliases: tuple[str, ...]
    required: bool = True

    def heading_for(self, language: str | None) -> str:
        """The column's heading in ``language`` (Indonesian unless English is asked for)."""
        return self.heading_en if (language or "").startswith("en") else self.heading_id

    def names(self) -> set[str]:
        """Every heading (normalised) that means this column."""
        spellings = (self.field, self.heading_en, self.heading_id, *self.aliases)
        return {spreadsheet.normalise_label(s) for s in spellings}


LICENCE = "sending_organisation_licence"
# One column per imported detail (fields.IMPORTED; the regency as its code) and the licence,
# in the template's order, each with the headings people write for it.
COLUMNS = (
    Column("nik", "NIK", "NIK", ("no nik", "nomor nik", "nomor induk kependudukan", "no ktp")),
    Column(
        "full_name", "Full name", "Nama Lengkap", ("name", "nama", "nama peserta", "nama lengkap")
    ),
    Column("sex", "Sex (M/F)", "Jenis Kelamin (L/P)", ("gender", "jenis kelamin", "jk", "l p")),
    Column("birth_place", "Place of birth", "Tempat Lahir", ("birth place", "tempat lahir")),
    Column(
        "birth_date",
        "Date of birth (dd/mm/yyyy)",
        "Tanggal Lahir (dd/mm/yyyy)",
        ("birth date", "date of birth", "tanggal lahir", "tgl lahir"),
    ),
    Column(
        "phone",
        "Phone",
        "No HP/Telepon",
        ("phone number", "mobile", "no hp", "nomor hp", "telepon", "no telepon", "hp", "whatsapp"),
        required=False,
    ),
    Column("email", "Email", "Email", ("e mail", "surel", "alamat email"), required=False),
    Column("address", "Address", "Alamat", ("alamat lengkap",), required=False),
    Column(
        "regency_code",
        "Regency/city code",
        "Kode Kabupaten/Kota",
        ("regency code", "kode kabupaten", "kode kab kota", "kode kota", "kode wilayah"),
    ),
    Column("education", "Education", "Pendidikan", ("pendidikan terakhir",), required=False),
    Column(
        LICENCE,
        "Sending organisation licence number",
        "Nomor Izin LPK",
        ("licence number", "license number", "no izin lpk", "nomor izin", "izin lpk"),
        required=False,
    ),
)
COLUMN_BY_FIELD = {c.field: c for c in COLUMNS}
_HEADING_INDEX = {name: column.field for column in COLUMNS for name in column.names()}


def map_headings(row: Sequence[Cell], *, licence_optional: bool) -> tuple[dict, list[str]]:
    """Which column holds which field, and the headings that were not recognised.

    Raises :class:`FileRefused` naming the required columns that are missing
    or any field that two columns claim.
    """
    found: dict[str, tuple[int, str]] = {}
    unknown: list[str] = []
    for index, value in enumerate(row):
        heading = cell_text(value)
        name = _HEADING_INDEX.get(spreadsheet.normalise_label(heading))
        if name is None:
            if heading:
                unknown.append(heading)
            continue
        if name in found:
            raise FileRefused(_two_columns(found[name][1], heading))
        found[name] = (index, heading)
    _require_columns(found, unknown, licence_optional=licence_optional)
    return found, unknown


def _require_columns(found: dict, unknown: list[str], *, licence_optional: bool) -> None:
    required = [c for c in COLUMNS if c.required or (c.field == LICENCE and not licence_optional)]
    missing = [c for c in required if c.field not in found]
    if missing:
        message = _(
            "Required columns are missing: %(missing)s. Columns not recognised: %(unknown)s. "
            "Use the headings of the template (Indonesian or English)."
        ) % {
            "missing": ", ".join(f"{c.heading_id} / {c.heading_en}" for c in missing),
            "unknown": ", ".join(unknown) or "—",
        }
        raise FileRefused(message)


def _two_columns(first: str, second: str) -> str:
    return _("Columns “%(first)s” and “%(second)s” mean the same thing; delete one.") % {
        "first": first,
        "second": second,
    }
