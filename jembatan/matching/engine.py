"""Matching engine: decide which candidate goes to which job order.

The engine is deliberately free of Django so that it can be benchmarked,
property-tested and run from the command line on plain data.  Everything is
columnar (numpy arrays indexed by position) because real instances have
~10 million eligible pairs, far too many for dicts of objects.

Two methods are offered:

``optimal``
    Places as many candidates as possible and, among all such assignments,
    maximises the total weight.  Solved as a min-cost max-flow with OR-Tools
    (source -> candidate cap 1, candidate -> job order cap 1,
    job order -> sink cap slots).  The lexicographic objective is obtained with
    ``SimpleMinCostFlow.solve_max_flow_with_min_cost``: the solver first
    computes the maximum flow (= maximum number of placements) and then the
    cheapest flow of exactly that size.  We therefore need no "BIG" constant:
    every unit of flow crosses exactly one candidate -> job order arc, so a
    cost of ``max_q - q(weight)`` per arc (non-negative) is, for a fixed flow
    size, the same objective as maximising the weight.

    Weights are floats; the solver needs integers.  Each weight is quantised
    to ``round(weight / resolution)`` with ``resolution = 1e-6``
    (:data:`WEIGHT_RESOLUTION`), so the chosen assignment is optimal up to
    ``placed * resolution / 2`` in total weight.  OR-Tools multiplies costs by
    ``(number of nodes + 1)`` internally and refuses costs above
    ``int64 max / (2 * (nodes + 1))``; when weights are so large that this
    limit would be hit the resolution is made coarser automatically (and
    again if the solver still reports ``BAD_COST_RANGE``).  The reported
    ``total_weight`` is always the float sum of the original weights.

``stable``
    Candidate-proposing deferred acceptance with job-order capacities.  The
    result is the candidate-optimal stable matching: no candidate and job
    order would both rather be matched to each other, and every candidate
    gets the best job order it can get in any stable matching.

Explanations
------------
Every candidate gets an explanation (plain data, one dict per candidate in
input order)::

    {"candidate": "c1", "assigned": "j2" | None, "reason": <code>, ...}

Reason codes (stable; the UI maps them to Indonesian/English sentences):

``placed``
    The candidate was assigned to ``assigned``.
``outranked``
    (stable) Unplaced: every eligible job order is full of candidates it
    ranks higher.
``not_selected_for_optimum``
    (optimal) Unplaced: every eligible job order is full in the chosen
    optimum; placing this candidate would displace someone else without
    increasing the number placed or the total weight.
``no_eligible_job_order``
    The candidate has no eligible job order at all (no edge).

Method-specific details:

* ``stable`` adds ``"preferred"``: the job orders the candidate ranked
  higher than the one obtained (all of them when unplaced), best first, as
  ``{"job_order", "candidate_rank", "own_job_order_rank",
  "cutoff_job_order_rank"}``.  The cutoff is the job_order_rank of the last
  (worst-ranked) candidate admitted there; stability guarantees it is better
  than ``own_job_order_rank``.  It is ``None`` only for a job order with
  zero slots.
* ``optimal`` adds ``"full_job_orders"``: for an unplaced candidate, the
  eligible job orders that are full, by the candidate's preference, as
  ``{"job_order", "candidate_rank", "slots"}`` (empty for placed ones).

With ``columns=True`` each candidate's details come by column instead, as
``{"job_order": [...], "candidate_rank": [...], ...}``: the same values in
the same order. A run stores that form: an unplaced candidate of a large run
lists a few hundred job orders, and a key beside every value would be most
of the stored bytes. :func:`detail_rows` gives the rows of either form.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray
from ortools.graph.python import min_cost_flow  # type: ignore[import-untyped, unused-ignore]

from jembatan.matching.instance import (
    INT64_MAX,
    RANK_MAX,
    BoolArray,
    FloatArray,
    Instance,
    InstanceError,
    Int32Array,
    Int64Array,
    MatchingError,
    pair_keys,
    parse_instance,
)

__all__ = [
    "METHODS",
    "RANK_MAX",
    "REASONS",
    "WEIGHT_RESOLUTION",
    "FlowNetwork",
    "Instance",
    "InstanceError",
    "MatchResult",
    "MatchingError",
    "Method",
    "build_flow_network",
    "detail_rows",
    "parse_instance",
    "run_flow_network",
    "solve",
    "solve_optimal",
    "solve_stable",
]

Method = Literal["optimal", "stable"]
METHODS: Final[tuple[Method, ...]] = ("optimal", "stable")
REASONS: Final[tuple[str, ...]] = (
    "placed",
    "outranked",
    "not_selected_for_optimum",
    "no_eligible_job_order",
)

WEIGHT_RESOLUTION: Final = 1e-6
"""Default quantisation step of weights for the integer min-cost-flow solver."""

_RESOLUTION_RETRIES: Final = 4
_RESOLUTION_BACKOFF: Final = 1024.0
_OPTIMAL: Final = int(min_cost_flow.SimpleMinCostFlow.OPTIMAL)
_BAD_COST_RANGE: Final = int(min_cost_flow.SimpleMinCostFlow.BAD_COST_RANGE)

_Int = TypeVar("_Int", np.int32, np.int64)


# --------------------------------------------------------------------------
# Result
# --------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class MatchResult:
    """Outcome of a matching: for each candidate, the edge used or -1.

    Everything else (placements, explanations, JSON form) derives from
    ``assigned_edge``, so the solvers only have to produce that one array.
    """

    method: Method
    instance: Instance
    assigned_edge: Int64Array

    @property
    def assigned_job(self) -> Int64Array:
        """Job order position per candidate, -1 when unplaced."""
        jobs = np.full(self.instance.n_candidates, -1, np.int64)
        placed = self.assigned_edge >= 0
        jobs[placed] = self.instance.edge_job[self.assigned_edge[placed]]
        return jobs

    @property
    def placed(self) -> int:
        """Number of candidates placed."""
        return int(np.count_nonzero(self.assigned_edge >= 0))

    @property
    def total_weight(self) -> float:
        """Correctly rounded float sum of the original weights of chosen edges."""
        chosen = self.assigned_edge[self.assigned_edge >= 0]
        return math.fsum(self.instance.weight[chosen].tolist())

    def to_dict(self) -> dict[str, object]:
        """The JSON-ready result, deterministic for a given instance.

        Includes every candidate's explanation, which dominates the cost on
        large instances (about 17 s for 7.5 million detail entries); use
        :meth:`explanations` with ``candidates`` to explain a few people.
        """
        ids = self.instance.candidate_ids
        jobs = self.instance.job_order_ids
        assigned = self.assigned_job.tolist()
        return {
            "method": self.method,
            "assignments": [
                {"candidate": ids[c], "job_order": jobs[j]}
                for c, j in enumerate(assigned)
                if j >= 0
            ],
            "placed": self.placed,
            "total_weight": self.total_weight,
            "unplaced": [ids[c] for c, j in enumerate(assigned) if j < 0],
            "explanations": self.explanations(),
        }

    def explanations(
        self, candidates: Sequence[int] | None = None, *, columns: bool = False
    ) -> list[dict[str, object]]:
        """Why each candidate got what they got (see the module docstring).

        ``candidates`` (positions) limits the work to those candidates, in
        the given order: explaining one person on a web page should not
        build the millions of detail dicts a full explanation holds.
        ``columns`` gives each candidate's details by column.
        """
        n = self.instance.n_candidates
        chosen = np.arange(n) if candidates is None else np.asarray(candidates, np.int64)
        if self.method == "stable":
            mask, key = _stable_detail_mask(self), "preferred"
        else:
            mask, key = _optimal_detail_mask(self), "full_job_orders"
        if candidates is not None:
            selected = np.zeros(n, np.bool_)
            selected[chosen] = True
            mask &= selected[self.instance.edge_candidate]
        return _Explainer(self, mask, key, columns=columns).run(chosen.tolist())


def _job_fill(result: MatchResult) -> Int64Array:
    """How many candidates each job order received."""
    jobs = result.assigned_job
    return np.bincount(jobs[jobs >= 0], minlength=result.instance.n_job_orders)


def _stable_detail_mask(result: MatchResult) -> BoolArray:
    """Edges the candidate preferred to what they got (all, if unplaced)."""
    inst = result.instance
    own_rank = np.full(inst.n_candidates, RANK_MAX + 1, np.int64)
    placed = result.assigned_edge >= 0
    own_rank[placed] = inst.candidate_rank[result.assigned_edge[placed]]
    mask: BoolArray = inst.candidate_rank < own_rank[inst.edge_candidate]
    return mask


def _optimal_detail_mask(result: MatchResult) -> BoolArray:
    """Full eligible job orders of unplaced candidates."""
    inst = result.instance
    full = _job_fill(result) >= inst.slots
    unplaced = result.assigned_edge < 0
    mask: BoolArray = unplaced[inst.edge_candidate] & full[inst.edge_job]
    return mask


def _stable_cutoffs(result: MatchResult) -> Int64Array:
    """Worst job_order_rank admitted per job order (-1 when none)."""
    inst = result.instance
    chosen = result.assigned_edge[result.assigned_edge >= 0]
    cutoff = np.full(inst.n_job_orders, -1, np.int64)
    np.maximum.at(cutoff, inst.edge_job[chosen], inst.job_order_rank[chosen])
    return cutoff


class _Explainer:
    """Builds the per-candidate explanation dicts from a mask of detail edges.

    The detail edges are grouped per candidate (CSR offsets) and ordered by
    the candidate's preference, so each candidate's details are one slice of
    every column.
    """

    def __init__(
        self, result: MatchResult, mask: BoolArray, detail_key: str, *, columns: bool
    ) -> None:
        inst = result.instance
        edges = np.flatnonzero(mask)
        edges = edges[np.lexsort((inst.candidate_rank[edges], inst.edge_candidate[edges]))]
        counts = np.bincount(inst.edge_candidate[edges], minlength=inst.n_candidates)
        self.result = result
        self.detail_key = detail_key
        self.columns = columns
        self.offsets: list[int] = np.concatenate(([0], np.cumsum(counts))).tolist()
        self.details = (
            _stable_details(result, edges)
            if result.method == "stable"
            else _optimal_details(result, edges)
        )

    def run(self, candidates: list[int]) -> list[dict[str, object]]:
        """Explanations for the given candidate positions, in that order."""
        inst = self.result.instance
        has_edges = (np.bincount(inst.edge_candidate, minlength=inst.n_candidates) > 0).tolist()
        assigned = self.result.assigned_job.tolist()
        return [self._explain(c, assigned[c], has_edges[c]) for c in candidates]

    def _explain(self, candidate: int, job: int, has_edges: bool) -> dict[str, object]:
        """Explanation of one candidate."""
        inst = self.result.instance
        start, end = self.offsets[candidate], self.offsets[candidate + 1]
        own = {name: values[start:end] for name, values in self.details.items()}
        return {
            "candidate": inst.candidate_ids[candidate],
            "assigned": inst.job_order_ids[job] if job >= 0 else None,
            "reason": self._reason(job, has_edges),
            self.detail_key: own if self.columns else detail_rows(own),
        }

    def _reason(self, job: int, has_edges: bool) -> str:
        """Reason code; see the module docstring for their meaning."""
        if job >= 0:
            return "placed"
        if not has_edges:
            return "no_eligible_job_order"
        return "outranked" if self.result.method == "stable" else "not_selected_for_optimum"


Details = dict[str, list[object]]


def detail_rows(details: Details | list[dict[str, object]] | None) -> list[dict[str, object]]:
    """A candidate's details as rows, whether given by column or already as rows."""
    if not details:
        return []
    if isinstance(details, list):
        return details
    names = list(details)
    return [dict(zip(names, row, strict=True)) for row in zip(*details.values(), strict=True)]


def _stable_details(result: MatchResult, edges: NDArray[np.intp]) -> Details:
    """Preferred job orders with the cutoff that kept the candidate out, by column."""
    inst = result.instance
    jobs = inst.edge_job[edges]
    cutoffs = _stable_cutoffs(result)[jobs].tolist()
    return {
        "job_order": [inst.job_order_ids[job] for job in jobs.tolist()],
        "candidate_rank": inst.candidate_rank[edges].tolist(),
        "own_job_order_rank": inst.job_order_rank[edges].tolist(),
        "cutoff_job_order_rank": [cutoff if cutoff >= 0 else None for cutoff in cutoffs],
    }


def _optimal_details(result: MatchResult, edges: NDArray[np.intp]) -> Details:
    """Full eligible job orders, with their number of slots, by column."""
    inst = result.instance
    jobs = inst.edge_job[edges]
    return {
        "job_order": [inst.job_order_ids[job] for job in jobs.tolist()],
        "candidate_rank": inst.candidate_rank[edges].tolist(),
        "slots": inst.slots[jobs].tolist(),
    }


def _result_from_edges(method: Method, instance: Instance, chosen: NDArray[np.intp]) -> MatchResult:
    """Turn a set of chosen edges into the per-candidate assignment array."""
    assigned = np.full(instance.n_candidates, -1, np.int64)
    assigned[instance.edge_candidate[chosen]] = chosen
    return MatchResult(method, instance, assigned)


# --------------------------------------------------------------------------
# Optimal: min-cost max-flow
# --------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class FlowNetwork:
    """Arrays ready for ``SimpleMinCostFlow``'s bulk API.

    Arcs ``0 .. n_edges-1`` are the candidate -> job order arcs in edge order,
    so flows on them map straight back to edges.
    """

    tails: Int32Array
    heads: Int32Array
    capacities: Int64Array
    unit_costs: Int64Array
    supply_nodes: Int32Array
    supplies: Int64Array
    n_edges: int
    resolution: float


def build_flow_network(instance: Instance, resolution: float | None = None) -> FlowNetwork:
    """Lay out nodes as candidates, job orders, source, sink and build arcs.

    Arcs are edges first, then source -> candidate, then job order -> sink.
    Each column is allocated once and filled in place: at 10 million edges,
    temporaries and fresh pages are most of the cost outside the solver.
    ``resolution`` defaults to :data:`WEIGHT_RESOLUTION`, coarsened if the
    largest weight would exceed the solver's cost range.
    """
    n, m, e = instance.n_candidates, instance.n_job_orders, instance.n_edges
    source, sink = n + m, n + m + 1
    if resolution is None:
        resolution = _safe_resolution(instance.weight, n + m + 2)
    sizes = (e, n, m)
    heads = _arc_column(np.int32, instance.edge_job, np.arange(n), sink, sizes)
    heads[:e] += np.int32(n)
    costs = _arc_column(np.int64, 0, 0, 0, sizes)
    _write_edge_costs(costs[:e], instance.weight, resolution)
    return FlowNetwork(
        tails=_arc_column(np.int32, instance.edge_candidate, source, np.arange(n, n + m), sizes),
        heads=heads,
        capacities=_arc_column(np.int64, 1, 1, np.minimum(instance.slots, n), sizes),
        unit_costs=costs,
        supply_nodes=np.array([source, sink], np.int32),
        supplies=np.array([n, -n], np.int64),
        n_edges=e,
        resolution=resolution,
    )


def _arc_column(
    dtype: type[_Int],
    on_edges: ArrayLike,
    from_source: ArrayLike,
    to_sink: ArrayLike,
    sizes: tuple[int, int, int],
) -> NDArray[_Int]:
    """One per-arc column: edge arcs, then source arcs, then sink arcs.

    ``sizes`` is (edges, candidates, job orders); parts broadcast.
    """
    n_edges, n_candidates, n_job_orders = sizes
    column = np.empty(n_edges + n_candidates + n_job_orders, dtype)
    column[:n_edges] = on_edges
    column[n_edges : n_edges + n_candidates] = from_source
    column[n_edges + n_candidates :] = to_sink
    return column


def _safe_resolution(weight: FloatArray, n_nodes: int) -> float:
    """Finest resolution whose largest cost the solver still accepts.

    OR-Tools refuses costs above ``int64 max / (2 * (nodes + 1))``; we keep a
    further factor 1024 of headroom for the node potentials it computes.
    """
    if weight.size == 0:
        return WEIGHT_RESOLUTION
    cost_limit = INT64_MAX // (2 * (n_nodes + 1)) // 1024
    return max(WEIGHT_RESOLUTION, float(weight.max()) / cost_limit)


def _write_edge_costs(out: Int64Array, weight: FloatArray, resolution: float) -> None:
    """Non-negative integer costs whose minimisation maximises weight.

    With the flow size fixed, ``sum(max_q - q)`` is ``flow * max_q - sum(q)``.
    Written into ``out`` in place to avoid four 10-million-element temporaries.
    """
    if weight.size == 0:
        return
    scaled = np.multiply(weight, 1.0 / resolution)
    np.rint(scaled, out=scaled)
    np.copyto(out, scaled, casting="unsafe")
    np.subtract(out.max(), out, out=out)


def run_flow_network(network: FlowNetwork) -> tuple[int, Int64Array]:
    """Solve max-flow-then-min-cost; return the status and the edge flows.

    The benchmark's "raw" baseline is this call minus the flow read-back.
    """
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        network.tails, network.heads, network.capacities, network.unit_costs
    )
    solver.set_nodes_supplies(network.supply_nodes, network.supplies)
    status = int(solver.solve_max_flow_with_min_cost())
    if status != _OPTIMAL:
        return status, np.zeros(0, np.int64)
    flows: Int64Array = solver.flows(np.arange(network.n_edges, dtype=np.int32))
    return status, flows


def solve_optimal(instance: Instance) -> MatchResult:
    """Place the most candidates, then maximise the total weight."""
    resolution = None
    for _ in range(_RESOLUTION_RETRIES):
        network = build_flow_network(instance, resolution)
        status, flows = run_flow_network(network)
        if status == _OPTIMAL:
            return _result_from_edges("optimal", instance, np.flatnonzero(flows > 0))
        if status != _BAD_COST_RANGE:
            name = min_cost_flow.SimpleMinCostFlow.Status(status).name
            raise MatchingError(f"min-cost flow failed with status {name}")
        resolution = network.resolution * _RESOLUTION_BACKOFF
    raise MatchingError("min-cost flow cost range still too large after coarsening")


# --------------------------------------------------------------------------
# Stable: candidate-proposing deferred acceptance
# --------------------------------------------------------------------------


def solve_stable(instance: Instance) -> MatchResult:
    """Candidate-optimal stable matching by deferred acceptance."""
    order, starts, ends = _proposal_lists(instance)
    n = instance.n_candidates
    jobs = instance.edge_job[order].data
    keys = _admission_keys(instance, order).data
    capacity = np.minimum(instance.slots, n).tolist()
    held, next_position = _defer_acceptance(jobs, keys, capacity, starts, ends, n)
    chosen = order[[next_position[c] - 1 for c in held]]
    return _result_from_edges("stable", instance, chosen)


def _proposal_lists(
    instance: Instance,
) -> tuple[NDArray[np.intp], list[int], list[int]]:
    """Each candidate's usable edges by preference, as one CSR structure.

    Edges to job orders without slots can never be accepted, so they are
    dropped up front to keep the hot loop free of that case.
    """
    usable = np.flatnonzero(instance.slots[instance.edge_job] > 0)
    keys = pair_keys(instance.edge_candidate[usable], instance.candidate_rank[usable], RANK_MAX + 1)
    order = usable[np.argsort(keys)]
    counts = np.bincount(instance.edge_candidate[order], minlength=instance.n_candidates)
    ends = np.cumsum(counts)
    return order, (ends - counts).tolist(), ends.tolist()


def _admission_keys(instance: Instance, order: NDArray[np.intp]) -> Int64Array:
    """Heap keys ``-(job_order_rank * n + candidate)`` for each proposal.

    Python's heap is a min-heap, so negating makes its top the worst admitted
    candidate; packing the candidate in the key lets an eviction say who was
    evicted without a second lookup.  Fits int64: rank < 2**31, n < 2**31.
    """
    ranks = instance.job_order_rank[order].astype(np.int64)
    keys: Int64Array = -(ranks * instance.n_candidates + instance.edge_candidate[order])
    return keys


def _defer_acceptance(
    jobs: memoryview,
    keys: memoryview,
    capacity: list[int],
    starts: list[int],
    ends: list[int],
    n: int,
) -> tuple[list[int], list[int]]:
    """The hot loop: free candidates propose until held or exhausted.

    Returns the held candidates and, per candidate, one past the position of
    their last proposal (the held edge for held candidates).

    This is one function with local aliases on purpose: it runs once per
    proposal (~10 million times).  ``threshold[job]`` is the key of the worst
    admitted candidate once the job order is full (and below every key
    before), so the common case, a rejection, costs a single comparison.
    Memoryviews over the numpy columns index faster than lists here and
    avoid materialising millions of Python ints.
    """
    heaps: list[list[int]] = [[] for _ in capacity]
    threshold = [-(2**63)] * len(capacity)
    next_position = starts[:]
    free = list(range(n - 1, -1, -1))
    push, replace, pop_free, add_free = heapq.heappush, heapq.heapreplace, free.pop, free.append
    while free:
        candidate = pop_free()
        position, end = next_position[candidate], ends[candidate]
        while position < end:
            job = jobs[position]
            key = keys[position]
            position += 1
            if key > threshold[job]:
                heap = heaps[job]
                if len(heap) < capacity[job]:
                    push(heap, key)
                    if len(heap) == capacity[job]:
                        threshold[job] = heap[0]
                else:
                    add_free(-replace(heap, key) % n)
                    threshold[job] = heap[0]
                break
        next_position[candidate] = position
    return [-key % n for heap in heaps for key in heap], next_position


def solve(instance: Instance, method: Method) -> MatchResult:
    """Dispatch to :func:`solve_optimal` or :func:`solve_stable`."""
    if method == "optimal":
        return solve_optimal(instance)
    if method == "stable":
        return solve_stable(instance)
    raise ValueError(f"unknown method {method!r}; expected one of {METHODS}")
