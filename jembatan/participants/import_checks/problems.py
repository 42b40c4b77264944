"""A problem found in an import file: where it is, what is wrong, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell (or the whole file when ``row`` is 0)."""

    row: int
    field: str
    heading: str
    cell: str
    value: str
    severity: str
    code: str
    message: str
    fix: str


@dataclass(frozen=True)
class Issue:
    """A problem before it knows where it is: what the field checkers return."""

    code: str
    message: str
    severity: str = "error"
    field: str = ""


class FileRefused(Exception):
    """The file as a whole cannot be imported (unreadable, wrong columns)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def fix_for(code: str) -> str:
    """How to fix a problem with this code, in the reader's language."""
    date_fix = _("Write the date as dd/mm/yyyy with a four-digit year, e.g. 17/08/2000.")
    nik_fix = _("Check the NIK against the identity card (KTP) and type all 16 digits.")
    text_fix = _("Format the NIK column as Text in the spreadsheet and type the NIKs again.")
    fixes = {
        "required": _("Fill in the cell."),
        "too_long": _("Shorten the text."),
        "formula": _("Type the text without a leading =, +, - or @."),
        "sex": _("Write L or P (or M or F)."),
        "two_digit_year": date_fix,
        "not_a_date": date_fix,
        "impossible": date_fix,
        "future_date": date_fix,
        "too_old": date_fix,
        "too_young": date_fix,
        "phone": _("Write an Indonesian number, e.g. 0812-3456-7890, or leave the cell empty."),
        "email": _("Write an address like nama@contoh.id, or leave the cell empty."),
        "regency_format": _("Use the Kemendagri code, e.g. 33.74 (Kota Semarang)."),
        "regency_unknown": _("Use the Kemendagri code, e.g. 33.74 (Kota Semarang)."),
        "regency_contradicts_nik": _(
            "Give the NIK's regency/city; for someone who has moved, register them on the "
            "form, where the move can be confirmed."
        ),
        "education": _("Use one of: SD, SMP, SMA, SMK, D1, D2, D3, S1 (or D4), S2."),
        "licence_unknown": _("Copy the number exactly from the Kemnaker licence."),
        "licence_required": _(
            "Only an organisation with a licence in force may register participants."
        ),
        "licence_not_current": _("Use the number of the licence now in force."),
        "other_organisation": _(
            "Remove the rows of other organisations; each organisation imports its own."
        ),
        "other_province": _("Remove the rows of participants from other provinces."),
        "duplicate_in_file": _("Keep one row per person."),
        "registered_differently": _(
            "An import never changes existing records: correct the record in the registry."
        ),
        "already_registered": _("Nothing to do."),
        "digits_lost": text_fix,
        "excel_scientific": text_fix,
        "excel_number": text_fix,
    }
    return str(fixes.get(code, nik_fix if code in _NIK_CODES else ""))


_NIK_CODES = frozenset(
    {
        "empty",
        "not_digits",
        "wrong_length",
        "bad_birth_date",
        "serial_zero",
        "birth_date_mismatch",
        "sex_mismatch",
        "unknown_region",
    }
)
