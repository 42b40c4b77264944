"""Every audit operation the services record reads as words on the history pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

from jembatan.core.operations import operation_label
from jembatan.demand.workflows import JobOrderAction
from jembatan.organisations.workflows import LicenceAction

ROOT = Path(__file__).resolve().parents[2]
STATIC = re.compile(r'operation="([a-z_]+\.[a-z_]+)"|OPERATION = "([a-z_]+\.[a-z_]+)"')


def _operations() -> set[str]:
    found = set()
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for match in STATIC.finditer(path.read_text()):
            found.add(match.group(1) or match.group(2))
    # Built from enums and steps at run time (f-strings in the services).
    found |= {f"demand.job_order_{a.value}" for a in JobOrderAction}
    found |= {f"organisations.licence_{a.value}" for a in LicenceAction}
    found |= {f"matching.run_{step}" for step in ("start", "fail", "finish", "approve", "discard")}
    return found


def test_every_operation_has_words() -> None:
    ops = _operations()
    assert len(ops) > 50
    assert sorted(op for op in ops if operation_label(op) == op) == []


@pytest.mark.parametrize(("language", "expected"), [("en", "Approved"), ("id", "Disetujui")])
def test_an_operation_reads_in_the_page_language(language: str, expected: str) -> None:
    with translation.override(language):
        assert operation_label("demand.job_order_approve") == expected
        assert operation_label("x.something_unheard_of", "Updated") == "Updated"


@pytest.mark.parametrize("operation", ["training.enrol", "selection.candidacy_enrol"])
def test_enrolling_reads_right_for_a_training_batch_and_a_selection_round(operation: str) -> None:
    # The record's kind (enrolment, candidacy) stands beside the verb: the verb names neither.
    with translation.override("id"):
        assert operation_label(operation) == "Didaftarkan"
