"""Checks shared by every path that writes a participant: forms, API, services.

One place decides what a valid record is, so that a page, the API and the
service refuse the same input with the same words.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core import age_rules, region_history
from jembatan.core.nik import NikCheck, check_nik
from jembatan.core.phone import PhoneError, normalize_id_phone
from jembatan.core.regions import region_exists
from jembatan.participants.errors import ParticipantErrorCode

_NOT_LETTERS = re.compile(r"[^\w\s]|_|\d")
_SPACES = re.compile(r"\s+")
PASSPORT_PATTERN = re.compile(r"^[A-Z][A-Z0-9]{6,8}$")


def check_identity(
    nik: object,
    *,
    birth_date: dt.date | None,
    sex: str | None,
    exists: Callable[[str], bool] | None = None,
) -> NikCheck:
    """The NIK checked against the declared birth date and sex and the reference regions
    (today's, or a code retired since the NIK was issued: ``core/region_history.py``)."""
    exists = exists or known_now_or_then
    declared_sex = sex if sex in ("M", "F") else None
    return check_nik(
        nik,
        declared_birth_date=birth_date,
        declared_sex=declared_sex,
        region_exists=exists,
        today=timezone.localdate(),
    )


def known_now_or_then(code: str) -> bool:
    """A region the reference regions know, or a regency code retired since (a NIK keeps it)."""
    regency = ".".join(code.split(".")[:2])
    return region_exists(code) or regency in region_history.retired_codes()


def identity_errors(check: NikCheck) -> dict[str, list[str]]:
    """The check's errors by form field (``nik``, ``birth_date`` or ``sex``)."""
    errors: dict[str, list[str]] = {}
    for problem in check.errors:
        errors.setdefault(problem.field, []).append(str(problem.message))
    return errors


def nik_mismatch(check: NikCheck) -> str:
    """What the NIK disagrees with (``birth_date``, ``sex``, both space-separated, or "")."""
    return " ".join(sorted({problem.field for problem in check.to_confirm}))


def nik_mismatch_refusal(check: NikCheck) -> ValidationError:
    """The disagreements by field, with what to do: confirm with a reason, or correct."""
    advice = _(
        "A NIK is not reissued when a birth date or sex is corrected in the civil registry. "
        "If the identity card shows this NIK and what you entered is right, state why in "
        "“Why the NIK may disagree” and save again; otherwise correct the entry."
    )
    errors: dict[str, list[ValidationError]] = {}
    for problem in check.to_confirm:
        errors.setdefault(problem.field, []).append(
            ValidationError(
                f"{problem.message} {advice}", code=ParticipantErrorCode.NIK_MISMATCH_UNCONFIRMED
            )
        )
    return ValidationError(errors)


def identity_warnings(check: NikCheck) -> list[str]:
    """What the user should look at although the record may be saved, with what a retired
    region code in the NIK meant when it was issued."""
    warnings = [str(problem.message) for problem in check.warnings]
    if check.decoded is not None:
        try:
            born = check.decoded.birth_date(today=timezone.localdate())
        except ValueError:
            return warnings
        note = issued_region_note(check.nik, born)
        if note:
            warnings.append(note)
    return warnings


def normalise_name(name: str) -> str:
    """A name reduced for comparison: no accents, case, punctuation or extra spaces.

    ``"Siti  Rahayu"``, ``"SITI RAHAYU"`` and ``"Siti Rahayu."`` are one name.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", _NOT_LETTERS.sub(" ", plain.casefold())).strip()


def clean_phone(value: str) -> str:
    """The E.164 form of an Indonesian number, or a ValidationError saying what is wrong."""
    if not value.strip():
        return ""
    try:
        return normalize_id_phone(value)
    except PhoneError as error:
        raise ValidationError(str(error.message), code=error.code) from None


def clean_passport_number(value: str) -> str:
    """Upper case without spaces; Indonesian passports are a letter and 7-8 characters."""
    number = re.sub(r"[\s-]+", "", value).upper()
    if number and not PASSPORT_PATTERN.match(number):
        raise ValidationError(
            _(
                "A passport number is a letter followed by 6 to 8 letters or digits, "
                "e.g. C1234567, as printed on the passport's data page."
            ),
            code=ParticipantErrorCode.PASSPORT_NUMBER,
        )
    return number


def check_birth_date(value: dt.date) -> None:
    """A birth date in the future is a typing mistake; a minor may not be registered."""
    today = timezone.localdate()
    if value > today:
        raise ValidationError(
            _("The date of birth cannot be in the future."),
            code=ParticipantErrorCode.BIRTH_DATE_IN_FUTURE,
        )
    too_young = age_rules.registration_problem(value, today)
    if too_young:
        raise ValidationError(too_young, code=ParticipantErrorCode.TOO_YOUNG)


def regency_contradiction(nik: str | None, regency_code: str | None) -> str | None:
    """Why ``regency_code`` contradicts where the NIK was issued (None: it does not).

    People move, so a contradiction is not an error in itself: the page and the API
    accept it once someone confirms it (and the record keeps the confirmation); an
    import refuses it, since nobody is there to confirm.
    """
    if not nik or not regency_code or len(nik) != 16 or not nik.isdigit():
        return None
    issued = nik_regency_today(nik)
    if issued is None or issued == regency_code or not region_exists(issued):
        return None  # a region missing from the reference data is the NIK check's warning
    return _(
        "The NIK was issued in %(issued)s (%(issued_code)s), but %(chosen)s (%(chosen_code)s) "
        "was given as the regency/city. If the person has moved, confirm that they live "
        "elsewhere than their NIK says; otherwise give %(issued_code)s."
    ) % {
        "issued": region_name(issued),
        "issued_code": issued,
        "chosen": region_name(regency_code),
        "chosen_code": regency_code,
    }


def nik_regency_today(nik: str) -> str | None:
    """The regency code the NIK's region part stands for today: itself, or the one code a
    retired code became (``91.04``, Nabire before 2022, is ``94.01``); None if it split."""
    code = f"{nik[0:2]}.{nik[2:4]}"
    retired = region_history.retired_codes().get(code)
    if retired is None:
        return code
    return retired.successors[0] if len(retired.successors) == 1 else None


def region_name(code: str) -> str:
    """A region's name from the reference table, or its code if it is unknown."""
    from jembatan.core.models import Region

    found = Region.objects.filter(code=code).values_list("name", flat=True).first()
    return found or code


def issued_region_note(nik: str | None, birth_date: dt.date | None) -> str:
    """What a retired region code in the NIK meant when it was issued ("" if nothing to say)."""
    if not nik or len(nik) != 16 or not nik.isdigit() or birth_date is None:
        return ""
    issued = region_history.issued_region(f"{nik[0:2]}.{nik[2:4]}", birth_date)
    return issued.note if issued else ""
