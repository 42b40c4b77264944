"""Property-based checks of both methods against naive reference solvers."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jembatan.matching.engine import MatchResult, detail_rows, parse_instance, solve
from jembatan.matching.tests import reference

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assignment_of(result: MatchResult) -> dict[str, str]:
    """The result as a plain {candidate: job_order} dict."""
    return {a["candidate"]: a["job_order"] for a in result.to_dict()["assignments"]}


def weight_tolerance(placed: int) -> float:
    """Quantisation to 1e-6 may cost up to half a step per placement."""
    return placed * 1e-6 + 1e-9


@SETTINGS
@given(reference.instances())
def test_optimal_matches_brute_force_cardinality_then_weight(data: dict[str, Any]) -> None:
    result = solve(parse_instance(data), "optimal")
    best_placed, best_weight = reference.best_cardinality_and_weight(data)
    assert result.placed == best_placed
    assert result.total_weight == pytest.approx(best_weight, abs=weight_tolerance(best_placed))


@SETTINGS
@given(
    reference.instances(
        max_candidates=5, weights=st.floats(0, 1e6, allow_nan=False, allow_infinity=False)
    )
)
def test_optimal_is_optimal_for_arbitrary_float_weights(data: dict[str, Any]) -> None:
    result = solve(parse_instance(data), "optimal")
    best_placed, best_weight = reference.best_cardinality_and_weight(data)
    assert result.placed == best_placed
    assert result.total_weight >= best_weight - weight_tolerance(best_placed)


@settings(max_examples=60, deadline=None)
@given(reference.instances(max_candidates=25, max_job_orders=6, max_slots=4))
def test_optimal_agrees_with_networkx_min_cost_flow_on_larger_instances(
    data: dict[str, Any],
) -> None:
    result = solve(parse_instance(data), "optimal")
    placed, weight_units = reference.networkx_optimum(data, scale=100)
    assert result.placed == placed
    assert round(result.total_weight * 100) == weight_units


@SETTINGS
@given(reference.instances())
def test_stable_has_no_blocking_pair_and_is_best_for_every_candidate(
    data: dict[str, Any],
) -> None:
    matching = assignment_of(solve(parse_instance(data), "stable"))
    assert reference.blocking_pairs(data, matching) == []
    stable = reference.stable_assignments(data)
    for candidate in (c["id"] for c in data["candidates"]):
        best = min(reference.candidate_rank_of(data, candidate, s.get(candidate)) for s in stable)
        got = reference.candidate_rank_of(data, candidate, matching.get(candidate))
        assert got == best, candidate


@SETTINGS
@given(
    reference.instances(max_candidates=8, max_job_orders=4), st.sampled_from(["optimal", "stable"])
)
def test_every_assignment_uses_an_eligible_pair_and_respects_slots(
    data: dict[str, Any], method: str
) -> None:
    result = solve(parse_instance(data), method)
    matching = assignment_of(result)
    pairs = reference.edges_by_pair(data)
    assert all((c, j) in pairs for c, j in matching.items())
    slots = {j["id"]: j["slots"] for j in data["job_orders"]}
    for job, capacity in slots.items():
        assert list(matching.values()).count(job) <= capacity
    assert result.placed == len(matching)


@SETTINGS
@given(
    reference.instances(max_candidates=8, max_job_orders=4), st.sampled_from(["optimal", "stable"])
)
def test_same_input_gives_the_same_output(data: dict[str, Any], method: str) -> None:
    first = solve(parse_instance(data), method).to_dict()
    second = solve(parse_instance(data), method).to_dict()
    assert first == second


@SETTINGS
@given(
    reference.instances(max_candidates=8, max_job_orders=4), st.sampled_from(["optimal", "stable"])
)
def test_output_lists_candidates_in_input_order(data: dict[str, Any], method: str) -> None:
    out = solve(parse_instance(data), method).to_dict()
    order = {c["id"]: i for i, c in enumerate(data["candidates"])}
    placed = [a["candidate"] for a in out["assignments"]]
    assert placed == sorted(placed, key=order.__getitem__)
    assert out["unplaced"] == [c for c in order if c not in set(placed)]
    assert [e["candidate"] for e in out["explanations"]] == list(order)


@SETTINGS
@given(reference.instances(max_candidates=8, max_job_orders=4))
def test_stable_explanations_show_a_better_ranked_cutoff_at_each_preferred_job_order(
    data: dict[str, Any],
) -> None:
    out = solve(parse_instance(data), "stable").to_dict()
    slots = {j["id"]: j["slots"] for j in data["job_orders"]}
    for explanation in out["explanations"]:
        for entry in explanation["preferred"]:
            if slots[entry["job_order"]] == 0:
                assert entry["cutoff_job_order_rank"] is None
            else:
                assert entry["cutoff_job_order_rank"] < entry["own_job_order_rank"]


@SETTINGS
@given(reference.instances(max_candidates=8, max_job_orders=4))
def test_optimal_explanations_list_every_eligible_job_order_of_the_unplaced_as_full(
    data: dict[str, Any],
) -> None:
    out = solve(parse_instance(data), "optimal").to_dict()
    eligible = {c["id"]: set() for c in data["candidates"]}
    for edge in data["edges"]:
        eligible[edge["candidate"]].add(edge["job_order"])
    for explanation in out["explanations"]:
        listed = {entry["job_order"] for entry in explanation["full_job_orders"]}
        expected = eligible[explanation["candidate"]] if explanation["assigned"] is None else set()
        assert listed == expected


@SETTINGS
@given(
    reference.instances(max_candidates=8, max_job_orders=4),
    st.sampled_from(["optimal", "stable"]),
    st.data(),
)
def test_explaining_some_candidates_matches_explaining_everyone(
    data: dict[str, Any], method: str, pick: st.DataObject
) -> None:
    result = solve(parse_instance(data), method)
    everyone = result.explanations()
    size = min(len(everyone), 4)
    chosen = pick.draw(st.lists(st.integers(0, max(len(everyone) - 1, 0)), max_size=size))
    assert result.explanations(chosen) == [everyone[i] for i in chosen]


@SETTINGS
@given(
    reference.instances(max_candidates=8, max_job_orders=4), st.sampled_from(["optimal", "stable"])
)
def test_details_by_column_are_the_details_by_row(data: dict[str, Any], method: str) -> None:
    result = solve(parse_instance(data), method)
    key = "preferred" if method == "stable" else "full_job_orders"
    by_column = result.explanations(columns=True)
    assert all(isinstance(e[key], dict) for e in by_column)
    assert [e | {key: detail_rows(e[key])} for e in by_column] == result.explanations()
