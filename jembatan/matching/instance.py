"""The matching instance: candidates, job orders and eligible pairs, validated.

Pure Python (no Django). Columns are numpy arrays so that ten million eligible
pairs fit in memory; every refusal names the offending item. The engine
(:mod:`jembatan.matching.engine`) re-exports what it needs from here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

INT64_MAX: Final = 2**63 - 1
RANK_MAX: Final = 2**31 - 1
"""Ranks are stored as int32; larger ranks are refused rather than wrapped."""

Int32Array = NDArray[np.int32]
Int64Array = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


class InstanceError(ValueError):
    """The instance is malformed; the message names the offending item."""


class MatchingError(RuntimeError):
    """The solver failed on a valid instance (should not happen)."""


# --------------------------------------------------------------------------
# Instance
# --------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Instance:
    """A validated matching problem in columnar form.

    Build it with :func:`parse_instance` (JSON-like data) or
    :meth:`Instance.from_arrays`; the constructor itself trusts its input.
    Edge ``e`` says candidate ``edge_candidate[e]`` (index into
    ``candidate_ids``) is eligible for job order ``edge_job[e]`` (index into
    ``job_order_ids``).
    """

    candidate_ids: tuple[str, ...]
    job_order_ids: tuple[str, ...]
    slots: Int64Array
    edge_candidate: Int32Array
    edge_job: Int32Array
    weight: FloatArray
    candidate_rank: Int32Array
    job_order_rank: Int32Array

    @property
    def n_candidates(self) -> int:
        """Number of candidates."""
        return len(self.candidate_ids)

    @property
    def n_job_orders(self) -> int:
        """Number of job orders."""
        return len(self.job_order_ids)

    @property
    def n_edges(self) -> int:
        """Number of eligible (candidate, job order) pairs."""
        return int(self.edge_candidate.shape[0])

    @classmethod
    def from_arrays(
        cls,
        candidate_ids: Sequence[str],
        job_order_ids: Sequence[str],
        slots: ArrayLike,
        edge_candidate: ArrayLike,
        edge_job: ArrayLike,
        weight: ArrayLike,
        candidate_rank: ArrayLike,
        job_order_rank: ArrayLike,
    ) -> Instance:
        """Validate columnar input (vectorised) and build an instance.

        This is the entry point for the benchmark and the Django side, which
        already hold positional indices.  Raises :class:`InstanceError`
        naming the first offending item, e.g. ``edges[17]: ...``.
        """
        cids = _check_ids(candidate_ids, "candidates")
        jids = _check_ids(job_order_ids, "job_orders")
        candidates = _index_column(edge_candidate, len(cids), "candidate")
        n_edges = int(candidates.shape[0])
        instance = cls(
            candidate_ids=cids,
            job_order_ids=jids,
            slots=_slots_column(slots, len(jids)),
            edge_candidate=candidates,
            edge_job=_index_column(edge_job, len(jids), "job_order", n_edges),
            weight=_weight_column(weight, n_edges),
            candidate_rank=_rank_column(candidate_rank, "candidate_rank", n_edges),
            job_order_rank=_rank_column(job_order_rank, "job_order_rank", n_edges),
        )
        _check_no_duplicate_edges(instance)
        _check_strict_candidate_ranks(instance)
        _check_strict_job_order_ranks(instance)
        return instance


def _check_ids(ids: Sequence[str], section: str) -> tuple[str, ...]:
    """Ids must be unique strings: results and explanations refer to them."""
    result = tuple(ids)
    for position, value in enumerate(result):
        if not isinstance(value, str):
            raise InstanceError(f"{section}[{position}]: id must be a string")
    if len(set(result)) != len(result):
        _raise_duplicate_id(result, section)
    return result


def _raise_duplicate_id(ids: tuple[str, ...], section: str) -> None:
    """Name the first repeated id and where it was first seen."""
    seen: dict[str, int] = {}
    for position, value in enumerate(ids):
        if value in seen:
            raise InstanceError(
                f'{section}[{position}]: duplicate id "{value}" (already {section}[{seen[value]}])'
            )
        seen[value] = position


def _integer_array(values: ArrayLike, what: str) -> Int64Array:
    """Coerce to a 1-D int64 array, refusing floats, bools and objects.

    Silent truncation of 2.5 slots or a rank of 1.7 would hide input bugs.
    """
    array = np.asarray(values)
    if array.ndim != 1:
        raise InstanceError(f"{what} must be a one-dimensional array")
    if array.size == 0:
        return np.zeros(0, np.int64)
    if array.dtype.kind not in "iu":
        raise InstanceError(f"{what} must hold integers, got dtype {array.dtype}")
    if array.dtype == np.uint64 and int(array.max()) > INT64_MAX:
        raise InstanceError(f"{what} holds values beyond int64")
    return array.astype(np.int64, copy=False)


def _check_length(array: NDArray[np.generic], expected: int, what: str) -> None:
    """Columns must line up one-to-one with the items they describe."""
    if array.shape[0] != expected:
        raise InstanceError(f"{what} has {array.shape[0]} entries, expected {expected}")


def _first_position(mask: BoolArray) -> int | None:
    """Position of the first True, so errors name the earliest bad item."""
    positions = np.flatnonzero(mask)
    return int(positions[0]) if positions.size else None


def _slots_column(slots: ArrayLike, n_job_orders: int) -> Int64Array:
    """Slots are non-negative integers, one per job order."""
    array = _integer_array(slots, "slots")
    _check_length(array, n_job_orders, "slots")
    bad = _first_position(array < 0)
    if bad is not None:
        raise InstanceError(
            f"job_orders[{bad}]: slots must be a non-negative integer, got {int(array[bad])}"
        )
    return array


def _index_column(
    values: ArrayLike, bound: int, field: str, expected: int | None = None
) -> Int32Array:
    """Edge endpoints are positions into the id lists."""
    array = _integer_array(values, f"edge {field} indices")
    if expected is not None:
        _check_length(array, expected, f"edge {field} indices")
    bad = _first_position((array < 0) | (array >= bound))
    if bad is not None:
        raise InstanceError(
            f"edges[{bad}]: {field} index {int(array[bad])} is out of range (there are {bound})"
        )
    return array.astype(np.int32)


def _weight_column(values: ArrayLike, expected: int) -> FloatArray:
    """Weights are finite and non-negative: they are values of placements."""
    array = np.asarray(values)
    if array.ndim != 1 or (array.size and array.dtype.kind not in "iuf"):
        raise InstanceError("weights must be a one-dimensional numeric array")
    weights = array.astype(np.float64)
    _check_length(weights, expected, "weights")
    bad = _first_position(~(np.isfinite(weights) & (weights >= 0)))
    if bad is not None:
        raise InstanceError(
            f"edges[{bad}]: weight must be finite and >= 0, got {float(weights[bad])}"
        )
    return weights


def _rank_column(values: ArrayLike, field: str, expected: int) -> Int32Array:
    """Ranks are positive integers that fit in int32."""
    array = _integer_array(values, f"{field}s")
    _check_length(array, expected, f"{field}s")
    bad = _first_position((array < 1) | (array > RANK_MAX))
    if bad is not None:
        raise InstanceError(
            f"edges[{bad}]: {field} must be an integer between 1 and {RANK_MAX}, "
            f"got {int(array[bad])}"
        )
    return array.astype(np.int32)


def _first_repeat(keys: Int64Array) -> tuple[int, int] | None:
    """Find two positions with equal keys, the later one as early as possible.

    A stable sort keeps equal keys in input order, so each adjacent equal
    pair is (earlier, later); we report the pair whose later item comes
    first in the input.
    """
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    hits = np.flatnonzero(sorted_keys[1:] == sorted_keys[:-1])
    if hits.size == 0:
        return None
    later = order[hits + 1]
    pick = int(np.argmin(later))
    return int(order[hits[pick]]), int(later[pick])


def pair_keys(major: Int32Array, minor: Int32Array, minor_span: int) -> Int64Array:
    """Combine two small non-negative integers into one int64 sort key."""
    return major.astype(np.int64) * minor_span + minor.astype(np.int64)


def _check_no_duplicate_edges(instance: Instance) -> None:
    """Each (candidate, job order) pair may be listed only once."""
    keys = pair_keys(instance.edge_candidate, instance.edge_job, max(instance.n_job_orders, 1))
    repeat = _first_repeat(keys)
    if repeat is not None:
        first, second = repeat
        raise InstanceError(
            f"edges[{second}]: duplicate of edges[{first}] "
            f'(candidate "{_candidate_of(instance, second)}", '
            f'job_order "{_job_of(instance, second)}")'
        )


def _check_strict_candidate_ranks(instance: Instance) -> None:
    """A candidate's preferences must be a strict order (no ties)."""
    keys = pair_keys(instance.edge_candidate, instance.candidate_rank, RANK_MAX + 1)
    repeat = _first_repeat(keys)
    if repeat is not None:
        first, second = repeat
        raise InstanceError(
            f"edges[{second}]: candidate_rank "
            f"{int(instance.candidate_rank[second])} is tied with edges[{first}] "
            f'for candidate "{_candidate_of(instance, second)}"'
        )


def _check_strict_job_order_ranks(instance: Instance) -> None:
    """A job order's ranking of candidates must be a strict order (no ties)."""
    keys = pair_keys(instance.edge_job, instance.job_order_rank, RANK_MAX + 1)
    repeat = _first_repeat(keys)
    if repeat is not None:
        first, second = repeat
        raise InstanceError(
            f"edges[{second}]: job_order_rank "
            f"{int(instance.job_order_rank[second])} is tied with edges[{first}] "
            f'for job_order "{_job_of(instance, second)}"'
        )


def _candidate_of(instance: Instance, edge: int) -> str:
    """Candidate id of an edge, for error messages."""
    return instance.candidate_ids[int(instance.edge_candidate[edge])]


def _job_of(instance: Instance, edge: int) -> str:
    """Job order id of an edge, for error messages."""
    return instance.job_order_ids[int(instance.edge_job[edge])]


# --------------------------------------------------------------------------
# Parsing JSON-like data
# --------------------------------------------------------------------------

_EDGE_KEYS: Final = (
    "candidate",
    "job_order",
    "weight",
    "candidate_rank",
    "job_order_rank",
)


def parse_instance(data: object) -> Instance:
    """Build an :class:`Instance` from decoded JSON, validating everything.

    Structural problems (missing keys, wrong types, unknown ids) are found
    here item by item; numeric ranges, duplicates and ties are checked by
    :meth:`Instance.from_arrays` on whole columns.
    """
    root = _as_mapping(data, "instance")
    candidates = _as_list(_get(root, "candidates", "instance"), "candidates")
    job_orders = _as_list(_get(root, "job_orders", "instance"), "job_orders")
    edges = _as_list(_get(root, "edges", "instance"), "edges")
    candidate_ids = [_item_id(item, "candidates", i) for i, item in enumerate(candidates)]
    job_order_ids = [_item_id(item, "job_orders", i) for i, item in enumerate(job_orders)]
    slots = [_job_order_slots(item, i) for i, item in enumerate(job_orders)]
    columns = _edge_columns(
        edges,
        _id_positions(candidate_ids, "candidates"),
        _id_positions(job_order_ids, "job_orders"),
    )
    return Instance.from_arrays(
        candidate_ids,
        job_order_ids,
        _int_list_to_array(slots, "job_orders", "slots"),
        *columns,
    )


def _as_mapping(value: object, where: str) -> Mapping[str, object]:
    """Objects must be JSON objects, not lists or scalars."""
    if not isinstance(value, Mapping):
        raise InstanceError(f"{where}: must be an object")
    return value


def _as_list(value: object, where: str) -> list[object]:
    """Collections must be JSON arrays."""
    if not isinstance(value, list):
        raise InstanceError(f"{where}: must be a list")
    return value


def _get(mapping: Mapping[str, object], key: str, where: str) -> object:
    """Look up a required key, naming it when it is missing."""
    try:
        return mapping[key]
    except KeyError:
        raise InstanceError(f'{where}: missing key "{key}"') from None


def _item_id(item: object, section: str, position: int) -> str:
    """The "id" of a candidate or job order; must be a string."""
    where = f"{section}[{position}]"
    value = _get(_as_mapping(item, where), "id", where)
    if not isinstance(value, str):
        raise InstanceError(f"{where}: id must be a string")
    return value


def _is_int(value: object) -> bool:
    """JSON integers only: bools are ints in Python but not here."""
    return type(value) is int


def _job_order_slots(item: object, position: int) -> int:
    """Slots must be a JSON integer (range is checked column-wise)."""
    where = f"job_orders[{position}]"
    value = _get(_as_mapping(item, where), "slots", where)
    if not _is_int(value):
        raise InstanceError(f"{where}: slots must be a non-negative integer")
    assert isinstance(value, int)
    return value


def _id_positions(ids: list[str], section: str) -> dict[str, int]:
    """Map ids to positions, refusing duplicates before edges use them."""
    positions = {value: i for i, value in enumerate(ids)}
    if len(positions) != len(ids):
        _raise_duplicate_id(tuple(ids), section)
    return positions


_EdgeColumns = tuple[Int64Array, Int64Array, FloatArray, Int64Array, Int64Array]


def _edge_columns(
    edges: list[object],
    candidate_positions: dict[str, int],
    job_positions: dict[str, int],
) -> _EdgeColumns:
    """Resolve ids and check the type of every field of every edge."""
    rows: list[tuple[int, int, float, int, int]] = []
    append = rows.append
    for position, edge in enumerate(edges):
        append(_edge_row(edge, position, candidate_positions, job_positions))
    if not rows:
        empty = np.zeros(0, np.int64)
        return empty, empty, np.zeros(0, np.float64), empty, empty
    cand, job, weight, crank, jrank = zip(*rows, strict=True)
    return (
        np.array(cand, np.int64),
        np.array(job, np.int64),
        np.array(weight, np.float64),
        _int_list_to_array(crank, "edges", "candidate_rank"),
        _int_list_to_array(jrank, "edges", "job_order_rank"),
    )


def _edge_row(
    edge: object,
    position: int,
    candidate_positions: dict[str, int],
    job_positions: dict[str, int],
) -> tuple[int, int, float, int, int]:
    """Validate one edge's structure and translate its ids to positions."""
    where = f"edges[{position}]"
    mapping = _as_mapping(edge, where)
    fields = [_get(mapping, key, where) for key in _EDGE_KEYS]
    candidate, job_order, weight, crank, jrank = fields
    return (
        _resolve(candidate, candidate_positions, where, "candidate", "candidates"),
        _resolve(job_order, job_positions, where, "job_order", "job_orders"),
        _edge_weight(weight, where),
        _edge_rank(crank, where, "candidate_rank"),
        _edge_rank(jrank, where, "job_order_rank"),
    )


def _resolve(value: object, positions: dict[str, int], where: str, field: str, section: str) -> int:
    """Translate a referenced id, refusing unknown ones by name."""
    if not isinstance(value, str):
        raise InstanceError(f"{where}: {field} must be a string id")
    try:
        return positions[value]
    except KeyError:
        raise InstanceError(f'{where}: {field} "{value}" is not in {section}') from None


def _edge_weight(value: object, where: str) -> float:
    """Weights are JSON numbers (range is checked column-wise)."""
    if type(value) is float:
        return value
    if _is_int(value):
        assert isinstance(value, int)
        return _int_as_float(value, where)
    raise InstanceError(f"{where}: weight must be a number")


def _int_as_float(value: int, where: str) -> float:
    """Huge integers cannot be weights; say so instead of OverflowError."""
    try:
        return float(value)
    except OverflowError:
        raise InstanceError(f"{where}: weight is too large") from None


def _edge_rank(value: object, where: str, field: str) -> int:
    """Ranks are JSON integers (range is checked column-wise)."""
    if not _is_int(value):
        raise InstanceError(f"{where}: {field} must be a positive integer")
    assert isinstance(value, int)
    return value


def _int_list_to_array(values: Sequence[int], section: str, field: str) -> Int64Array:
    """Convert to int64, naming the item whose value does not even fit."""
    try:
        return np.array(values, np.int64)
    except OverflowError:
        bad = next(i for i, v in enumerate(values) if not -INT64_MAX <= v <= INT64_MAX)
        raise InstanceError(f"{section}[{bad}]: {field} {values[bad]} is too large") from None
