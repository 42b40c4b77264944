"""Check, decode and build NIKs (Nomor Induk Kependudukan).

A NIK is 16 digits, ``PP RR DD DDMMYY SSSS``: province, regency/city,
district, birth date (40 is added to the day for women) and a serial that is
never ``0000``. The region part says where the card was first issued, so a
region we do not know is only a warning. The date and sex parts should agree
with what the person declared, but a NIK is never reissued when a birth date or
sex is corrected in the civil registry, so a disagreement is not an error: its
severity is ``confirm``, something an officer confirms with a reason
(``participants/validation.py`` and the registry's services decide how).

NIKs usually reach us through spreadsheets, and Excel stores numbers with 15
significant digits: a NIK typed into a General-formatted cell loses its last
digit and is shown as ``3.17101E+15``. :func:`check_nik` recognises those
shapes and tells the user how to fix the file, instead of a bare "not 16
digits".

This module is pure Python. Messages are lazy translations so that they are
rendered in the reader's language and so that importing or checking needs no
Django settings; callers and tests should branch on ``NikProblem.code``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Literal

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

NIK_LENGTH = 16
FEMALE_DAY_OFFSET = 40
# Floats represent every integer exactly only up to 2**53 (about 9.007e15);
# NIKs of the Papua provinces (91..96) lie above it, so such a float may
# already have been rounded and cannot be trusted.
_FLOAT_EXACT_LIMIT = 2**53

# error: not a NIK; confirm: the NIK disagrees with the declared birth date or sex, which
# happens to real people (an officer confirms it); warning: worth a look, never blocks.
Severity = Literal["error", "confirm", "warning"]
Sex = Literal["M", "F"]
Message = str | Promise

_SCIENTIFIC = re.compile(r"^(?P<int>\d)(?:[.,](?P<frac>\d*))?[eE]\+?(?P<exp>\d{1,3})$")
_INTEGRAL_DECIMAL = re.compile(r"^(?P<int>\d+)[.,]0+$")
_INNER_SPACES = re.compile(r"\s+")
_SEX_ALIASES: dict[str, Sex] = {"M": "M", "L": "M", "F": "F", "P": "F"}
_PART_NAMES = {"day": _("day"), "month": _("month"), "year": _("year")}


def _interpolate(template: Message, params: dict[str, object]) -> str:
    """Render ``template % params`` in the active language at display time."""
    return str(template) % params


# Lazy so that building a problem never touches translation machinery (and
# so never needs Django settings); it is rendered when shown.
_lazy_interpolate = lazy(_interpolate, str)


@dataclass(frozen=True)
class NikProblem:
    """One thing wrong (error) or suspicious (warning) about a NIK."""

    code: str
    field: str
    message: Message
    severity: Severity = "error"


@dataclass(frozen=True)
class DecodedNik:
    """The parts of a 16-digit NIK, read without judging them."""

    nik: str
    province_code: str
    regency_code: str
    district_code: str
    birth_day: int
    birth_month: int
    birth_year_2digits: int
    sex: Sex
    serial: str

    def birth_date_candidates(self) -> list[date]:
        """Real dates the DDMMYY part can mean; the NIK does not say the century."""
        candidates = []
        for century in (1900, 2000):
            try:
                candidates.append(
                    date(
                        century + self.birth_year_2digits,
                        self.birth_month,
                        self.birth_day,
                    )
                )
            except ValueError:
                continue
        return candidates

    def birth_date(self, *, today: date) -> date:
        """The one candidate that makes the person born by ``today`` and under 100.

        Raises ``ValueError`` when no candidate fits (an impossible day or
        month, or 29 February in a century year that was not a leap year).
        """
        for candidate in sorted(self.birth_date_candidates(), reverse=True):
            if candidate <= today and _age(candidate, today) < 100:
                return candidate
        raise ValueError(f"NIK {self.nik} has no plausible birth date")


@dataclass(frozen=True)
class NikCheck:
    """The outcome of :func:`check_nik`.

    ``nik`` is the cleaned 16-digit string when the value could be read as
    one; ``decoded`` is set whenever ``nik`` is, even if other checks failed,
    so that a form can still show what the NIK says.
    """

    nik: str | None
    decoded: DecodedNik | None
    problems: list[NikProblem] = field(default_factory=list)

    @property
    def errors(self) -> list[NikProblem]:
        """Problems that make the NIK unacceptable."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def to_confirm(self) -> list[NikProblem]:
        """Disagreements with the declared birth date or sex, which an officer confirms."""
        return [p for p in self.problems if p.severity == "confirm"]

    @property
    def warnings(self) -> list[NikProblem]:
        """Problems worth showing that do not block saving."""
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when there are no errors (disagreements to confirm and warnings allowed)."""
        return not self.errors

    @property
    def codes(self) -> list[str]:
        """Problem codes in order, handy for callers and tests."""
        return [p.code for p in self.problems]


# --- public API -------------------------------------------------------------


def check_nik(
    value: object,
    *,
    declared_birth_date: date | None = None,
    declared_sex: str | None = None,
    region_exists: Callable[[str], bool] | None = None,
    today: date | None = None,
) -> NikCheck:
    """Check a NIK as typed or imported, against what the person declared.

    ``value`` may be a string or a number straight from a spreadsheet cell.
    ``declared_sex`` is ``M``/``F`` (``L``/``P``, Laki-laki/Perempuan, are
    accepted too); any other value raises ``ValueError``, since it is the
    caller's field to validate, not the NIK's. ``region_exists`` is called
    with dotted codes from broad to narrow (``31``, ``31.71``, ``31.71.01``);
    the first it rejects becomes an ``unknown_region`` warning. ``today``
    defaults to the current date and decides the century of the two-digit
    birth year.
    """
    nik, problems = _read_value(value)
    if nik is None:
        return NikCheck(nik=None, decoded=None, problems=problems)
    decoded = decode_nik(nik)
    reference = today or date.today()
    problems += _structure_problems(decoded, reference)
    problems += _declared_problems(decoded, declared_birth_date, declared_sex, reference)
    if region_exists is not None:
        problems += _region_problems(decoded, region_exists)
    return NikCheck(nik=nik, decoded=decoded, problems=problems)


def decode_nik(nik: str) -> DecodedNik:
    """Split a 16-digit string into its parts; no validation beyond shape."""
    if len(nik) != NIK_LENGTH or not nik.isdigit() or not nik.isascii():
        raise ValueError("decode_nik needs exactly 16 ASCII digits")
    raw_day = int(nik[6:8])
    return DecodedNik(
        nik=nik,
        province_code=nik[0:2],
        regency_code=f"{nik[0:2]}.{nik[2:4]}",
        district_code=f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}",
        birth_day=raw_day - FEMALE_DAY_OFFSET if raw_day > FEMALE_DAY_OFFSET else raw_day,
        birth_month=int(nik[8:10]),
        birth_year_2digits=int(nik[10:12]),
        sex="F" if raw_day > FEMALE_DAY_OFFSET else "M",
        serial=nik[12:16],
    )


def encode_nik(*, regency_code: str, district: int, birth_date: date, sex: str, serial: int) -> str:
    """Build a NIK; used by demo data and tests, so it refuses impossible input."""
    province, _dot, regency = regency_code.partition(".")
    if not (len(province) == 2 and len(regency) == 2 and (province + regency).isdigit()):
        raise ValueError(f"regency_code must look like '33.74', got {regency_code!r}")
    if not 1 <= district <= 99:
        raise ValueError(f"district must be 1..99, got {district}")
    if not 1 <= serial <= 9999:
        raise ValueError(f"serial must be 1..9999, got {serial}")
    day = birth_date.day + (FEMALE_DAY_OFFSET if normalise_sex(sex) == "F" else 0)
    ddmmyy = f"{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}"
    return f"{province}{regency}{district:02d}{ddmmyy}{serial:04d}"


def normalise_sex(value: str) -> Sex:
    """Map M/F (and Indonesian L/P) in any case to ``M`` or ``F``."""
    try:
        return _SEX_ALIASES[value.strip().upper()]
    except KeyError:
        raise ValueError(f"sex must be M/F (or L/P), got {value!r}") from None


# --- reading the raw value --------------------------------------------------


def _read_value(value: object) -> tuple[str | None, list[NikProblem]]:
    """Turn whatever arrived into 16 digits, or say why it cannot be."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, [_problem("empty", _("NIK is required."))]
    if isinstance(value, bool):
        return None, [_not_digits(str(value))]
    if isinstance(value, (int, float, Decimal)):
        return _read_number(value)
    if isinstance(value, str):
        return _read_text(value)
    return None, [_not_digits(str(value))]


def _read_text(value: str) -> tuple[str | None, list[NikProblem]]:
    """Read a typed or exported string: digits with optional spaces, or Excel shapes."""
    text = _INNER_SPACES.sub("", value)
    if text.isdigit() and text.isascii():
        return _check_length(text), _length_problems(text)
    if scientific := _SCIENTIFIC.match(text):
        return _read_scientific(scientific)
    if integral := _INTEGRAL_DECIMAL.match(text):
        digits = integral["int"]
        return _check_length(digits), _length_problems(digits) or [_excel_number()]
    return None, [_not_digits(text)]


def _check_length(digits: str) -> str | None:
    """The digits if they have the length of a NIK, else None."""
    return digits if len(digits) == NIK_LENGTH else None


def _length_problems(digits: str) -> list[NikProblem]:
    """A ``wrong_length`` problem unless there are exactly 16 digits."""
    if len(digits) == NIK_LENGTH:
        return []
    message = _lazy_interpolate(_("NIK must be 16 digits; got %(count)d."), {"count": len(digits)})
    return [_problem("wrong_length", message)]


def _read_scientific(match: re.Match[str]) -> tuple[str | None, list[NikProblem]]:
    """Read ``3.17101E+15``-style text, which Excel writes for long numbers."""
    mantissa = match["int"] + (match["frac"] or "")
    total_digits = int(match["exp"]) + 1
    if total_digits != NIK_LENGTH or len(mantissa) > NIK_LENGTH:
        return None, [_excel_scientific(match.string)]
    if len(mantissa) < NIK_LENGTH:
        return None, [_digits_lost(match.string, significant=len(mantissa))]
    return mantissa, [_excel_number()]


def _read_number(value: float | Decimal) -> tuple[str | None, list[NikProblem]]:
    """Read a spreadsheet cell that arrived as a number instead of text.

    Excel keeps 15 significant digits, so a number can hold a NIK exactly
    only by luck; when the last four digits are zeros (an impossible serial)
    the digits were certainly lost, otherwise we accept it with a warning.
    """
    if isinstance(value, float) and value.is_integer() and value >= _FLOAT_EXACT_LIMIT:
        return None, [_digits_lost(repr(value), significant=15)]
    digits = _integral_digits(value)
    if digits is None:
        return None, [_not_digits(str(value))]
    if len(digits) != NIK_LENGTH:
        return None, _length_problems(digits)
    significant = len(digits.rstrip("0"))
    if significant <= NIK_LENGTH - 4:
        return None, [_digits_lost(str(value), significant=significant)]
    return digits, [_excel_number()]


def _integral_digits(value: float | Decimal) -> str | None:
    """The decimal digits of a non-negative whole number, else None."""
    try:
        number = Decimal(value)
        if not number.is_finite() or number < 0 or number != number.to_integral_value():
            return None
    except (InvalidOperation, ValueError):
        return None
    return str(int(number))


# --- checks on a 16-digit NIK -----------------------------------------------


def _structure_problems(decoded: DecodedNik, today: date) -> list[NikProblem]:
    """Problems visible from the NIK alone: impossible date, zero serial."""
    problems = []
    if not _has_plausible_birth_date(decoded, today):
        message = _lazy_interpolate(
            _(
                "The birth date part of the NIK (%(ddmmyy)s) is not a real date; "
                "the day is 01-31 for men and 41-71 for women, the month 01-12."
            ),
            {"ddmmyy": decoded.nik[6:12]},
        )
        problems.append(_problem("bad_birth_date", message))
    if decoded.serial == "0000":
        problems.append(_problem("serial_zero", _("The last four digits of a NIK are never 0000.")))
    return problems


def _has_plausible_birth_date(decoded: DecodedNik, today: date) -> bool:
    """Whether the DDMMYY part names a real date in the last 100 years."""
    try:
        decoded.birth_date(today=today)
    except ValueError:
        return False
    return True


def _declared_problems(
    decoded: DecodedNik, birth_date: date | None, sex: str | None, today: date
) -> list[NikProblem]:
    """Disagreements between the NIK and the declared birth date and sex."""
    problems = []
    if birth_date is not None and _has_plausible_birth_date(decoded, today):
        problems += _birth_date_problems(decoded, birth_date)
    if sex is not None and _day_part_shows_sex(decoded) and normalise_sex(sex) != decoded.sex:
        problems.append(_sex_mismatch(decoded))
    return problems


def _day_part_shows_sex(decoded: DecodedNik) -> bool:
    """Day parts 00, 32-40 and 72+ fit neither rule; ``bad_birth_date`` covers them."""
    return 1 <= decoded.birth_day <= 31


def _birth_date_problems(decoded: DecodedNik, declared: date) -> list[NikProblem]:
    """A ``birth_date_mismatch`` naming the first part that disagrees.

    When only day and month are swapped (a spreadsheet read in another locale turns
    05/03 into 3 May), the message says so instead.
    """
    swapped = (
        decoded.birth_day == declared.month
        and decoded.birth_month == declared.day
        and decoded.birth_day != decoded.birth_month
        and decoded.birth_year_2digits == declared.year % 100
    )
    if swapped:
        return [_swapped_day_and_month(decoded, declared)]
    parts = (
        ("day", decoded.birth_day, declared.day),
        ("month", decoded.birth_month, declared.month),
        ("year", decoded.birth_year_2digits, declared.year % 100),
    )
    for part, in_nik, in_declared in parts:
        if in_nik != in_declared:
            return [_birth_date_mismatch(part, in_nik, in_declared)]
    return []


def _birth_date_mismatch(part: str, in_nik: int, in_declared: int) -> NikProblem:
    """Say which part of the birth date disagrees and both values."""
    message = _lazy_interpolate(
        _(
            "The birth %(part)s in the NIK (%(in_nik)02d) does not match "
            "the declared birth date (%(declared)02d)."
        ),
        {"part": _PART_NAMES[part], "in_nik": in_nik, "declared": in_declared},
    )
    return _problem("birth_date_mismatch", message, field_name="birth_date", severity="confirm")


def _swapped_day_and_month(decoded: DecodedNik, declared: date) -> NikProblem:
    """Day and month are swapped: most likely a date format of another locale."""
    message = _lazy_interpolate(
        _(
            "The birth date looks like day and month are swapped: the NIK says %(in_nik)s "
            "(day %(day)02d, month %(month)02d), the date given is %(declared)s. Check the "
            "date format of the column (day/month/year) and correct the date."
        ),
        {
            "in_nik": f"{decoded.birth_day:02d}-{decoded.birth_month:02d}",
            "day": decoded.birth_day,
            "month": decoded.birth_month,
            "declared": declared.isoformat(),
        },
    )
    return _problem("birth_date_mismatch", message, field_name="birth_date", severity="confirm")


def _sex_mismatch(decoded: DecodedNik) -> NikProblem:
    """Explain the day+40 rule, since users rarely know it."""
    raw_day = decoded.nik[6:8]
    if decoded.sex == "F":
        template = _(
            "The NIK's day part (%(day)s) is the birth day plus 40, "
            "which marks a woman, but the declared sex is male."
        )
    else:
        template = _(
            "The NIK's day part (%(day)s) is below 41, which marks a man, "
            "but the declared sex is female (women have 40 added to the day)."
        )
    message = _lazy_interpolate(template, {"day": raw_day})
    return _problem("sex_mismatch", message, field_name="sex", severity="confirm")


def _region_problems(decoded: DecodedNik, region_exists: Callable[[str], bool]) -> list[NikProblem]:
    """Warn about the broadest region code the reference data does not know."""
    for code in (decoded.province_code, decoded.regency_code, decoded.district_code):
        if not region_exists(code):
            message = _lazy_interpolate(
                _(
                    "Region code %(code)s in the NIK is not in the region list. "
                    "This can be right for an old card; please check the NIK."
                ),
                {"code": code},
            )
            return [_problem("unknown_region", message, severity="warning")]
    return []


# --- problem builders -------------------------------------------------------


def _problem(
    code: str,
    message: Message,
    *,
    field_name: str = "nik",
    severity: Severity = "error",
) -> NikProblem:
    """Shorthand used by every check above."""
    return NikProblem(code=code, field=field_name, message=message, severity=severity)


def _not_digits(text: str) -> NikProblem:
    """Name the first character that is not a digit or a space."""
    offending = next((c for c in text if not (c.isascii() and c.isdigit())), text[:1])
    message = _lazy_interpolate(
        _("NIK may contain only digits (spaces between groups are allowed); found “%(char)s”."),
        {"char": offending},
    )
    return _problem("not_digits", message)


def _digits_lost(text: str, *, significant: int) -> NikProblem:
    """Excel turned the NIK into a number; the missing digits cannot be recovered."""
    message = _lazy_interpolate(
        _(
            "Excel converted this NIK to a number (%(value)s) and kept only "
            "%(significant)d of its 16 digits, so the rest are lost. Format the "
            "NIK column as Text, type the NIKs again (or export again from the "
            "source system) and re-import the file."
        ),
        {"value": text, "significant": significant},
    )
    return _problem("digits_lost", message)


def _excel_scientific(text: str) -> NikProblem:
    """Scientific notation that is not even 16 digits long."""
    message = _lazy_interpolate(
        _(
            "“%(value)s” is a number in scientific notation, not a NIK. Format "
            "the NIK column as Text in the spreadsheet and enter the 16 digits."
        ),
        {"value": text},
    )
    return _problem("excel_scientific", message)


def _excel_number() -> NikProblem:
    """All 16 digits survived, but the file stores NIKs as numbers."""
    message = _(
        "This NIK was stored as a number in the spreadsheet. Excel keeps only 15 "
        "digits of a number, so check the last digit against the card and format "
        "the NIK column as Text."
    )
    return _problem("excel_number", message, severity="warning")


def _age(birth_date: date, today: date) -> int:
    """Age in completed years on ``today``."""
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - before_birthday
