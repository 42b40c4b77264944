"""Indonesian phone numbers: what people type becomes E.164.

Runs without Django settings (``-p no:django``); assertions use error codes.
"""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jembatan.core.phone import PhoneError, format_id_phone_national, normalize_id_phone


@pytest.mark.parametrize(
    "typed",
    [
        "0812-3456-7890",
        "62812 3456 7890",
        "+62 812-3456-7890",
        "(0812) 34567890",
        "+62 (0)812-3456-7890",
        "0062 812 3456 7890",
        "812 3456 7890",
        " 0812.3456.7890 ",
    ],
)
def test_common_ways_of_typing_a_mobile_number_give_the_same_e164(typed: str) -> None:
    assert normalize_id_phone(typed) == "+6281234567890"


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("0811-234-567", "+62811234567"),  # 10 digits, an early Telkomsel number
        ("0857 1234 56789", "+62857123456789"),  # 13 digits
        ("(021) 1234-5678", "+622112345678"),  # Jakarta landline
        ("0274 512345", "+62274512345"),  # Yogyakarta landline
    ],
)
def test_short_and_long_mobiles_and_landlines_are_accepted(typed: str, e164: str) -> None:
    assert normalize_id_phone(typed) == e164


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "empty"),
        ("  ", "empty"),
        ("+ ()", "empty"),
        ("+1 212 555 1234", "not_indonesian"),
        ("+65 8123 4567", "not_indonesian"),
        ("0800 123 4567", "not_indonesian"),  # toll-free, not a person
        ("0123456789", "not_indonesian"),
        ("0812 345", "wrong_length"),
        ("0812 3456 7890 12", "wrong_length"),
        ("021 123", "wrong_length"),
        ("0812-3456-789O", "bad_character"),
        ("+62+812", "bad_character"),
        ("ext. 12", "bad_character"),
    ],
)
def test_numbers_that_are_not_indonesian_phones_raise_a_phone_error_with_a_code(
    typed: str, code: str
) -> None:
    with pytest.raises(PhoneError) as raised:
        normalize_id_phone(typed)

    assert raised.value.code == code
    assert raised.value.message is not None


def test_phone_error_is_a_value_error_so_forms_and_validators_catch_it() -> None:
    with pytest.raises(ValueError):
        normalize_id_phone("12")


@pytest.mark.parametrize(
    ("value", "national"),
    [
        ("+6281234567890", "0812-3456-7890"),
        ("+62811234567", "0811-234-567"),
        ("+628123456789", "0812-345-6789"),
        ("+62857123456789", "0857-1234-56789"),
        ("+622112345678", "(021) 1234-5678"),
        ("+62274512345", "(0274) 512345"),
        ("0812 3456 7890", "0812-3456-7890"),
    ],
)
def test_national_format_is_how_indonesians_write_the_number(value: str, national: str) -> None:
    assert format_id_phone_national(value) == national


mobile_numbers = st.builds(
    lambda prefix, rest: f"08{prefix}{rest}",
    st.sampled_from(["11", "12", "13", "21", "52", "57", "59", "77", "78", "95", "99", "81"]),
    st.text(alphabet=string.digits, min_size=6, max_size=9),
)


@given(mobile_numbers, st.sampled_from(["", " ", "-", "."]))
def test_any_mobile_number_survives_format_and_normalize_unchanged(
    number: str, separator: str
) -> None:
    typed = separator.join([number[:4], number[4:8], number[8:]])
    e164 = normalize_id_phone(typed)

    assert e164 == "+62" + number[1:]
    assert normalize_id_phone(format_id_phone_national(e164)) == e164


@given(st.text(max_size=30))
def test_any_text_either_normalizes_to_e164_or_raises_phone_error(text: str) -> None:
    try:
        e164 = normalize_id_phone(text)
    except PhoneError:
        return
    assert e164.startswith("+62") and e164[1:].isdigit()
