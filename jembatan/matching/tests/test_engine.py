"""Readable example tests of the matching engine."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from jembatan.matching.engine import (
    REASONS,
    Instance,
    InstanceError,
    build_flow_network,
    parse_instance,
    solve,
    solve_optimal,
    solve_stable,
)


def edge(c: str, j: str, weight: float = 1.0, crank: int = 1, jrank: int = 1) -> dict[str, Any]:
    """An edge dict with sensible defaults."""
    return {
        "candidate": c,
        "job_order": j,
        "weight": weight,
        "candidate_rank": crank,
        "job_order_rank": jrank,
    }


def instance(
    candidates: list[str], slots: dict[str, int], edges: list[dict[str, Any]]
) -> dict[str, Any]:
    """A JSON-like instance."""
    return {
        "candidates": [{"id": c} for c in candidates],
        "job_orders": [{"id": j, "slots": s} for j, s in slots.items()],
        "edges": edges,
    }


def explanation(result: dict[str, Any], candidate: str) -> dict[str, Any]:
    """The explanation of one candidate."""
    return next(e for e in result["explanations"] if e["candidate"] == candidate)


# Two candidates competing for two job orders with opposite preferences:
# candidates prefer j1/j2 respectively, the job orders prefer the other one.
CROSSED = instance(
    ["c1", "c2"],
    {"j1": 1, "j2": 1},
    [
        edge("c1", "j1", weight=1, crank=1, jrank=2),
        edge("c1", "j2", weight=5, crank=2, jrank=1),
        edge("c2", "j2", weight=1, crank=1, jrank=2),
        edge("c2", "j1", weight=5, crank=2, jrank=1),
    ],
)


# ---------------------------------------------------------------- optimal


def test_optimal_places_more_candidates_before_it_considers_weight() -> None:
    data = instance(
        ["c1", "c2"],
        {"j1": 1, "j2": 1},
        [
            edge("c1", "j1", weight=1),
            edge("c2", "j1", weight=100, jrank=2),
            edge("c2", "j2", weight=0, crank=2),
        ],
    )
    result = solve_optimal(parse_instance(data)).to_dict()
    assert result["placed"] == 2
    assert result["assignments"] == [
        {"candidate": "c1", "job_order": "j1"},
        {"candidate": "c2", "job_order": "j2"},
    ]
    assert result["total_weight"] == 1.0


def test_optimal_maximises_weight_among_assignments_of_equal_size() -> None:
    result = solve_optimal(parse_instance(CROSSED)).to_dict()
    assert result["assignments"] == [
        {"candidate": "c1", "job_order": "j2"},
        {"candidate": "c2", "job_order": "j1"},
    ]
    assert result["total_weight"] == 10.0


def test_optimal_reports_the_float_sum_of_the_original_weights() -> None:
    data = instance(
        ["c1", "c2"], {"j1": 2}, [edge("c1", "j1", 0.1), edge("c2", "j1", 0.2, jrank=2)]
    )
    assert solve_optimal(parse_instance(data)).total_weight == math.fsum([0.1, 0.2])


def test_optimal_handles_weights_too_large_for_micro_resolution() -> None:
    data = instance(
        ["c1", "c2"],
        {"j1": 1, "j2": 1},
        [edge("c1", "j1", 3e15), edge("c1", "j2", 1e15, crank=2), edge("c2", "j1", 1e15, jrank=2)],
    )
    result = solve_optimal(parse_instance(data))
    assert result.placed == 2
    assert result.total_weight == 2e15
    assert build_flow_network(result.instance).resolution > 1e-6


def test_optimal_explains_unplaced_candidates_with_their_full_job_orders() -> None:
    data = instance(
        ["c1", "c2"],
        {"j1": 1, "j2": 0},
        [edge("c1", "j1", 9), edge("c2", "j1", 1, jrank=2), edge("c2", "j2", 1, crank=2)],
    )
    result = solve_optimal(parse_instance(data)).to_dict()
    assert explanation(result, "c2") == {
        "candidate": "c2",
        "assigned": None,
        "reason": "not_selected_for_optimum",
        "full_job_orders": [
            {"job_order": "j1", "candidate_rank": 1, "slots": 1},
            {"job_order": "j2", "candidate_rank": 2, "slots": 0},
        ],
    }
    assert explanation(result, "c1")["reason"] == "placed"


# ----------------------------------------------------------------- stable


def test_stable_gives_each_candidate_their_first_choice_when_possible() -> None:
    result = solve_stable(parse_instance(CROSSED)).to_dict()
    assert result["assignments"] == [
        {"candidate": "c1", "job_order": "j1"},
        {"candidate": "c2", "job_order": "j2"},
    ]


def test_stable_lets_the_job_order_keep_its_better_ranked_candidate() -> None:
    data = instance(
        ["c1", "c2"],
        {"j1": 1},
        [edge("c1", "j1", crank=1, jrank=7), edge("c2", "j1", crank=1, jrank=5)],
    )
    result = solve_stable(parse_instance(data)).to_dict()
    assert result["assignments"] == [{"candidate": "c2", "job_order": "j1"}]
    assert explanation(result, "c1") == {
        "candidate": "c1",
        "assigned": None,
        "reason": "outranked",
        "preferred": [
            {
                "job_order": "j1",
                "candidate_rank": 1,
                "own_job_order_rank": 7,
                "cutoff_job_order_rank": 5,
            }
        ],
    }


def test_stable_explains_placed_candidates_by_the_cutoffs_of_better_job_orders() -> None:
    data = instance(
        ["c1", "c2"],
        {"j1": 1, "j2": 1},
        [
            edge("c1", "j1", crank=1, jrank=1),
            edge("c2", "j1", crank=3, jrank=2),
            edge("c2", "j2", crank=8, jrank=1),
        ],
    )
    result = solve_stable(parse_instance(data)).to_dict()
    assert explanation(result, "c2") == {
        "candidate": "c2",
        "assigned": "j2",
        "reason": "placed",
        "preferred": [
            {
                "job_order": "j1",
                "candidate_rank": 3,
                "own_job_order_rank": 2,
                "cutoff_job_order_rank": 1,
            }
        ],
    }


def test_stable_reports_no_cutoff_for_a_job_order_without_slots() -> None:
    data = instance(["c1"], {"j1": 0}, [edge("c1", "j1")])
    result = solve_stable(parse_instance(data)).to_dict()
    assert explanation(result, "c1")["reason"] == "outranked"
    assert explanation(result, "c1")["preferred"][0]["cutoff_job_order_rank"] is None


def test_stable_fills_a_job_order_up_to_its_slots_with_its_best_ranked_candidates() -> None:
    data = instance(
        ["a", "b", "c", "d"],
        {"j": 2},
        [edge(c, "j", jrank=r) for c, r in zip("abcd", [40, 10, 30, 20], strict=True)],
    )
    result = solve_stable(parse_instance(data)).to_dict()
    assert [a["candidate"] for a in result["assignments"]] == ["b", "d"]
    assert result["unplaced"] == ["a", "c"]


# --------------------------------------------------------------- both / API


@pytest.mark.parametrize("method", ["optimal", "stable"])
def test_candidate_with_no_edges_is_unplaced_with_reason(method: str) -> None:
    data = instance(["c1", "lonely"], {"j1": 1}, [edge("c1", "j1")])
    result = solve(parse_instance(data), method).to_dict()
    assert result["unplaced"] == ["lonely"]
    assert explanation(result, "lonely")["reason"] == "no_eligible_job_order"
    assert explanation(result, "lonely")["assigned"] is None


@pytest.mark.parametrize("method", ["optimal", "stable"])
def test_an_empty_instance_places_nobody(method: str) -> None:
    result = solve(parse_instance(instance([], {}, [])), method).to_dict()
    assert result == {
        "method": method,
        "assignments": [],
        "placed": 0,
        "total_weight": 0.0,
        "unplaced": [],
        "explanations": [],
    }


def test_every_reason_code_is_documented_in_the_engine() -> None:
    from jembatan.matching import engine

    assert engine.__doc__ is not None
    assert all(f"``{reason}``" in engine.__doc__ for reason in REASONS)


def test_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown method"):
        solve(parse_instance(instance([], {}, [])), "random")


def test_from_arrays_builds_the_same_instance_as_parsing() -> None:
    arrays = Instance.from_arrays(
        ["c1", "c2"], ["j1"], [1], [0, 1], [0, 0], [2.0, 3.0], [1, 1], [2, 1]
    )
    parsed = parse_instance(
        instance(["c1", "c2"], {"j1": 1}, [edge("c1", "j1", 2.0, jrank=2), edge("c2", "j1", 3.0)])
    )
    assert solve_stable(arrays).to_dict() == solve_stable(parsed).to_dict()
    assert arrays.edge_job.dtype == np.int32
    assert arrays.slots.dtype == np.int64


# -------------------------------------------------------------- validation


def refused(data: object) -> str:
    """The message of the InstanceError raised for data."""
    with pytest.raises(InstanceError) as info:
        parse_instance(data)
    return str(info.value)


def test_duplicate_edge_is_refused_naming_it() -> None:
    data = instance(
        ["c1"], {"j1": 1}, [edge("c1", "j1", crank=1), edge("c1", "j1", crank=2, jrank=2)]
    )
    assert refused(data) == 'edges[1]: duplicate of edges[0] (candidate "c1", job_order "j1")'


def test_edge_to_an_unknown_job_order_is_refused_naming_it() -> None:
    data = instance(["c1"], {"j1": 1}, [edge("c1", "j1"), edge("c1", "j9", crank=2)])
    assert refused(data) == 'edges[1]: job_order "j9" is not in job_orders'


def test_edge_from_an_unknown_candidate_is_refused_naming_it() -> None:
    data = instance(["c1"], {"j1": 1}, [edge("c7", "j1")])
    assert refused(data) == 'edges[0]: candidate "c7" is not in candidates'


def test_duplicate_candidate_id_is_refused_naming_both_positions() -> None:
    data = instance(["c1", "c2", "c1"], {"j1": 1}, [])
    assert refused(data) == 'candidates[2]: duplicate id "c1" (already candidates[0])'


def test_duplicate_job_order_id_is_refused() -> None:
    data = {"candidates": [], "job_orders": [{"id": "j", "slots": 1}] * 2, "edges": []}
    assert refused(data) == 'job_orders[1]: duplicate id "j" (already job_orders[0])'


def test_tied_candidate_ranks_are_refused_naming_the_candidate() -> None:
    data = instance(
        ["c1"], {"j1": 1, "j2": 1}, [edge("c1", "j1", crank=3), edge("c1", "j2", crank=3)]
    )
    assert refused(data) == 'edges[1]: candidate_rank 3 is tied with edges[0] for candidate "c1"'


def test_tied_job_order_ranks_are_refused_naming_the_job_order() -> None:
    data = instance(["c1", "c2"], {"j1": 1}, [edge("c1", "j1", jrank=4), edge("c2", "j1", jrank=4)])
    assert refused(data) == 'edges[1]: job_order_rank 4 is tied with edges[0] for job_order "j1"'


@pytest.mark.parametrize(
    ("weight", "shown"),
    [(-1.0, "-1.0"), (float("nan"), "nan"), (float("inf"), "inf")],
)
def test_negative_or_non_finite_weight_is_refused(weight: float, shown: str) -> None:
    data = instance(["c1"], {"j1": 1}, [edge("c1", "j1", weight)])
    assert refused(data) == f"edges[0]: weight must be finite and >= 0, got {shown}"


@pytest.mark.parametrize("rank", [0, -2])
def test_non_positive_rank_is_refused(rank: int) -> None:
    data = instance(["c1"], {"j1": 1}, [edge("c1", "j1", crank=rank)])
    assert refused(data).startswith("edges[0]: candidate_rank must be an integer between 1 and")


@pytest.mark.parametrize("rank", [1.5, 2.0, "1", True, None])
def test_non_integer_rank_is_refused(rank: object) -> None:
    data = instance(["c1"], {"j1": 1}, [edge("c1", "j1", jrank=rank)])
    assert refused(data) == "edges[0]: job_order_rank must be a positive integer"


def test_rank_beyond_int32_is_refused() -> None:
    data = instance(["c1"], {"j1": 1}, [edge("c1", "j1", crank=2**31)])
    assert "candidate_rank must be an integer between 1 and 2147483647" in refused(data)


def test_rank_beyond_int64_is_refused_without_overflow_error() -> None:
    data = instance(["c1"], {"j1": 1}, [edge("c1", "j1", crank=10**30)])
    assert refused(data) == f"edges[0]: candidate_rank {10**30} is too large"


@pytest.mark.parametrize("slots", [-1])
def test_negative_slots_are_refused(slots: int) -> None:
    data = instance([], {"j1": 1, "j2": slots}, [])
    assert refused(data) == "job_orders[1]: slots must be a non-negative integer, got -1"


@pytest.mark.parametrize("slots", [2.5, 3.0, "3", False, None])
def test_non_integer_slots_are_refused(slots: object) -> None:
    data = {"candidates": [], "job_orders": [{"id": "j1", "slots": slots}], "edges": []}
    assert refused(data) == "job_orders[0]: slots must be a non-negative integer"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "instance: must be an object"),
        ({"job_orders": [], "edges": []}, 'instance: missing key "candidates"'),
        ({"candidates": [], "edges": []}, 'instance: missing key "job_orders"'),
        ({"candidates": [], "job_orders": []}, 'instance: missing key "edges"'),
        ({"candidates": {}, "job_orders": [], "edges": []}, "candidates: must be a list"),
        ({"candidates": ["c1"], "job_orders": [], "edges": []}, "candidates[0]: must be an object"),
        ({"candidates": [{}], "job_orders": [], "edges": []}, 'candidates[0]: missing key "id"'),
        (
            {"candidates": [{"id": 7}], "job_orders": [], "edges": []},
            "candidates[0]: id must be a string",
        ),
        (
            {"candidates": [], "job_orders": [{"id": "j"}], "edges": []},
            'job_orders[0]: missing key "slots"',
        ),
        ({"candidates": [], "job_orders": [], "edges": [3]}, "edges[0]: must be an object"),
    ],
)
def test_structurally_wrong_instances_are_refused_naming_the_place(
    data: object, message: str
) -> None:
    assert refused(data) == message


@pytest.mark.parametrize(
    "key", ["candidate", "job_order", "weight", "candidate_rank", "job_order_rank"]
)
def test_edge_missing_a_key_is_refused_naming_the_key(key: str) -> None:
    bad = edge("c1", "j1")
    del bad[key]
    assert refused(instance(["c1"], {"j1": 1}, [bad])) == f'edges[0]: missing key "{key}"'


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("candidate", 1, "edges[0]: candidate must be a string id"),
        ("job_order", None, "edges[0]: job_order must be a string id"),
        ("weight", "12", "edges[0]: weight must be a number"),
        ("weight", True, "edges[0]: weight must be a number"),
        ("weight", 10**400, "edges[0]: weight is too large"),
    ],
)
def test_edge_field_of_the_wrong_type_is_refused(key: str, value: object, message: str) -> None:
    bad = edge("c1", "j1")
    bad[key] = value
    assert refused(instance(["c1"], {"j1": 1}, [bad])) == message


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"edge_candidate": [5]}, "edges[0]: candidate index 5 is out of range (there are 1)"),
        ({"edge_job": [-1]}, "edges[0]: job_order index -1 is out of range (there are 1)"),
        ({"candidate_rank": [1.0]}, "candidate_ranks must hold integers, got dtype float64"),
        ({"weight": [1.0, 2.0]}, "weights has 2 entries, expected 1"),
        ({"slots": [1, 1]}, "slots has 2 entries, expected 1"),
        ({"slots": [[1]]}, "slots must be a one-dimensional array"),
        ({"weight": ["x"]}, "weights must be a one-dimensional numeric array"),
    ],
)
def test_from_arrays_refuses_inconsistent_columns(change: dict[str, object], message: str) -> None:
    columns: dict[str, Any] = {
        "candidate_ids": ["c1"],
        "job_order_ids": ["j1"],
        "slots": [1],
        "edge_candidate": [0],
        "edge_job": [0],
        "weight": [1.0],
        "candidate_rank": [1],
        "job_order_rank": [1],
    }
    columns.update(change)
    with pytest.raises(InstanceError) as info:
        Instance.from_arrays(**columns)
    assert str(info.value) == message


def test_instance_error_is_a_value_error() -> None:
    assert issubclass(InstanceError, ValueError)


def test_optimal_retries_with_a_coarser_resolution_when_the_solver_reports_bad_cost_range(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from jembatan.matching import engine

    real = engine.run_flow_network
    seen: list[float] = []

    def flaky(network: engine.FlowNetwork) -> tuple[int, Any]:
        seen.append(network.resolution)
        if len(seen) == 1:
            return int(engine.min_cost_flow.SimpleMinCostFlow.BAD_COST_RANGE), None
        return real(network)

    monkeypatch.setattr(engine, "run_flow_network", flaky)
    result = solve_optimal(parse_instance(CROSSED))
    assert result.total_weight == 10.0
    assert seen == [1e-6, 1e-6 * 1024]


def test_optimal_raises_matching_error_when_the_solver_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from jembatan.matching import engine

    failing = int(engine.min_cost_flow.SimpleMinCostFlow.BAD_RESULT)
    monkeypatch.setattr(engine, "run_flow_network", lambda network: (failing, None))
    with pytest.raises(engine.MatchingError, match="min-cost flow failed with status BAD_RESULT"):
        solve_optimal(parse_instance(CROSSED))
