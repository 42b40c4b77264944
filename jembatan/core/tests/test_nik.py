"""NIK checking, decoding and encoding.

Runs without Django settings (``-p no:django``): messages are lazy and never
rendered here, so the tests assert on problem codes.
"""

from __future__ import annotations

import string
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jembatan.core.nik import check_nik, decode_nik, encode_nik

TODAY = date(2025, 6, 1)
MAN_1945 = "3171011708450001"
WOMAN_1945 = "3171015708450001"


def codes(value: object, **kwargs: Any) -> list[str]:
    """Problem codes for a value checked on TODAY (unless ``today`` is given)."""
    return check_nik(value, **({"today": TODAY} | kwargs)).codes


# --- the documented examples -----------------------------------------------


def test_example_nik_is_a_man_from_central_jakarta_born_17_august_1945() -> None:
    result = check_nik(MAN_1945, today=TODAY)

    assert result.ok and result.problems == []
    decoded = result.decoded
    assert decoded is not None
    assert (decoded.province_code, decoded.regency_code, decoded.district_code) == (
        "31",
        "31.71",
        "31.71.01",
    )
    assert decoded.sex == "M"
    assert decoded.birth_date(today=TODAY) == date(1945, 8, 17)
    assert decoded.serial == "0001"


def test_day_plus_forty_marks_a_woman_born_the_same_day() -> None:
    decoded = check_nik(WOMAN_1945, today=TODAY).decoded

    assert decoded is not None
    assert decoded.sex == "F"
    assert (decoded.birth_day, decoded.birth_month, decoded.birth_year_2digits) == (17, 8, 45)
    assert decoded.birth_date(today=TODAY) == date(1945, 8, 17)


def test_matching_declared_birth_date_and_sex_give_no_problems() -> None:
    result = check_nik(
        WOMAN_1945, declared_birth_date=date(1945, 8, 17), declared_sex="F", today=TODAY
    )

    assert result.ok and result.problems == []


def test_indonesian_sex_letters_l_and_p_are_understood() -> None:
    assert codes(MAN_1945, declared_sex="L") == []
    assert codes(WOMAN_1945, declared_sex="p") == []


@pytest.mark.parametrize(
    "typed",
    [" 3171011708450001 ", "3171 0117 0845 0001", "31 71 01 170845 0001", "3171\u00a0011708450001"],
)
def test_spaces_around_and_between_groups_are_ignored(typed: str) -> None:
    result = check_nik(typed, today=TODAY)

    assert result.ok and result.nik == MAN_1945


# --- one test per error code -----------------------------------------------


@pytest.mark.parametrize("value", [None, "", "   "])
def test_missing_nik_is_reported_as_empty(value: object) -> None:
    assert codes(value) == ["empty"]


@pytest.mark.parametrize("value", ["317101170845000", "31710117084500011", "1", 12345])
def test_nik_that_is_not_sixteen_digits_is_wrong_length(value: object) -> None:
    result = check_nik(value, today=TODAY)

    assert result.codes == ["wrong_length"]
    assert result.nik is None and result.decoded is None


@pytest.mark.parametrize(
    "value",
    [
        "3171.0117.0845.0001",
        "3171-0117-0845-0001",
        "31710117O8450001",
        "NIK3171011708450001",
        True,
        -3171011708450001,
    ],
)
def test_separators_other_than_spaces_and_letters_are_not_digits(value: object) -> None:
    assert codes(value) == ["not_digits"]


@pytest.mark.parametrize("value", ["3.17101E+15", "3,17101E+15", "3.17101e15", "3.17101170845E+15"])
def test_excel_scientific_notation_of_a_nik_means_digits_were_lost(value: str) -> None:
    result = check_nik(value, today=TODAY)

    assert result.codes == ["digits_lost"]
    assert not result.ok


def test_scientific_notation_that_is_not_sixteen_digits_long_is_excel_scientific() -> None:
    assert codes("3.17E+10") == ["excel_scientific"]


@pytest.mark.parametrize("value", [3171010000000000.0, 3171010000000000, Decimal("3.17101E+15")])
def test_spreadsheet_number_ending_in_four_zeros_means_digits_were_lost(value: object) -> None:
    assert codes(value) == ["digits_lost"]


def test_float_above_two_to_the_53_cannot_hold_a_papua_nik_exactly() -> None:
    assert codes(9171011708450001.0) == ["digits_lost"]


@pytest.mark.parametrize(
    "value",
    [3171011708450001.0, 3171011708450001, "3.171011708450001e15", "3171011708450001.0"],
)
def test_number_still_carrying_all_sixteen_digits_is_accepted_with_a_warning(
    value: object,
) -> None:
    result = check_nik(value, today=TODAY)

    assert result.ok
    assert result.nik == MAN_1945
    assert [(p.code, p.severity) for p in result.problems] == [("excel_number", "warning")]


@pytest.mark.parametrize(
    "nik",
    [
        "3171013208450001",  # day 32
        "3171014008450001",  # day 40: neither a man's nor a woman's day
        "3171017208450001",  # day 72
        "3171010008450001",  # day 00
        "3171011713450001",  # month 13
        "3171011700450001",  # month 00
        "3171013102450001",  # 31 February
    ],
)
def test_impossible_birth_date_in_the_nik_is_bad_birth_date(nik: str) -> None:
    result = check_nik(nik, declared_birth_date=date(1945, 8, 17), today=TODAY)

    assert result.codes == ["bad_birth_date"]
    assert result.decoded is not None  # still decoded, so a form can show the parts


def test_29_february_of_a_non_leap_century_year_is_bad_birth_date() -> None:
    # 29-02-00 is only a real date in 2000 (1900 was not a leap year), so on
    # 31 December 1999 the NIK names no birth date that has happened yet.
    assert codes("3171012902000001", today=date(2025, 1, 1)) == []
    assert check_nik("3171012902000001", today=date(1999, 12, 31)).codes == ["bad_birth_date"]


@pytest.mark.parametrize(
    ("declared", "part"),
    [(date(1945, 8, 18), "day"), (date(1945, 9, 17), "month"), (date(1946, 8, 17), "year")],
)
def test_declared_birth_date_disagreeing_with_the_nik_is_birth_date_mismatch(
    declared: date, part: str
) -> None:
    result = check_nik(MAN_1945, declared_birth_date=declared, today=TODAY)

    assert [(p.code, p.field) for p in result.problems] == [("birth_date_mismatch", "birth_date")]


def test_declared_woman_with_a_mans_day_part_is_sex_mismatch() -> None:
    result = check_nik(MAN_1945, declared_sex="F", today=TODAY)

    assert [(p.code, p.field) for p in result.problems] == [("sex_mismatch", "sex")]


def test_declared_man_with_a_womans_day_part_is_sex_mismatch() -> None:
    assert codes(WOMAN_1945, declared_sex="M") == ["sex_mismatch"]


@pytest.mark.parametrize("nik", ["3171013508450001", "3171010008450001", "3171017508450001"])
def test_day_part_that_fits_neither_sex_reports_only_bad_birth_date(nik: str) -> None:
    assert codes(nik, declared_sex="F") == codes(nik, declared_sex="M") == ["bad_birth_date"]


def test_serial_0000_is_serial_zero() -> None:
    assert codes("3171011708450000") == ["serial_zero"]


def test_unknown_region_is_only_a_warning_naming_the_broadest_unknown_code() -> None:
    asked: list[str] = []

    def region_exists(code: str) -> bool:
        asked.append(code)
        return code == "31"

    result = check_nik(MAN_1945, region_exists=region_exists, today=TODAY)

    assert result.ok
    assert [(p.code, p.severity) for p in result.problems] == [("unknown_region", "warning")]
    assert asked == ["31", "31.71"]


def test_known_region_gives_no_warning() -> None:
    assert codes(MAN_1945, region_exists=lambda code: True) == []


def test_problems_carry_lazy_messages_that_need_no_settings_to_build() -> None:
    result = check_nik("3.17101E+15")

    assert result.problems[0].message is not None


# --- century of the two-digit year -----------------------------------------


def test_two_digit_year_yields_both_centuries_as_candidates() -> None:
    decoded = decode_nik("3171011708050001")

    assert decoded.birth_date_candidates() == [date(1905, 8, 17), date(2005, 8, 17)]


def test_birth_date_picks_the_century_that_is_not_in_the_future() -> None:
    assert decode_nik("3171011708050001").birth_date(today=TODAY) == date(2005, 8, 17)
    assert decode_nik("3171010112250001").birth_date(today=TODAY) == date(1925, 12, 1)


def test_birth_date_rejects_people_of_a_hundred_or_more() -> None:
    with pytest.raises(ValueError, match="no plausible birth date"):
        decode_nik("3171012902000001").birth_date(today=date(2100, 3, 1))


# --- encode_nik ------------------------------------------------------------


def test_encode_nik_builds_the_documented_examples() -> None:
    common: dict[str, Any] = {
        "regency_code": "31.71",
        "district": 1,
        "birth_date": date(1945, 8, 17),
        "serial": 1,
    }

    assert encode_nik(sex="M", **common) == MAN_1945
    assert encode_nik(sex="F", **common) == WOMAN_1945


@pytest.mark.parametrize(
    "kwargs",
    [
        {"regency_code": "3171"},
        {"regency_code": "31.7"},
        {"district": 0},
        {"district": 100},
        {"serial": 0},
        {"serial": 10000},
        {"sex": "X"},
    ],
)
def test_encode_nik_refuses_impossible_parts(kwargs: dict[str, Any]) -> None:
    arguments: dict[str, Any] = {
        "regency_code": "31.71",
        "district": 1,
        "birth_date": date(1990, 1, 1),
        "sex": "M",
        "serial": 1,
    } | kwargs

    with pytest.raises(ValueError):
        encode_nik(**arguments)


# --- properties ------------------------------------------------------------

digits_16 = st.text(alphabet=string.digits, min_size=16, max_size=16)
birth_dates = st.dates(min_value=date(1925, 6, 2), max_value=TODAY)


@given(
    province=st.integers(11, 99),
    regency=st.integers(1, 99),
    district=st.integers(1, 99),
    birth_date=birth_dates,
    sex=st.sampled_from(["M", "F"]),
    serial=st.integers(1, 9999),
)
def test_encoded_nik_checks_ok_and_decodes_to_the_same_parts(
    province: int, regency: int, district: int, birth_date: date, sex: str, serial: int
) -> None:
    regency_code = f"{province:02d}.{regency:02d}"
    nik = encode_nik(
        regency_code=regency_code,
        district=district,
        birth_date=birth_date,
        sex=sex,
        serial=serial,
    )

    result = check_nik(nik, declared_birth_date=birth_date, declared_sex=sex, today=TODAY)

    assert result.ok and result.problems == []
    decoded = result.decoded
    assert decoded is not None
    assert decoded.regency_code == regency_code
    assert decoded.district_code == f"{regency_code}.{district:02d}"
    assert decoded.sex == sex
    assert decoded.serial == f"{serial:04d}"
    assert decoded.birth_date(today=TODAY) == birth_date


@given(digits_16)
def test_any_sixteen_digit_string_is_checked_without_raising(nik: str) -> None:
    result = check_nik(nik, declared_birth_date=date(2000, 1, 1), declared_sex="F", today=TODAY)

    assert result.nik == nik
    assert set(result.codes) <= {
        "bad_birth_date",
        "serial_zero",
        "birth_date_mismatch",
        "sex_mismatch",
    }


@given(st.one_of(st.text(), st.floats(), st.integers(), st.decimals(), st.none()))
def test_any_text_or_number_is_checked_without_raising(value: object) -> None:
    result = check_nik(value, today=TODAY)

    assert result.ok == (not result.errors)
    assert (result.nik is None) == (result.decoded is None)


@given(digits_16)
def test_sex_is_female_exactly_when_the_day_part_is_above_forty(nik: str) -> None:
    decoded = decode_nik(nik)

    assert (decoded.sex == "F") == (int(nik[6:8]) > 40)
    assert decoded.birth_day == int(nik[6:8]) - (40 if decoded.sex == "F" else 0)


@given(birth_dates, st.sampled_from(["M", "F"]))
def test_birth_date_and_sex_round_trip_through_the_day_rule(birth_date: date, sex: str) -> None:
    nik = encode_nik(regency_code="33.74", district=5, birth_date=birth_date, sex=sex, serial=7)
    day_part = int(nik[6:8])

    assert (day_part > 40) == (sex == "F")
    assert check_nik(
        nik, declared_birth_date=birth_date + timedelta(days=1), today=TODAY
    ).codes == ["birth_date_mismatch"]


def test_a_disagreement_with_the_declared_birth_date_or_sex_is_to_confirm_not_an_error() -> None:
    """A NIK is never reissued when a birth date or sex is corrected: a real person may hold it."""
    result = check_nik(
        "3374011708000001",
        declared_birth_date=date(2000, 8, 18),
        declared_sex="F",
        today=date(2026, 12, 4),
    )
    assert result.ok
    assert [(p.code, p.severity) for p in result.to_confirm] == [
        ("birth_date_mismatch", "confirm"),
        ("sex_mismatch", "confirm"),
    ]
    assert result.errors == [] and result.warnings == []
