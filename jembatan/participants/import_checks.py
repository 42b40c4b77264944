"""Check participant rows from a spreadsheet: every cell, every problem, how to fix it.

:func:`check_file` reads a file (:mod:`jembatan.core.spreadsheet`), maps its
headings (English or Indonesian, any case or spacing) to the import columns
and checks every row, listing *every* problem with the row as Excel numbers
it, the cell, the value, what is wrong and how to fix it. It writes nothing;
:mod:`jembatan.participants.importing` decides what to write.

A NIK already in the registry with exactly the same data is "already
registered": not an error, so importing a file twice creates no duplicates.
The same NIK with other data is an error (imports never change records).

Written for 100,000-row files: regions and licences are looked up once per
distinct value and NIKs are compared with the registry in chunks of ``__in``
queries.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from jembatan.core import age_rules, spreadsheet
from jembatan.core.access import role_of
from jembatan.core.models import ImportJob, Region
from jembatan.core.nik import check_nik
from jembatan.core.phone import PhoneError, normalize_id_phone
from jembatan.core.roles import Role
from jembatan.core.spreadsheet import Cell, CellDateError, SpreadsheetError, cell_text
from jembatan.organisations.models import Licence, LicenceActivity, Organisation
from jembatan.organisations.rules import LicenceRequired, ensure_can_act
from jembatan.participants.fields import IMPORTED, attnames
from jembatan.participants.models import Education, Participant, Sex
from jembatan.participants.validation import nik_mismatch, regency_contradiction

OPERATION = "participants.import"
PREFERRED_SHEETS = ("Peserta", "Participants", "Data Peserta")
BATCH_SIZE = 5000
PROGRESS_EVERY = 5000
FORMULA_STARTS = ("=", "+", "-", "@")
MAX_LENGTHS = {"full_name": 150, "birth_place": 100, "email": 254, "address": 1000}
# Compared to decide whether a NIK already in the registry is "the same person, same data":
# everything a row carries besides the NIK it is found by.
COMPARED_FIELDS = (
    *attnames(name for name in IMPORTED if name != "nik"),
    "sending_organisation_id",
)


# --- the columns ------------------------------------------------------------------


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
IMPORTED_FOR_CONFIRMATION = gettext_lazy(
    "The row is imported and held for an officer to confirm the NIK (a NIK is not reissued "
    "when a birth date or sex is corrected); correct the row instead if it was mistyped."
)
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

SEX_WORDS = {
    "l": Sex.MALE,
    "m": Sex.MALE,
    "laki laki": Sex.MALE,
    "lakilaki": Sex.MALE,
    "pria": Sex.MALE,
    "male": Sex.MALE,
    "p": Sex.FEMALE,
    "f": Sex.FEMALE,
    "perempuan": Sex.FEMALE,
    "wanita": Sex.FEMALE,
    "female": Sex.FEMALE,
}
EDUCATION_WORDS = {
    Education.SD: ("sd", "mi", "sekolah dasar", "primary school", "paket a"),
    Education.SMP: ("smp", "mts", "sltp", "junior high school", "paket b"),
    Education.SMA: ("sma", "ma", "slta", "smu", "senior high school", "paket c"),
    Education.SMK: ("smk", "mak", "stm", "smea", "vocational high school"),
    Education.D1: ("d1", "d 1", "d i", "diploma 1", "diploma i"),
    Education.D2: ("d2", "d 2", "d ii", "diploma 2", "diploma ii"),
    Education.D3: ("d3", "d 3", "d iii", "diploma 3", "diploma iii"),
    Education.S1: ("s1", "s 1", "d4", "d 4", "d iv", "diploma 4", "sarjana", "bachelor"),
    Education.S2: ("s2", "s 2", "magister", "master"),
}
EDUCATION_INDEX = {word: level for level, words in EDUCATION_WORDS.items() for word in words}
_REGENCY_CODE = re.compile(r"^(\d{2})[.\s]?(\d{2})$")
_LOST_ZERO = re.compile(r"^\d{2}\.\d$")


# --- problems ---------------------------------------------------------------------


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


# --- who may import what ---------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What one importer may import: which organisation, which province."""

    organisation_id: int | None = None  # only this organisation's participants
    default_licence: str = ""  # the licence of rows that leave the column empty
    default_organisation_id: int | None = None
    province_id: str | None = None

    @classmethod
    def for_job(cls, job: ImportJob) -> Scope:
        """The scope of ``job``'s importer, narrowed by its default licence."""
        user = job.created_by
        role = role_of(user) if user is not None else None
        scope = cls(default_licence=job.default_licence)
        if role == Role.SENDER_OPERATOR:
            org_id = user.organisation_id  # type: ignore[union-attr]
            scope = cls(organisation_id=org_id, default_organisation_id=org_id)
        elif role == Role.PROVINCIAL_OFFICER:
            scope = cls(province_id=user.province_id)  # type: ignore[union-attr]
        if job.default_licence:
            scope = _with_licence(scope, job.default_licence)
        return scope


def _with_licence(scope: Scope, number: str) -> Scope:
    licence = find_licence(number)
    org_id = licence.organisation_id if licence else None
    return Scope(
        organisation_id=scope.organisation_id or org_id,
        default_licence=number,
        default_organisation_id=None,
        province_id=scope.province_id,
    )


def find_licence(number: str) -> Licence | None:
    """The licence with this number, spelled with any case or spacing."""
    cleaned = " ".join(number.split())
    return Licence.objects.filter(number__iexact=cleaned).select_related("organisation").first()


# --- checking one row -----------------------------------------------------------------


@dataclass
class CheckedRow:
    """One data row after checking: clean values and every problem found."""

    row: int
    values: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    existing: bool = False

    @property
    def ok(self) -> bool:
        """No errors (warnings allowed)."""
        return not any(p.severity == "error" for p in self.problems)


@dataclass
class _OrganisationVerdict:
    organisation_id: int | None
    issues: list[Issue]


class RowChecker:
    """Checks rows one by one, remembering regions and licences it has looked up."""

    def __init__(self, *, headings: dict[str, tuple[int, str]], scope: Scope) -> None:
        self.headings = headings  # field -> (column index, heading as written)
        self.scope = scope
        self.today = timezone.localdate()
        self.regions = _regency_table()
        self.known_codes = _known_region_codes()
        self.licences: dict[str, _OrganisationVerdict] = {}
        self.organisations: dict[int, _OrganisationVerdict] = {}
        self.checkers = self._checkers()
        self.has_districts = any(code.count(".") == 2 for code in self.known_codes)

    def check(self, index: int, cells: Sequence[Cell]) -> CheckedRow:
        """Check the row at zero-based ``index`` (Excel row ``index + 1``)."""
        raw = {f: _cell(cells, col) for f, (col, _heading) in self.headings.items()}
        values: dict[str, Any] = {}
        issues: list[Issue] = []
        for name, checker in self.checkers:
            value, found = checker(raw.get(name))
            values.update(value)
            issues += [i if i.field else Issue(i.code, i.message, i.severity, name) for i in found]
        nik_value, nik_issues = self._nik(raw.get("nik"), values)
        values["nik"] = nik_value
        issues += nik_issues
        moved = regency_contradiction(nik_value, values.get("regency_id"))
        if moved:  # nobody is there to confirm a move: the row is refused
            issues.append(Issue("regency_contradicts_nik", moved, field="regency_code"))
        organisation, org_issues = self._organisation(raw.get(LICENCE), values)
        values["sending_organisation_id"] = organisation
        issues += org_issues
        return CheckedRow(index + 1, values, [self.problem(index, raw, i) for i in issues])

    def _checkers(self) -> list[tuple[str, Callable[[Cell | None], tuple[dict, list[Issue]]]]]:
        return [
            ("full_name", lambda v: _text("full_name", v, required=True)),
            ("sex", _sex),
            ("birth_place", lambda v: _text("birth_place", v, required=True)),
            ("birth_date", self._birth_date),
            ("phone", _phone),
            ("email", _email),
            ("address", lambda v: _text("address", v, required=False)),
            ("regency_code", self._regency),
            ("education", _education),
        ]

    def problem(self, index: int, raw: dict[str, Cell | None], issue: Issue) -> Problem:
        """Place ``issue`` in the file: row, cell, heading and the value as typed."""
        column, heading = self.headings.get(issue.field, (-1, ""))
        cell = spreadsheet.cell_ref(index, column) if column >= 0 else ""
        return Problem(
            row=index + 1,
            field=issue.field,
            heading=heading or COLUMN_BY_FIELD[issue.field].heading_for(get_language()),
            cell=cell,
            value=cell_text(raw.get(issue.field)),
            severity=issue.severity,
            code=issue.code,
            message=issue.message,
            fix=fix_for(issue.code),
        )

    def _birth_date(self, value: Cell | None) -> tuple[dict, list[Issue]]:
        found, issues = _birth_date(value, self.today)
        return {"birth_date": found}, issues

    def _regency(self, value: Cell | None) -> tuple[dict, list[Issue]]:
        code, issues = _regency_code(value)
        if code is None:
            return {"regency_id": None, "province_id": None}, issues
        if code not in self.regions:
            message = _("There is no regency or city with code %(code)s.") % {"code": code}
            return {"regency_id": None, "province_id": None}, [Issue("regency_unknown", message)]
        province = self.regions[code]
        if self.scope.province_id and province != self.scope.province_id:
            return {"regency_id": code, "province_id": province}, [_other_province(code)]
        return {"regency_id": code, "province_id": province}, []

    def _nik(self, value: Cell | None, values: dict[str, Any]) -> tuple[str | None, list[Issue]]:
        result = check_nik(
            value,
            declared_birth_date=values.get("birth_date"),
            declared_sex=values.get("sex"),
            region_exists=self._region_exists,
            today=self.today,
        )
        issues = [
            Issue(p.code, str(p.message), p.severity, p.field)
            for p in result.problems
            if p.severity != "confirm"
        ]
        # A NIK is never reissued when a birth date or sex is corrected: the row is imported,
        # held for an officer to confirm (participants:nik_mismatches), and the file says so.
        issues += [
            Issue(p.code, f"{p.message} {IMPORTED_FOR_CONFIRMATION}", "warning", p.field)
            for p in result.to_confirm
        ]
        values["nik_mismatch"] = nik_mismatch(result) if result.ok else ""
        return (result.nik if result.ok else None), issues

    def _region_exists(self, code: str) -> bool:
        # Districts are checked only once the district table is loaded.
        return code in self.known_codes or (code.count(".") == 2 and not self.has_districts)

    def _organisation(
        self, value: Cell | None, values: dict[str, Any]
    ) -> tuple[int | None, list[Issue]]:
        number = " ".join(cell_text(value).split())
        if not number and self.scope.default_licence:
            number = self.scope.default_licence
        if number:
            verdict = self._by_licence(number)
        elif self.scope.default_organisation_id:
            verdict = self._by_organisation(self.scope.default_organisation_id)
        else:
            message = _("The licence number of the sending organisation (LPK) is required.")
            verdict = _OrganisationVerdict(None, [Issue("required", message)])
        issues = [Issue(i.code, i.message, i.severity, LICENCE) for i in verdict.issues]
        return verdict.organisation_id, issues

    def _by_licence(self, number: str) -> _OrganisationVerdict:
        key = number.casefold()
        if key not in self.licences:
            self.licences[key] = self._judge_licence(number)
        return self.licences[key]

    def _by_organisation(self, organisation_id: int) -> _OrganisationVerdict:
        if organisation_id not in self.organisations:
            organisation = Organisation.objects.get(pk=organisation_id)
            self.organisations[organisation_id] = _judge_organisation(organisation, None)
        return self.organisations[organisation_id]

    def _judge_licence(self, number: str) -> _OrganisationVerdict:
        licence = find_licence(number)
        if licence is None:
            message = _("No licence with number “%(number)s” is registered.") % {"number": number}
            return _OrganisationVerdict(None, [Issue("licence_unknown", message)])
        allowed = self.scope.organisation_id
        if allowed is not None and licence.organisation_id != allowed:
            return _OrganisationVerdict(None, [_other_organisation(licence)])
        return _judge_organisation(licence.organisation, licence)


def _judge_organisation(organisation: Organisation, named: Licence | None) -> _OrganisationVerdict:
    """Whether ``organisation`` may register participants now (``ensure_can_act``)."""
    try:
        acting = ensure_can_act(organisation, activity=LicenceActivity.REGISTER)
    except LicenceRequired as refusal:
        return _OrganisationVerdict(None, [Issue("licence_required", " ".join(refusal.messages))])
    if named is not None and acting.pk != named.pk:
        message = _(
            "Licence %(named)s is not the one in force; %(name)s now holds licence %(current)s."
        ) % {"named": named.number, "name": organisation.name, "current": acting.number}
        return _OrganisationVerdict(
            organisation.pk, [Issue("licence_not_current", message, "warning")]
        )
    return _OrganisationVerdict(organisation.pk, [])


def _other_organisation(licence: Licence) -> Issue:
    message = _(
        "Licence %(number)s belongs to another organisation; you may import only "
        "participants of your own organisation."
    ) % {"number": licence.number}
    return Issue("other_organisation", message)


def _other_province(code: str) -> Issue:
    message = _(
        "Regency/city %(code)s is outside your province; you may import only participants "
        "of your own province."
    ) % {"code": code}
    return Issue("other_province", message)


def _known_region_codes() -> set[str]:
    return set(Region.objects.values_list("code", flat=True))


def _regency_table() -> dict[str, str]:
    """Every regency/city code with its province code."""
    rows = Region.objects.exclude(parent=None).filter(code__regex=r"^\d{2}\.\d{2}$")
    return dict(rows.values_list("code", "parent_id"))


def _cell(cells: Sequence[Cell], column: int) -> Cell | None:
    return cells[column] if column < len(cells) else None


# --- field checkers: (clean values, issues) ----------------------------------------------


def _text(name: str, value: Cell | None, *, required: bool) -> tuple[dict, list[Issue]]:
    text = " ".join(cell_text(value).split()) if name != "address" else cell_text(value)
    if not text:
        issues = [Issue("required", _("This column may not be empty."))] if required else []
        return {name: ""}, issues
    if name != "address" and text.startswith(FORMULA_STARTS):
        return {name: text}, [Issue("formula", _("The text looks like a spreadsheet formula."))]
    limit = MAX_LENGTHS[name]
    if len(text) > limit:
        message = _("The text has %(count)d characters; at most %(limit)d are allowed.") % {
            "count": len(text),
            "limit": limit,
        }
        return {name: text[:limit]}, [Issue("too_long", message)]
    return {name: text}, []


def _sex(value: Cell | None) -> tuple[dict, list[Issue]]:
    if not cell_text(value):
        return {"sex": None}, [Issue("required", _("Sex is required."))]
    text = spreadsheet.normalise_label(cell_text(value))
    sex = SEX_WORDS.get(text)
    if sex is None:
        message = _("“%(value)s” is not a sex; write L (laki-laki) or P (perempuan).") % {
            "value": cell_text(value)
        }
        return {"sex": None}, [Issue("sex", message)]
    return {"sex": str(sex)}, []


def _birth_date(value: Cell | None, today: dt.date) -> tuple[dt.date | None, list[Issue]]:
    if spreadsheet.is_blank(value):
        return None, [Issue("required", _("Date of birth is required."))]
    try:
        found = spreadsheet.cell_date(value)
    except CellDateError as error:
        return None, [Issue(error.code, _date_message(error.code, cell_text(value)))]
    if found > today:
        return None, [Issue("future_date", _("The date of birth is in the future."))]
    if found.year < today.year - 100:
        return None, [Issue("too_old", _("The date of birth is more than 100 years ago."))]
    too_young = age_rules.registration_problem(found, today)
    if too_young:
        return found, [Issue("too_young", too_young)]
    return found, []


def _date_message(code: str, text: str) -> str:
    messages = {
        "two_digit_year": _("“%(value)s” has a two-digit year; write all four digits."),
        "impossible": _("“%(value)s” is not a real date (day/month/year)."),
        "not_a_date": _("“%(value)s” is not a date."),
    }
    return messages[code] % {"value": text}


def _phone(value: Cell | None) -> tuple[dict, list[Issue]]:
    text = cell_text(value)
    if not text:
        return {"phone": ""}, []
    try:
        return {"phone": normalize_id_phone(text)}, []
    except PhoneError as error:
        return {"phone": ""}, [Issue("phone", str(error.message))]


def _email(value: Cell | None) -> tuple[dict, list[Issue]]:
    text = cell_text(value).lower()
    if not text:
        return {"email": ""}, []
    try:
        validate_email(text)
    except ValidationError:
        message = _("“%(value)s” is not an e-mail address.") % {"value": cell_text(value)}
        return {"email": ""}, [Issue("email", message)]
    if len(text) > MAX_LENGTHS["email"]:
        return {"email": ""}, [Issue("too_long", _("The e-mail address is too long."))]
    return {"email": text}, []


def _regency_code(value: Cell | None) -> tuple[str | None, list[Issue]]:
    text = cell_text(value)
    # An office suite stores 73.10 typed in a General cell as the number 73.1: a
    # regency code has two digits after the dot, so only 73.10 can have been meant.
    if _LOST_ZERO.match(text):
        text += "0"
    if not text:
        return None, [Issue("required", _("The regency/city code is required."))]
    match = _REGENCY_CODE.match(text)
    if match is None:
        message = _("“%(value)s” is not a regency/city code like 33.74 or 3374.") % {"value": text}
        return None, [Issue("regency_format", message)]
    return f"{match[1]}.{match[2]}", []


def _education(value: Cell | None) -> tuple[dict, list[Issue]]:
    if not cell_text(value):
        return {"education": ""}, []
    text = spreadsheet.normalise_label(cell_text(value)).removesuffix(" sederajat")
    level = EDUCATION_INDEX.get(text) or EDUCATION_INDEX.get(text.replace(" ", ""))
    if level is None:
        message = _("“%(value)s” is not a known education level.") % {"value": cell_text(value)}
        return {"education": ""}, [Issue("education", message)]
    return {"education": str(level)}, []


# --- headings -------------------------------------------------------------------------


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


# --- the whole file ----------------------------------------------------------------


@dataclass
class Checked:
    """Every row of a file, checked, plus what was noticed about the file itself."""

    rows: list[CheckedRow]
    notes: list[str]
    table: spreadsheet.Table

    @property
    def problems(self) -> Iterator[Problem]:
        """Every problem of every row, in row order."""
        for row in self.rows:
            yield from row.problems

    @property
    def invalid(self) -> list[CheckedRow]:
        return [r for r in self.rows if not r.ok]

    @property
    def new(self) -> list[CheckedRow]:
        """Valid rows not in the registry yet: what a write would create."""
        return [r for r in self.rows if r.ok and not r.existing]


Progress = Callable[[str, int, int], None]


def check_file(path: Path, *, scope: Scope, progress: Progress | None = None) -> Checked:
    """Read and check every row of ``path``; raises FileRefused for an unreadable file."""
    report = progress or (lambda phase, done, total: None)
    try:
        table = spreadsheet.read_table(path, preferred_sheets=PREFERRED_SHEETS)
    except SpreadsheetError as error:
        raise FileRefused(error.message) from error
    start = table.header_index()
    has_default = bool(scope.default_licence or scope.default_organisation_id)
    headings, unknown = map_headings(table.rows[start], licence_optional=has_default)
    checker = RowChecker(headings=headings, scope=scope)
    data = [(i, cells) for i, cells in enumerate(table.rows) if i > start]
    data = [(i, cells) for i, cells in data if not spreadsheet.is_blank_row(cells)]
    rows = []
    for done, (index, cells) in enumerate(data, start=1):
        rows.append(checker.check(index, cells))
        if done % PROGRESS_EVERY == 0:
            report(ImportJob.Phase.CHECKING, done, len(data))
    _mark_duplicates_in_file(rows, checker)
    _compare_with_registry(rows, checker)
    return Checked(rows=rows, notes=_notes(table, unknown), table=table)


def _notes(table: spreadsheet.Table, unknown: list[str]) -> list[str]:
    notes = []
    if table.sheet:
        notes.append(_("Sheet read: “%(sheet)s”.") % {"sheet": table.sheet})
    if table.hidden_sheets:
        names = ", ".join(table.hidden_sheets)
        notes.append(_("Hidden sheets were not read: %(names)s.") % {"names": names})
    if table.merged_ranges:
        notes.append(
            _(
                "Merged cells (%(ranges)s): only the first cell of a merged area holds a "
                "value, the others read as empty. Unmerge them and fill in every cell."
            )
            % {"ranges": ", ".join(table.merged_ranges[:20])}
        )
    if unknown:
        names = ", ".join(unknown)
        notes.append(_("Columns not recognised and ignored: %(names)s.") % {"names": names})
    return notes


def _mark_duplicates_in_file(rows: list[CheckedRow], checker: RowChecker) -> None:
    by_nik: dict[str, list[CheckedRow]] = defaultdict(list)
    for row in rows:
        if row.values.get("nik"):
            by_nik[row.values["nik"]].append(row)
    for same in by_nik.values():
        if len(same) < 2:
            continue
        for row in same:
            others = ", ".join(str(r.row) for r in same if r is not row)
            message = _("The same NIK is also on row(s) %(rows)s.") % {"rows": others}
            issue = Issue("duplicate_in_file", message, field="nik")
            row.problems.append(_problem_for(checker, row, issue))


def _problem_for(checker: RowChecker, row: CheckedRow, issue: Issue) -> Problem:
    column, heading = checker.headings[issue.field]
    value = row.values.get(issue.field) or ""
    return Problem(
        row=row.row,
        field=issue.field,
        heading=heading,
        cell=spreadsheet.cell_ref(row.row - 1, column),
        value=str(value),
        severity=issue.severity,
        code=issue.code,
        message=issue.message,
        fix=fix_for(issue.code),
    )


def _compare_with_registry(rows: list[CheckedRow], checker: RowChecker) -> None:
    """Rows whose NIK is registered: identical data is fine, anything else an error."""
    candidates = {r.values["nik"]: r for r in rows if r.ok and r.values.get("nik")}
    niks = list(candidates)
    for start in range(0, len(niks), BATCH_SIZE):
        chunk = niks[start : start + BATCH_SIZE]
        found = Participant.objects.filter(nik__in=chunk).values("nik", *COMPARED_FIELDS)
        for existing in found:
            _judge_existing(candidates[existing["nik"]], existing, checker)


def _judge_existing(row: CheckedRow, existing: dict[str, Any], checker: RowChecker) -> None:
    differing = [f for f in COMPARED_FIELDS if (row.values.get(f) or "") != (existing[f] or "")]
    if not differing:
        row.existing = True
        message = _("Already registered with the same data; nothing changed.")
        row.problems.append(
            _problem_for(checker, row, Issue("already_registered", message, "info", "nik"))
        )
        return
    own = existing["sending_organisation_id"] == row.values.get("sending_organisation_id")
    message = _("A participant with this NIK is already registered with different data.")
    if own:
        labels = ", ".join(COLUMN_BY_FIELD[_column_of(f)].heading_en for f in differing)
        message += " " + _("Different: %(fields)s.") % {"fields": labels}
    issue = Issue("registered_differently", message, field="nik")
    row.problems.append(_problem_for(checker, row, issue))


def _column_of(model_field: str) -> str:
    return {"regency_id": "regency_code", "sending_organisation_id": LICENCE}.get(
        model_field, model_field
    )
