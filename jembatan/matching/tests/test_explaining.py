"""Outcomes in sentences: every engine reason code and requirement phrased in one place."""

from __future__ import annotations

import pytest

from jembatan.demand.factories import JobOrderFactory
from jembatan.matching.explaining import describe_requirement, explain, labels_for, reason_label
from jembatan.matching.models import RunOutcome

pytestmark = pytest.mark.django_db


def test_an_unplaced_candidate_of_an_optimal_run_reads_which_job_orders_were_full() -> None:
    welder = JobOrderFactory(approved=True, title="Welder", slots=3)
    outcome = RunOutcome(
        reason="not_selected_for_optimum",
        explanation={
            "full_job_orders": [{"job_order": str(welder.pk), "candidate_rank": 2, "slots": 3}],
            "ineligible": [],
        },
    )

    explanation = explain(outcome, labels_for([outcome]))

    assert explanation.headline.startswith("Not placed: every job order you were eligible for")
    assert explanation.details == [
        f"{welder.reference} Welder (your choice no. 2) was full: its 3 slots were given."
    ]


def test_a_job_order_without_slots_is_said_to_have_had_none() -> None:
    outcome = RunOutcome(
        reason="outranked",
        explanation={
            "preferred": [
                {
                    "job_order": "999",
                    "candidate_rank": 1,
                    "own_job_order_rank": 3,
                    "cutoff_job_order_rank": None,
                }
            ]
        },
    )

    explanation = explain(outcome, {})

    assert explanation.details == ["JO-000999 (your choice no. 1) had no free slot in this run."]


def test_details_stored_by_column_read_as_those_stored_by_row_before() -> None:
    welder = JobOrderFactory(approved=True, title="Welder", slots=3)
    baker = JobOrderFactory(approved=True, title="Baker", slots=1)
    rows = [
        {
            "job_order": str(welder.pk),
            "candidate_rank": 1,
            "own_job_order_rank": 7,
            "cutoff_job_order_rank": 3,
        },
        {
            "job_order": str(baker.pk),
            "candidate_rank": 2,
            "own_job_order_rank": 4,
            "cutoff_job_order_rank": None,
        },
    ]
    columns = {
        "job_order": [str(welder.pk), str(baker.pk)],
        "candidate_rank": [1, 2],
        "own_job_order_rank": [7, 4],
        "cutoff_job_order_rank": [3, None],
    }
    old = RunOutcome(reason="outranked", explanation={"preferred": rows, "accepted_at": [baker.pk]})
    new = RunOutcome(
        reason="outranked", explanation={"preferred": columns, "accepted_at": [baker.pk]}
    )

    assert labels_for([new]) == labels_for([old])
    read = explain(new, labels_for([new]))
    assert read == explain(old, labels_for([old]))
    assert read.details == [
        f"You were accepted at the partner's interview for {baker.reference} Baker; why it did "
        "not place you is below.",
        f"{welder.reference} Welder (your choice no. 1): the last candidate admitted was no. 3 "
        "in its ranking; you were no. 7.",
        f"{baker.reference} Baker (your choice no. 2) had no free slot in this run.",
    ]


def test_requirements_stored_by_group_read_as_those_stored_per_job_order_before() -> None:
    young, older, women = (JobOrderFactory(approved=True, title=t) for t in "ABC")
    age = [{"code": "age_above", "params": {"age": 26, "max": 20}}]
    sex = [{"code": "sex_requirement", "params": {"required": "F", "reason": "Law 1/2026"}}]
    per_job = [
        {"job_order": young.pk, "unmet": age},
        {"job_order": older.pk, "unmet": sex},
        {"job_order": women.pk, "unmet": age},
    ]
    grouped = [
        {"job_orders": [young.pk, women.pk], "unmet": age},
        {"job_orders": [older.pk], "unmet": sex},
    ]
    old = RunOutcome(reason="no_eligible_job_order", explanation={"ineligible": per_job})
    new = RunOutcome(reason="no_eligible_job_order", explanation={"ineligible": grouped})

    assert labels_for([new]) == labels_for([old])
    read = explain(new, labels_for([new]))
    assert read == explain(old, labels_for([old]))
    assert [(job, len(reasons)) for job, reasons in read.ineligible] == [
        (f"{young.reference} A", 1),
        (f"{older.reference} B", 1),
        (f"{women.reference} C", 1),
    ]
    assert read.ineligible[1][1] == [describe_requirement(sex[0])]


def test_interview_refusals_and_requirements_are_sentences() -> None:
    declined = {"code": "declined_at_interview", "params": {"job_order": "JO-000001"}}
    absent = {"code": "absent_at_interview", "params": {"job_order": "JO-000001"}}
    age = {"code": "age_below", "params": {"age": 18, "min": 20}}

    assert describe_requirement(declined) == (
        "The partner declined you at its interview for this job order."
    )
    assert describe_requirement(absent) == (
        "You did not attend the partner's interview for this job order."
    )
    assert describe_requirement(age) == "Age 18 is below the job order's minimum of 20."


def test_every_engine_reason_has_a_label() -> None:
    from jembatan.matching.engine import REASONS

    assert [reason_label(code) for code in REASONS] == [
        "Placed",
        "Not placed: job orders full with higher-ranked candidates",
        "Not placed: job orders full in the best matching",
        "Not placed: no job order's requirements met",
    ]
