"""Checking one cell at a time: each checker returns (clean values, issues)."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from jembatan.core import age_rules, spreadsheet
from jembatan.core.phone import PhoneError, normalize_id_phone
from jembatan.core.spreadsheet import Cell, CellDateError, cell_text
from jembatan.participants.import_checks.problems import Issue
from jembatan.participants.models import Education, Sex

FORMULA_STARTS = ("=", "+", "-", "@")
MAX_LENGTHS = {"full_name": 150, "birth_place": 100, "email": 254, "address": 1000}

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


def check_text(name: str, value: Cell | None, *, required: bool) -> tuple[dict, list[Issue]]:
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


def check_sex(value: Cell | None) -> tuple[dict, list[Issue]]:
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


def check_birth_date(value: Cell | None, today: dt.date) -> tuple[dt.date | None, list[Issue]]:
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


def check_phone(value: Cell | None) -> tuple[dict, list[Issue]]:
    text = cell_text(value)
    if not text:
        return {"phone": ""}, []
    try:
        return {"phone": normalize_id_phone(text)}, []
    except PhoneError as error:
        return {"phone": ""}, [Issue("phone", str(error.message))]


def check_email(value: Cell | None) -> tuple[dict, list[Issue]]:
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


def check_regency_code(value: Cell | None) -> tuple[str | None, list[Issue]]:
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


def check_education(value: Cell | None) -> tuple[dict, list[Issue]]:
    if not cell_text(value):
        return {"education": ""}, []
    text = spreadsheet.normalise_label(cell_text(value)).removesuffix(" sederajat")
    level = EDUCATION_INDEX.get(text) or EDUCATION_INDEX.get(text.replace(" ", ""))
    if level is None:
        message = _("“%(value)s” is not a known education level.") % {"value": cell_text(value)}
        return {"education": ""}, [Issue("education", message)]
    return {"education": str(level)}, []
