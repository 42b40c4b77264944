"""Indonesian phone numbers: store E.164, accept what people type.

People write ``0812-3456-7890``, ``62812 3456 7890``, ``+62 (0)812-3456-7890``
or ``(0812) 34567890``; the database keeps ``+6281234567890`` so that one
person has one spelling (for de-duplication and for SMS/WhatsApp gateways).
Only Indonesian numbers are accepted: participants and officials register
with Indonesian numbers, and a foreign number is more often a typo than not.

Messages are lazy translations; callers branch on ``PhoneError.code``.
"""

from __future__ import annotations

import re

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

COUNTRY_CODE = "62"
MOBILE_LENGTHS = range(10, 14)  # national digits, with the leading 0
LANDLINE_LENGTHS = range(8, 13)  # 0 + area code (2-3) + subscriber (5-8)
# Big cities have two-digit area codes; everywhere else has three.
_TWO_DIGIT_AREA_CODES = frozenset({"21", "22", "24", "31", "61"})
_MOBILE_GROUPS = {10: (4, 3, 3), 11: (4, 3, 4), 12: (4, 4, 4), 13: (4, 4, 5)}
_SEPARATORS = re.compile(r"[\s\-.()/]+")

Message = str | Promise


def _interpolate(template: Message, params: dict[str, object]) -> str:
    """Render ``template % params`` in the active language at display time."""
    return str(template) % params


_lazy_interpolate = lazy(_interpolate, str)


class PhoneError(ValueError):
    """A value that is not an Indonesian phone number; ``code`` says why."""

    def __init__(self, code: str, message: Message) -> None:
        super().__init__(code)
        self.code = code
        self.message = message


def normalize_id_phone(value: str) -> str:
    """Return the E.164 form (``+6281234567890``) of an Indonesian number."""
    national = _national_digits(value)
    _check_national(national)
    return f"+{COUNTRY_CODE}{national[1:]}"


def format_id_phone_national(value: str) -> str:
    """Show a number the way Indonesians write it: ``0812-3456-7890``.

    Landlines come out as ``(021) 1234-5678``. Accepts anything
    :func:`normalize_id_phone` accepts, so stored and typed values both work.
    """
    national = "0" + normalize_id_phone(value)[1 + len(COUNTRY_CODE) :]
    if national.startswith("08"):
        return _group_mobile(national)
    return _group_landline(national)


def _national_digits(value: str) -> str:
    """Strip separators and the country code, giving ``0...`` digits."""
    text = _SEPARATORS.sub("", value.strip()) if isinstance(value, str) else ""
    has_plus = text.startswith("+")
    digits = text[1:] if has_plus else text
    if not digits:
        raise PhoneError("empty", _("Phone number is required."))
    if not (digits.isdigit() and digits.isascii()):
        raise _bad_character(digits)
    if has_plus or digits.startswith("00"):
        return _after_country_code(digits.removeprefix("00"))
    if digits.startswith(COUNTRY_CODE) and len(digits) >= 10:
        return _after_country_code(digits)
    # "812 3456 7890": the leading zero is often left off mobile numbers.
    return digits if digits.startswith("0") else "0" + digits


def _after_country_code(international: str) -> str:
    """Turn ``62...`` into ``0...``; anything else is a foreign number."""
    if not international.startswith(COUNTRY_CODE):
        raise PhoneError(
            "not_indonesian",
            _("Only Indonesian phone numbers (+62) are accepted."),
        )
    rest = international[len(COUNTRY_CODE) :]
    # "+62 (0)812..." and "+62 0812..." are common; the 0 does not belong.
    return rest if rest.startswith("0") else "0" + rest


def _check_national(national: str) -> None:
    """Mobile numbers are 08 + 8..11 digits; landlines 0 + area + subscriber."""
    # 00/01 never start a national number; 080x is toll-free/premium, not a person.
    if national == "0" or national.startswith(("00", "01", "080")):
        raise PhoneError(
            "not_indonesian",
            _("This does not look like an Indonesian phone number."),
        )
    allowed = MOBILE_LENGTHS if national.startswith("08") else LANDLINE_LENGTHS
    if len(national) not in allowed:
        raise _wrong_length(national, allowed)


def _wrong_length(national: str, allowed: range) -> PhoneError:
    """Say how many digits were found and how many are expected."""
    message = _lazy_interpolate(
        _(
            "Phone number %(number)s has %(count)d digits; Indonesian numbers "
            "of this kind have %(low)d to %(high)d digits, starting with 0."
        ),
        {
            "number": national,
            "count": len(national),
            "low": allowed.start,
            "high": allowed.stop - 1,
        },
    )
    return PhoneError("wrong_length", message)


def _bad_character(digits: str) -> PhoneError:
    """Name the first character that is neither a digit nor a separator."""
    offending = next((c for c in digits if not (c.isascii() and c.isdigit())), "")
    message = _lazy_interpolate(
        _(
            "Phone number may contain only digits, spaces, dashes, brackets "
            "and a leading +; found “%(char)s”."
        ),
        {"char": offending},
    )
    return PhoneError("bad_character", message)


def _group_mobile(national: str) -> str:
    """``0812-3456-7890``; shorter and longer numbers keep the 4-digit prefix."""
    sizes = _MOBILE_GROUPS[len(national)]
    blocks, start = [], 0
    for size in sizes:
        blocks.append(national[start : start + size])
        start += size
    return "-".join(blocks)


def _group_landline(national: str) -> str:
    """``(021) 1234-5678``: area code in brackets, then the subscriber number."""
    area_length = 3 if national[1:3] in _TWO_DIGIT_AREA_CODES else 4
    area, subscriber = national[:area_length], national[area_length:]
    if len(subscriber) >= 8:
        subscriber = f"{subscriber[:4]}-{subscriber[4:]}"
    return f"({area}) {subscriber}"
