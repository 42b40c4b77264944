"""Independent, deliberately naive reference implementations for the tests.

Nothing here shares code with the engine: instances are plain dicts and
assignments plain ``{candidate: job_order}`` dicts, enumerated exhaustively.
Only usable on tiny instances.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from typing import Any

import networkx as nx
from hypothesis import strategies as st

Edge = dict[str, Any]
Assignment = dict[str, str]


def edges_by_pair(instance: dict[str, Any]) -> dict[tuple[str, str], Edge]:
    """Index edges by (candidate, job_order)."""
    return {(e["candidate"], e["job_order"]): e for e in instance["edges"]}


def all_assignments(instance: dict[str, Any]) -> Iterator[Assignment]:
    """Every assignment that respects eligibility and slots."""
    options = [
        [None] + [e["job_order"] for e in instance["edges"] if e["candidate"] == c["id"]]
        for c in instance["candidates"]
    ]
    slots = {j["id"]: j["slots"] for j in instance["job_orders"]}
    ids = [c["id"] for c in instance["candidates"]]
    for choice in itertools.product(*options):
        used = Counter(j for j in choice if j is not None)
        if all(count <= slots[j] for j, count in used.items()):
            yield {c: j for c, j in zip(ids, choice, strict=True) if j is not None}


def assignment_weight(instance: dict[str, Any], assignment: Assignment) -> float:
    """Sum of the weights of the used edges."""
    pairs = edges_by_pair(instance)
    return sum(pairs[(c, j)]["weight"] for c, j in assignment.items())


def best_cardinality_and_weight(instance: dict[str, Any]) -> tuple[int, float]:
    """Lexicographic optimum (most placed, then heaviest) by enumeration."""
    return max((len(a), assignment_weight(instance, a)) for a in all_assignments(instance))


def blocking_pairs(instance: dict[str, Any], assignment: Assignment) -> list[tuple[str, str]]:
    """Pairs that would both rather be matched to each other."""
    slots = {j["id"]: j["slots"] for j in instance["job_orders"]}
    pairs = edges_by_pair(instance)
    blocking = []
    for edge in instance["edges"]:
        c, j = edge["candidate"], edge["job_order"]
        current = assignment.get(c)
        if current == j:
            continue
        if current is not None and pairs[(c, current)]["candidate_rank"] < edge["candidate_rank"]:
            continue
        admitted = [pairs[(d, j)]["job_order_rank"] for d, k in assignment.items() if k == j]
        if len(admitted) < slots[j] or edge["job_order_rank"] < max(admitted, default=0):
            blocking.append((c, j))
    return blocking


def stable_assignments(instance: dict[str, Any]) -> list[Assignment]:
    """All stable matchings, by enumeration."""
    return [a for a in all_assignments(instance) if not blocking_pairs(instance, a)]


def candidate_rank_of(instance: dict[str, Any], candidate: str, job: str | None) -> float:
    """The candidate's rank of a job order; unplaced counts as worst."""
    if job is None:
        return float("inf")
    return float(edges_by_pair(instance)[(candidate, job)]["candidate_rank"])


def networkx_optimum(instance: dict[str, Any], scale: int = 1000) -> tuple[int, int]:
    """Max flow and its max weight (in integer units) via networkx.

    Weights must be multiples of 1/scale so the comparison is exact.
    """
    graph = nx.DiGraph()
    top = max((round(e["weight"] * scale) for e in instance["edges"]), default=0)
    for c in instance["candidates"]:
        graph.add_edge("source", ("c", c["id"]), capacity=1, weight=0)
    for j in instance["job_orders"]:
        graph.add_edge(("j", j["id"]), "sink", capacity=j["slots"], weight=0)
    for e in instance["edges"]:
        cost = top - round(e["weight"] * scale)
        graph.add_edge(("c", e["candidate"]), ("j", e["job_order"]), capacity=1, weight=cost)
    if "source" not in graph or "sink" not in graph:
        return 0, 0
    flow = nx.max_flow_min_cost(graph, "source", "sink")
    placed = sum(flow["source"].values())
    return placed, placed * top - nx.cost_of_flow(graph, flow)


@st.composite
def instances(
    draw: st.DrawFn,
    max_candidates: int = 5,
    max_job_orders: int = 3,
    max_slots: int = 2,
    weights: st.SearchStrategy[float] | None = None,
) -> dict[str, Any]:
    """Random valid instances as JSON-like dicts.

    Ranks come from random permutations of all edges, so they are strict per
    candidate and per job order but usually not contiguous.
    """
    n_candidates = draw(st.integers(0, max_candidates))
    n_jobs = draw(st.integers(0, max_job_orders))
    candidates = [{"id": f"c{i}"} for i in range(n_candidates)]
    job_orders = [{"id": f"j{i}", "slots": draw(st.integers(0, max_slots))} for i in range(n_jobs)]
    pairs = [(c["id"], j["id"]) for c in candidates for j in job_orders if draw(st.booleans())]
    weight = weights if weights is not None else st.integers(0, 10_000).map(lambda w: w / 100)
    crank = draw(st.permutations(range(1, len(pairs) + 1)))
    jrank = draw(st.permutations(range(1, len(pairs) + 1)))
    edges = [
        {
            "candidate": c,
            "job_order": j,
            "weight": draw(weight),
            "candidate_rank": crank[i],
            "job_order_rank": jrank[i],
        }
        for i, (c, j) in enumerate(pairs)
    ]
    edges = list(draw(st.permutations(edges)))
    return {"candidates": candidates, "job_orders": job_orders, "edges": edges}
