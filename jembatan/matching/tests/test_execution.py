"""Executing a run: outcomes, progress, the summary, determinism, failure."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from jembatan.accounts.models import User
from jembatan.demand.factories import JobOrderFactory
from jembatan.demand.models import JobOrder
from jembatan.matching.engine import MatchingError
from jembatan.matching.explaining import explain
from jembatan.matching.models import MatchingRun, RunOutcome, RunStatus
from jembatan.matching.services import execution
from jembatan.matching.services.execution import execute_run
from jembatan.matching.services.runs import run_create
from jembatan.participants.models import JourneyStatus, Participant, Sex
from jembatan.selection.models import SelectionRound

pytestmark = pytest.mark.django_db
StartRun = Callable[..., MatchingRun]


def _results(run: MatchingRun) -> dict[int, tuple[int | None, str]]:
    return {
        o.participant_id: (o.job_order_id, o.reason) for o in RunOutcome.objects.filter(run=run)
    }


def test_a_stable_run_places_the_best_ranked_and_explains_everyone(
    start_run: StartRun, farm: JobOrder, factory: JobOrder, candidates: list[Participant]
) -> None:
    ani, budi, citra, dedi = candidates

    run = start_run(farm, factory)

    assert (run.status, run.progress, run.candidates, run.placed) == (RunStatus.DONE, 100, 4, 3)
    assert _results(run) == {
        ani.pk: (farm.pk, "placed"),
        budi.pk: (farm.pk, "placed"),
        citra.pk: (factory.pk, "placed"),
        dedi.pk: (None, "outranked"),
    }
    dedi_outcome = RunOutcome.objects.get(run=run, participant=dedi)
    assert dedi_outcome.weight is None
    # Stored by column: a large run's unplaced list hundreds of job orders each.
    assert dedi_outcome.explanation["preferred"] == {
        "job_order": [str(farm.pk), str(factory.pk)],
        "candidate_rank": [1, 2],
        "own_job_order_rank": [4, 4],
        "cutoff_job_order_rank": [2, 3],
    }
    assert dedi_outcome.explanation["ineligible"] == []


def test_an_optimal_run_stores_weights_and_the_total(
    start_run: StartRun, farm: JobOrder, candidates: list[Participant]
) -> None:
    run = start_run(farm, method="optimal")

    assert run.placed == 2
    assert run.total_weight == pytest.approx(90 + 10 + 80 + 10)
    weights = sorted(o.weight for o in RunOutcome.objects.filter(run=run, weight__isnull=False))
    assert weights == [90.0, 100.0]
    unplaced = RunOutcome.objects.get(run=run, participant=candidates[3])
    assert unplaced.reason == "not_selected_for_optimum"
    assert unplaced.explanation["full_job_orders"] == {
        "job_order": [str(farm.pk)],
        "candidate_rank": [1],
        "slots": [2],
    }


def test_the_same_inputs_give_the_same_digest_and_the_same_outcomes(
    start_run: StartRun, farm: JobOrder, factory: JobOrder, candidates: list[Participant]
) -> None:
    first = start_run(farm, factory, method="optimal")
    second = start_run(farm, factory, method="optimal")

    assert first.input_digest == second.input_digest != ""
    assert _results(first) == _results(second)
    assert second.previous == first
    assert second.summary["diff"] == {
        "previous": first.pk,
        "newly_placed": [],
        "no_longer_placed": [],
        "moved": [],
        "unchanged": 4,
        "approved_before": 0,
    }


def test_the_summary_has_fill_rates_fairness_and_dropped_job_orders(
    start_run: StartRun,
    farm: JobOrder,
    factory: JobOrder,
    candidates: list[Participant],
    im_japan: Any,
    national_officer: User,
    closed_round: SelectionRound,
) -> None:
    run = start_run(farm, factory)
    queued = run_create(
        name="Rerun",
        method="stable",
        rounds=[closed_round],
        job_orders=[farm, factory],
        acting_user=national_officer,
    )
    JobOrder.objects.filter(pk=factory.pk).update(status="cancelled")
    rerun = execute_run(queued.pk)

    assert run.summary["partners"] == [
        {"partner_id": im_japan.pk, "partner": "IM Japan", "available": 3, "placed": 3, "rate": 1.0}
    ]
    assert [(r["job_order"], r["available"], r["placed"]) for r in run.summary["job_orders"]] == [
        (farm.pk, 2, 2),
        (factory.pk, 1, 1),
    ]
    assert run.summary["fairness"]["total"] == 4
    assert run.summary["fairness"]["selected"] == 3
    assert run.summary["diff"] is None
    assert rerun.summary["dropped_job_orders"] == [factory.pk]
    assert rerun.summary["diff"]["no_longer_placed"] == [candidates[2].pk]


def test_progress_steps_are_saved_as_the_run_goes(
    start_run: StartRun, farm: JobOrder, candidates: list[Participant], monkeypatch: Any
) -> None:
    seen: list[tuple[int, str, str]] = []
    original = execution.set_progress

    def spy(run: MatchingRun, percent: int, note: str, **fields: Any) -> None:
        original(run, percent, note, **fields)
        stored = MatchingRun.objects.get(pk=run.pk)
        seen.append((stored.progress, stored.progress_note, stored.status))

    monkeypatch.setattr(execution, "set_progress", spy)
    start_run(farm)

    assert seen == [
        (0, "Starting", "running"),
        (10, "Loading candidates and job orders", "running"),
        (30, "Checking eligibility and rankings", "running"),
        (60, "Solving", "running"),
        (80, "Saving the results", "running"),
    ]


def test_a_failing_run_is_marked_failed_with_a_message_and_no_outcomes(
    start_run: StartRun, farm: JobOrder, candidates: list[Participant], monkeypatch: Any
) -> None:
    def broken(*args: Any) -> None:
        raise MatchingError("min-cost flow failed with status INFEASIBLE")

    monkeypatch.setattr(execution, "solve", broken)
    run = start_run(farm)

    stored = MatchingRun.objects.get(pk=run.pk)
    assert stored.status == RunStatus.FAILED
    assert stored.error == (
        "The matching could not be computed: min-cost flow failed with status INFEASIBLE"
    )
    assert stored.finished_at is not None
    assert not RunOutcome.objects.filter(run=run).exists()


def test_an_unexpected_error_shows_no_internals(
    start_run: StartRun, farm: JobOrder, candidates: list[Participant], monkeypatch: Any
) -> None:
    def broken(*args: Any) -> None:
        raise KeyError("secret internals")

    monkeypatch.setattr(execution, "solve", broken)
    run = start_run(farm)

    stored = MatchingRun.objects.get(pk=run.pk)
    assert stored.error == "The run stopped because of an internal error. Nothing was saved."


def test_a_run_already_finished_is_not_run_again(
    start_run: StartRun, farm: JobOrder, candidates: list[Participant]
) -> None:
    run = start_run(farm)
    finished_at = run.finished_at

    again = execute_run(run.pk)

    assert again.finished_at == finished_at
    assert RunOutcome.objects.filter(run=run).count() == 4


def test_creating_a_run_enqueues_it_after_commit(
    national_officer: User,
    closed_round: SelectionRound,
    farm: JobOrder,
    candidates: list[Participant],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = run_create(
            name="IM Japan November",
            method="stable",
            rounds=[closed_round],
            job_orders=[farm],
            acting_user=national_officer,
        )
        assert MatchingRun.objects.get(pk=run.pk).status == RunStatus.QUEUED

    assert len(callbacks) == 1
    assert MatchingRun.objects.get(pk=run.pk).status == RunStatus.DONE


def test_nobody_placed_when_no_candidate_is_selected_any_more(
    start_run: StartRun, farm: JobOrder, candidates: list[Participant]
) -> None:
    Participant.objects.update(status=JourneyStatus.WITHDRAWN)

    run = start_run(farm)

    assert (run.status, run.candidates, run.placed) == (RunStatus.DONE, 0, 0)


def test_a_run_records_its_duration_for_the_metrics(
    start_run: StartRun, farm: JobOrder, candidates: list[Participant]
) -> None:
    from prometheus_client import REGISTRY

    before = REGISTRY.get_sample_value("jembatan_matching_run_seconds_count") or 0

    run = start_run(farm)
    again = execute_run(run.pk)  # already done: nothing runs, nothing is timed

    assert again.status == RunStatus.DONE
    assert REGISTRY.get_sample_value("jembatan_matching_run_seconds_count") == before + 1


@pytest.mark.parametrize("method", ["stable", "optimal"])
def test_outcomes_saved_a_few_at_a_time_are_the_outcomes_saved_at_once(
    start_run: StartRun,
    farm: JobOrder,
    factory: JobOrder,
    candidates: list[Participant],
    monkeypatch: pytest.MonkeyPatch,
    method: str,
) -> None:
    def stored(run: MatchingRun) -> dict[int, tuple[Any, ...]]:
        return {
            o.participant_id: (o.job_order_id, o.reason, o.weight, o.explanation)
            for o in RunOutcome.objects.filter(run=run)
        }

    at_once = start_run(farm, factory, method=method)
    monkeypatch.setattr(execution, "BATCH", 3)  # four candidates: a batch of 3, then 1
    in_batches = start_run(farm, factory, method=method)

    assert in_batches.candidates == 4
    assert stored(in_batches) == stored(at_once)


def test_job_orders_kept_out_by_the_same_requirement_are_stored_once_with_it(
    start_run: StartRun, farm: JobOrder, im_japan: Any, candidates: list[Participant]
) -> None:
    young = [JobOrderFactory(partner=im_japan, approved=True, max_age=20) for _ in range(3)]
    women = JobOrderFactory(
        partner=im_japan,
        approved=True,
        sex_requirement=Sex.FEMALE,
        sex_requirement_legal_reason="Law 1/2026 (test)",
    )

    run = start_run(farm, *young, women)

    dedi = RunOutcome.objects.get(run=run, participant=candidates[3])  # 26, a man, unplaced
    assert dedi.explanation["ineligible"] == [
        {
            "job_orders": [job.pk for job in young],
            "unmet": [{"code": "age_above", "params": {"age": 26, "max": 20}}],
        },
        {
            "job_orders": [women.pk],
            "unmet": [
                {
                    "code": "sex_requirement",
                    "params": {"required": "F", "reason": "Law 1/2026 (test)"},
                }
            ],
        },
    ]
    in_order = sorted([*young, women], key=lambda job: job.pk)
    assert [job for job, _reasons in explain(dedi, {}).ineligible] == [
        f"JO-{job.pk:06d}" for job in in_order
    ]
