"""What a NIK's region code meant when it was issued (core/region_history.py, no database)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from jembatan.core import region_history


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_pre_2022_papua_code_is_decoded_to_the_regency_it_meant_with_a_note() -> None:
    issued = region_history.issued_region("91.04", dt.date(1990, 8, 17))

    assert issued is not None
    assert (issued.name, issued.province_name, issued.successors) == (
        "Kabupaten Nabire",
        "Papua",
        ("94.01",),
    )
    assert (issued.retired_on, issued.certainty) == (dt.date(2022, 7, 25), "certain")
    assert "today it is Kabupaten Nabire (94.01, Papua Tengah)" in issued.note
    assert "a NIK is never reissued" in issued.note


def test_a_child_before_the_split_most_likely_got_the_old_code_with_the_family_card() -> None:
    issued = region_history.issued_region("92.71", dt.date(2010, 1, 5))

    assert issued is not None
    assert (issued.name, issued.successors, issued.certainty) == (
        "Kota Sorong",
        ("96.71",),
        "likely",
    )
    assert "family card" in issued.note


def test_a_code_retired_before_the_holder_was_born_cannot_be_theirs() -> None:
    issued = region_history.issued_region("64.73", dt.date(2014, 2, 1))

    assert issued is not None
    assert (issued.name, issued.certainty) == ("Kota Tarakan", "impossible")
    assert "Check the NIK against the card" in issued.note


def test_a_code_never_retired_needs_no_note() -> None:
    assert region_history.issued_region("33.74", dt.date(1990, 1, 1)) is None


def test_kalimantan_utaras_regencies_keep_their_kalimantan_timur_codes_in_old_niks() -> None:
    retired = region_history.retired_codes()
    moved = {code: r.successors for code, r in retired.items() if code.startswith("64.")}
    assert moved == {
        "64.04": ("65.01",),
        "64.05": ("65.03",),
        "64.06": ("65.02",),
        "64.10": ("65.04",),
        "64.73": ("65.71",),
    }
    assert all(r.valid_to == dt.date(2012, 10, 25) for c, r in retired.items() if c[:2] == "64")


def test_every_successor_is_a_region_of_today_with_the_same_name() -> None:
    names = region_history.current_names()
    for code, retired in region_history.retired_codes().items():
        for successor in retired.successors:
            assert names[successor] == retired.name, (code, successor)
        assert code not in names  # a retired code is not reused today


def test_a_retired_code_and_its_districts_count_as_known_regions() -> None:
    assert region_history.known("91.04")
    assert region_history.known("91.04.01")
    assert region_history.known("94.01")
    assert not region_history.known("33.98")
