"""The time limits of UU PDP are sourced reference data, one row per kind of request."""

from __future__ import annotations

import csv
import json

from jembatan.privacy.deadlines import BREACH, DATA, META, deadlines, table_version
from jembatan.privacy.models import RequestKind


def test_every_kind_of_request_and_the_breach_notice_has_a_row() -> None:
    assert set(deadlines()) == {k.value for k in RequestKind} | {"access", BREACH}


def test_each_row_cites_the_law_and_says_whether_the_law_sets_the_limit() -> None:
    for row in deadlines().values():
        assert row.hours > 0 and row.basis.startswith("UU 27/2022 art."), row.key
        if not row.statutory:
            assert "sets no time limit" in row.note, row.key
    assert {k for k, row in deadlines().items() if not row.statutory} == {"delete", "object"}


def test_the_statutory_limits_are_3_times_24_hours() -> None:
    assert {row.hours for row in deadlines().values() if row.statutory} == {72}


def test_the_file_is_utf8_with_one_width_and_its_meta_names_source_and_version() -> None:
    raw = DATA.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8").splitlines()))
    assert {len(row) for row in rows} == {len(rows[0])}
    meta = json.loads(META.read_text(encoding="utf-8"))
    assert meta["version"] == table_version() and "27 Tahun 2022" in meta["source"]
    assert meta["counts"]["key"] == len(rows) - 1
