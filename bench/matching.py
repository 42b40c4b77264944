"""Benchmark of the matching engine (jembatan.matching.engine).

Usage::

    .venv/bin/python bench/matching.py [--sizes 10000,100000,1000000] [--quick]
                                       [--repeat N] [--explain]

For each size N it generates (numpy, fixed seed) N candidates, N/20 job
orders, N/4 slots in total and a fixed number of eligible job orders per
candidate (100 up to 100,000 candidates, i.e. 10 million edges; 10 above,
because 100 million edges would not fit in memory).  Preferences are
correlated (popular job orders, strong candidates) with noise, weights are
uniform in [0, 100).

Each measurement runs in its own child process so that its peak resident
memory is its own: the child loads the instance, resets the kernel's peak
RSS counter (``/proc/self/clear_refs``), runs the measured step and reports
time and ``VmHWM``.  Peak RSS therefore includes the instance itself, which
any real caller also holds.  Measured steps:

``validate``  ``Instance.from_arrays`` (all vectorised input checks)
``raw``       the bare OR-Tools call on the engine's prepared arrays:
              ``SimpleMinCostFlow`` + bulk arcs + supplies + solve
``optimal``   ``solve_optimal`` (build arrays + solve + extract assignment)
``stable``    ``solve_stable`` (CSR preparation + deferred acceptance)
``explain``   (with ``--explain``) ``MatchResult.explanations()`` of the
              stable result: every candidate's explanation as plain data
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from _support import call, child, last_json, peak_rss_bytes, reset_peak_rss
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow  # type: ignore[import-untyped, unused-ignore]

from jembatan.matching.engine import Instance, build_flow_network, solve_optimal, solve_stable

SEED = 20240817
FULL_EDGES_PER_CANDIDATE = 100
LARGE_EDGES_PER_CANDIDATE = 10
LARGE_THRESHOLD = 100_000
STEPS = ("validate", "raw", "optimal", "stable")
ARRAY_NAMES = (
    "slots",
    "edge_candidate",
    "edge_job",
    "weight",
    "candidate_rank",
    "job_order_rank",
)

Arrays = dict[str, NDArray[np.generic]]


# ------------------------------------------------------------ generation


def edges_per_candidate(n: int) -> int:
    """100 eligible job orders each, scaled down above 100k candidates."""
    return FULL_EDGES_PER_CANDIDATE if n <= LARGE_THRESHOLD else LARGE_EDGES_PER_CANDIDATE


def generate(n: int, per_candidate: int, seed: int = SEED) -> Arrays:
    """A reproducible random instance in columnar form."""
    rng = np.random.default_rng(seed)
    m = max(n // 20, 1)
    per_candidate = min(per_candidate, m)
    candidates = np.repeat(np.arange(n, dtype=np.int32), per_candidate)
    jobs = _distinct_jobs(rng, n, m, per_candidate)
    popularity, strength = rng.normal(size=m), rng.normal(size=n)
    return {
        "slots": _slots(rng, m, max(n // 4, m)),
        "edge_candidate": candidates,
        "edge_job": jobs,
        "weight": np.round(rng.uniform(0.0, 100.0, jobs.size), 3),
        "candidate_rank": _ranks(-(popularity[jobs] + rng.normal(size=jobs.size))),
        "job_order_rank": _ranks(-(strength[candidates] + rng.normal(size=jobs.size))),
    }


def _distinct_jobs(rng: np.random.Generator, n: int, m: int, k: int) -> NDArray[np.int32]:
    """k distinct job orders per candidate, without a per-candidate loop.

    Cumulative gaps of at most (m-1)//k from a random start never wrap
    around to an earlier job order.
    """
    gaps = rng.integers(1, max((m - 1) // k, 1) + 1, size=(n, k), dtype=np.int64)
    starts = rng.integers(0, m, size=(n, 1), dtype=np.int64)
    jobs: NDArray[np.int32] = ((starts + np.cumsum(gaps, axis=1)) % m).astype(np.int32).ravel()
    return jobs


def _slots(rng: np.random.Generator, m: int, total: int) -> NDArray[np.int64]:
    """At least one slot per job order, ``total`` in all."""
    extra = rng.multinomial(total - m, np.full(m, 1.0 / m))
    slots: NDArray[np.int64] = (extra + 1).astype(np.int64)
    return slots


def _ranks(score: NDArray[np.float64]) -> NDArray[np.int32]:
    """Global ranks of scores: strict everywhere, non-contiguous per group."""
    ranks = np.empty(score.size, np.int32)
    ranks[np.argsort(score)] = np.arange(1, score.size + 1, dtype=np.int32)
    return ranks


def save(arrays: Arrays, n_candidates: int, directory: Path) -> Path:
    """Store the instance so every child loads exactly the same one."""
    path = directory / "instance.npz"
    np.savez(path, n_candidates=np.array(n_candidates), **arrays)  # type: ignore[arg-type]
    return path


# ----------------------------------------------------------- child side


def load_columns(path: Path) -> tuple[list[str], list[str], list[NDArray[np.generic]]]:
    """Ids and columns of a stored instance, in ``from_arrays`` order."""
    with np.load(path) as data:
        columns = [data[name] for name in ARRAY_NAMES]
        n = int(data["n_candidates"])
    return [f"c{i}" for i in range(n)], [f"j{i}" for i in range(columns[0].size)], columns


def prepare(step: str, path: Path) -> Callable[[], object]:
    """Do the unmeasured set-up and return the measured call.

    Only the ``validate`` step re-validates; the others trust the stored
    instance (it was generated valid) so their set-up stays quick.
    """
    cids, jids, columns = load_columns(path)
    if step == "validate":
        return lambda: Instance.from_arrays(cids, jids, *columns)
    instance = Instance(tuple(cids), tuple(jids), *columns)  # type: ignore[arg-type]
    if step == "raw":
        net = build_flow_network(instance)
        arrays = (net.tails, net.heads, net.capacities, net.unit_costs)
        return lambda: raw_solver_call(*arrays, net.supply_nodes, net.supplies)
    if step == "optimal":
        return lambda: solve_optimal(instance).placed
    if step == "stable":
        return lambda: solve_stable(instance).placed
    if step == "explain":
        result = solve_stable(instance)
        return lambda: len(result.explanations())
    raise ValueError(step)


def raw_solver_call(
    tails: NDArray[np.int32],
    heads: NDArray[np.int32],
    capacities: NDArray[np.int64],
    costs: NDArray[np.int64],
    nodes: NDArray[np.int32],
    supplies: NDArray[np.int64],
) -> int:
    """The baseline: nothing but the solver on ready-made arrays."""
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    solver.set_nodes_supplies(nodes, supplies)
    status = solver.solve_max_flow_with_min_cost()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"solver status {status}")
    return int(solver.maximum_flow())


def child_measure(step: str, path: Path) -> None:
    """Run one measurement and print it as JSON on stdout."""
    call = prepare(step, path)
    reset_peak_rss()
    start = time.perf_counter()
    outcome = call()
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "peak_rss": peak_rss_bytes(), "outcome": str(outcome)}))


# ---------------------------------------------------------- parent side


def measure(step: str, path: Path) -> dict[str, float | str]:
    """Run one step in a fresh interpreter and collect its report."""
    output = call(child(__file__, step, str(path)), None, f"matching {step}")
    report: dict[str, float | str] = last_json(output)
    return report


def gib(n_bytes: float) -> str:
    """Human-readable memory size."""
    return f"{n_bytes / 2**30:.2f}GiB" if n_bytes >= 2**30 else f"{n_bytes / 2**20:.0f}MiB"


def measure_best(step: str, path: Path, repeat: int) -> dict[str, float | str]:
    """Fastest of ``repeat`` runs (the solver's timing is noisy), highest peak."""
    reports = [measure(step, path) for _ in range(repeat)]
    best = min(reports, key=lambda report: float(report["seconds"]))
    return {**best, "peak_rss": max(float(report["peak_rss"]) for report in reports)}


def run_size(n: int, steps: tuple[str, ...], repeat: int) -> None:
    """Generate, store and measure one size, printing one line per step."""
    per_candidate = edges_per_candidate(n)
    start = time.perf_counter()
    arrays = generate(n, per_candidate)
    n_edges = arrays["edge_candidate"].size
    if per_candidate < FULL_EDGES_PER_CANDIDATE:
        print(
            f"# n={n}: {per_candidate} eligible job orders per candidate instead of "
            f"{FULL_EDGES_PER_CANDIDATE} ({n * FULL_EDGES_PER_CANDIDATE:,} edges would not "
            "fit in memory)"
        )
    with tempfile.TemporaryDirectory(prefix="jembatan-bench-") as directory:
        path = save(arrays, n, Path(directory))
        del arrays
        print(f"# n={n}: generated {n_edges:,} edges in {time.perf_counter() - start:.1f}s")
        reports = {step: measure_best(step, path, repeat) for step in steps}
    raw_seconds = float(reports["raw"]["seconds"]) if "raw" in reports else None
    for step, report in reports.items():
        print(format_line(step, n, n_edges, report, raw_seconds), flush=True)


def format_line(
    step: str, n: int, n_edges: int, report: dict[str, float | str], raw_seconds: float | None
) -> str:
    """One aligned result line."""
    seconds = float(report["seconds"])
    line = (
        f"matching {step:<8} n={n} edges={n_edges} time={seconds:.2f}s "
        f"peak_rss={gib(float(report['peak_rss']))}"
    )
    if step == "optimal" and raw_seconds:
        line += f" ratio_to_raw={seconds / raw_seconds:.2f}"
    if step in {"raw", "optimal", "stable"}:
        line += f" placed={report['outcome']}"
    return line


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--quick", action="store_true", help="only 10,000 candidates")
    parser.add_argument(
        "--explain", action="store_true", help="also time to_dict() with explanations"
    )
    parser.add_argument("--repeat", type=int, default=1, help="keep the fastest of N runs")
    parser.add_argument("--child", nargs=2, metavar=("STEP", "PATH"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, internally, one child measurement)."""
    args = parse_args(argv)
    if args.child:
        child_measure(args.child[0], Path(args.child[1]))
        return 0
    sizes = [10_000] if args.quick else [int(s) for s in args.sizes.split(",")]
    steps = (*STEPS, "explain") if args.explain else STEPS
    for n in sizes:
        run_size(n, steps, max(args.repeat, 1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
