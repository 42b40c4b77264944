"""Turn the database into an engine instance: the pool, the slots, eligibility, ranks, weights.

The pool
    Participants with a *passed* candidacy in one of the run's selection rounds,
    whose journey is *selected*, who are not archived and have no live (proposed
    or confirmed) placement. A participant passed in several rounds counts once,
    with their best candidacy (highest final score, then best rank).

Slots
    Per job order: its slots minus its live placements, so placements approved
    from earlier runs are never disturbed. Job orders no longer approved or open
    (cancelled, closed, filled) drop out of the instance.

Eligibility
    ``jembatan.demand.eligibility.unmet_requirements`` (age, education, language,
    competency units, certificates, a lawful sex requirement), and one more rule:
    a candidate the partner declined, or who was absent, at a shortlist interview
    for a job order is not eligible for it (codes ``declined_at_interview`` and
    ``absent_at_interview``).

Job order's ranking of candidates (``job_order_rank``, 1 = best)
    First the candidates the partner accepted at that job order's interview, by
    their rank in the round; then the candidates trained and certified in the
    job order's occupation; then everyone else; within each group by selection
    standing. Standing across rounds is a deterministic order: final score
    descending, then rank in the round, then participant id (a lower id,
    registered earlier, first). In a single round this is the round's own ranking.

Candidate's ranking of job orders (``candidate_rank``, 1 = first choice)
    The job orders the candidate ranked on their preferences page, among those
    they are eligible for, renumbered 1..k; then, by default, the job orders
    whose interview accepted them, then those in the occupation they trained
    and were certified in, then the rest; within each group where the candidate
    stands best (their job_order_rank there), then by job order id.

Weight (used by the ``optimal`` method)
    ``final_score`` (0–100) plus a preference bonus of ``10 / candidate_rank``,
    plus ``ACCEPTED_BONUS`` (20) where the partner accepted the candidate at that
    job order's interview and ``TRAINED_BONUS`` (10) where the job order is in
    the occupation the candidate trained in: among assignments placing the same
    number of people, the engine prefers better-scored candidates, candidates'
    earlier choices, the partner's interview decisions and trained occupations.

Digest
    sha256 over the method, the candidate and job-order ids and every column of
    the instance (fixed dtypes, little-endian): the same inputs give the same
    digest and, the engine being deterministic, the same result.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np
from django.db.models import Exists, OuterRef, QuerySet

from jembatan.demand.eligibility import CandidateFacts, load_facts, unmet_requirements
from jembatan.demand.models import JobOrder, Placement, PlacementStatus
from jembatan.demand.selectors import slot_summary
from jembatan.demand.workflows import MATCHABLE
from jembatan.matching.instance import FloatArray, Instance, Int64Array
from jembatan.matching.models import CandidatePreference
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.participants.rules import processing_held_ids
from jembatan.selection.models import (
    Candidacy,
    CandidacyStatus,
    InterviewDecision,
    SelectionRound,
    ShortlistEntry,
)

PREFERENCE_BONUS: Final = 10.0
ACCEPTED_BONUS: Final = 20.0  # the partner accepted the candidate at this job order's interview
TRAINED_BONUS: Final = 10.0  # the job order is in the occupation the candidate trained in
LIVE: Final = (PlacementStatus.PROPOSED, PlacementStatus.CONFIRMED)
_UNRANKED: Final = 2**31 - 1
# Interview decisions that make a candidate ineligible for that job order, with their codes.
REFUSING: Final[dict[str, str]] = {
    InterviewDecision.DECLINED: "declined_at_interview",
    InterviewDecision.ABSENT: "absent_at_interview",
}

Pair = tuple[int, int]  # (participant id, job order id)


@dataclass(frozen=True)
class Standing:
    """A participant's best passed candidacy among the run's rounds."""

    participant_id: int
    final_score: float
    rank: int | None

    @property
    def key(self) -> tuple[float, int, int]:
        """Sort key of the documented tie-break: score desc, rank, participant id."""
        return (-self.final_score, self.rank or _UNRANKED, self.participant_id)


@dataclass(frozen=True)
class Interview:
    """The partner's decisions on one candidate for one job order."""

    accepted_rank: int | None = None  # the best round rank among accepting shortlists
    refused: str = ""  # a code from REFUSING, if declined or absent anywhere


@dataclass
class Eligibility:
    """Eligible job orders per participant, and the reasons for the others."""

    eligible: dict[int, list[int]] = field(default_factory=dict)
    ineligible: dict[int, list[dict[str, object]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Built:
    """Everything a run needs: the instance and what explains it."""

    instance: Instance
    participant_ids: list[int]
    job_orders: list[JobOrder]
    available: list[int]
    standing: dict[int, Standing]
    ineligible: dict[int, list[dict[str, object]]]
    digest: str
    # For the explanations: job orders whose interview accepted each candidate, and those
    # in an occupation the candidate trained in (ids, among the run's job orders).
    accepted_at: dict[int, list[int]] = field(default_factory=dict)
    trained_for: dict[int, list[int]] = field(default_factory=dict)


# --- the pool and the slots --------------------------------------------------------------------


def live_placement_of_participant() -> Exists:
    """``Exists`` over a participant's live placements (for ``participant_id`` rows)."""
    return Exists(
        Placement.objects.filter(participant_id=OuterRef("participant_id"), status__in=LIVE)
    )


def pool_of(rounds: Iterable[SelectionRound]) -> dict[int, Standing]:
    """Participants that may be matched from ``rounds``, each with their best standing.

    A person whose processing is held (a restriction in force) is left out: a run
    builds its pool when it starts, so runs already done keep theirs.
    """
    rows = (
        Candidacy.objects.filter(
            round__in=list(rounds),
            status=CandidacyStatus.PASSED,
            participant__status=JourneyStatus.SELECTED,
            participant__archived_at__isnull=True,
        )
        .exclude(live_placement_of_participant())
        .values_list("participant_id", "final_score", "rank")
    )
    for held in processing_held_ids():  # a restriction of processing: out of pools not built yet
        rows = rows.exclude(participant_id__in=held)
    pool: dict[int, Standing] = {}
    for pid, score, rank in rows:
        standing = Standing(pid, float(score or 0), rank)
        if pid not in pool or standing.key < pool[pid].key:
            pool[pid] = standing
    return pool


def with_available_slots(job_orders: QuerySet[JobOrder]) -> QuerySet[JobOrder]:
    """``job_orders`` with demand's slot counts (``slot_summary``) for :func:`free_slots`."""
    return slot_summary(job_orders)


def free_slots(row: JobOrder) -> int:
    """Slots taken by no live (confirmed or proposed) placement, for a row from
    :func:`with_available_slots`."""
    filled: int = row.slots_filled  # type: ignore[attr-defined]  # annotated by slot_summary
    proposed: int = row.slots_proposed  # type: ignore[attr-defined]
    return max(row.slots - filled - proposed, 0)


def open_job_orders(job_orders: QuerySet[JobOrder]) -> list[tuple[JobOrder, int]]:
    """Approved or open job orders by id, each with its slots not taken by live placements."""
    rows = with_available_slots(job_orders.filter(status__in=sorted(MATCHABLE))).order_by("pk")
    return [(row, free_slots(row)) for row in rows.select_related("partner")]


# --- interviews and eligibility ----------------------------------------------------------------


def interviews(
    job_order_ids: Iterable[int],
    *,
    rounds: Iterable[SelectionRound] | None = None,
    participant_ids: Iterable[int] | None = None,
) -> dict[Pair, Interview]:
    """The partners' interview decisions per (participant, job order)."""
    rows = ShortlistEntry.objects.filter(shortlist__job_order_id__in=list(job_order_ids))
    if rounds is not None:
        rows = rows.filter(shortlist__round__in=list(rounds))
    if participant_ids is not None:
        rows = rows.filter(candidacy__participant_id__in=list(participant_ids))
    found: dict[Pair, Interview] = {}
    columns = rows.values_list(
        "candidacy__participant_id", "shortlist__job_order_id", "decision", "candidacy__rank"
    )
    for pid, jid, decision, rank in columns:
        found[(pid, jid)] = _merge(found.get((pid, jid), Interview()), decision, rank)
    return found


def _merge(known: Interview, decision: str, rank: int | None) -> Interview:
    """Combine a further shortlist decision into what is known (a refusal always counts)."""
    if decision in REFUSING:
        return Interview(known.accepted_rank, known.refused or REFUSING[decision])
    if decision == InterviewDecision.ACCEPTED:
        # An accepted candidate without a round rank still comes before those not accepted.
        best = min(r for r in (known.accepted_rank, rank or _UNRANKED - 1) if r is not None)
        return Interview(best, known.refused)
    return known


def refusal(code: str, job_order: JobOrder) -> dict[str, object]:
    """An unmet-requirement entry (like ``Unmet.as_dict()``) for an interview refusal."""
    return {"code": code, "params": {"job_order": job_order.reference}}


def unmet_for(
    job_order: JobOrder, facts: CandidateFacts | None, interview: Interview | None
) -> list[dict[str, object]]:
    """Why a participant may not go to ``job_order`` (empty: eligible)."""
    unmet: list[dict[str, object]] = []
    if facts is not None:
        unmet = [u.as_dict() for u in unmet_requirements(job_order, facts)]
    if interview is not None and interview.refused:
        unmet.append(refusal(interview.refused, job_order))
    return unmet


def eligibility(
    participant_ids: Sequence[int],
    job_orders: Sequence[JobOrder],
    decisions: Mapping[Pair, Interview],
    *,
    on: dt.date,
    facts: Mapping[int, CandidateFacts] | None = None,
) -> Eligibility:
    """Check every participant against every job order.

    Requirements depend only on a candidate's facts, and thousands of candidates share
    the same facts (age, education, results, certificates), so each distinct profile
    is checked once against every job order and its answer shared (the lists are not
    copied); only candidates with an interview decision are checked one by one.
    """
    if facts is None:
        facts = load_facts(participant_ids, on=on)
    refused = {pid for (pid, _jid), i in decisions.items() if i.refused}
    by_profile: dict[Hashable, tuple[list[int], list[dict[str, object]]]] = {}
    found = Eligibility()
    for pid in participant_ids:
        fact = facts.get(pid)
        if pid in refused:
            eligible, reasons = _check(job_orders, fact, decisions, pid)
        else:
            key = _profile(fact)
            if key not in by_profile:
                by_profile[key] = _check(job_orders, fact, decisions, None)
            eligible, reasons = by_profile[key]
        found.eligible[pid] = eligible
        if reasons:
            found.ineligible[pid] = reasons
    return found


def _profile(facts: CandidateFacts | None) -> Hashable:
    """Everything requirements are checked against (not the participant's id)."""
    if facts is None:
        return None
    scores = tuple(sorted(facts.best_scores.items()))
    return (facts.sex, facts.age, facts.education, facts.jlpt_levels, scores, facts.units,
            facts.certificate_names)  # fmt: skip


def _check(
    job_orders: Sequence[JobOrder],
    facts: CandidateFacts | None,
    decisions: Mapping[Pair, Interview],
    pid: int | None,
) -> tuple[list[int], list[dict[str, object]]]:
    """Eligible job order ids and the reasons for the others (interviews only with ``pid``)."""
    eligible: list[int] = []
    reasons: list[dict[str, object]] = []
    for job_order in job_orders:
        interview = decisions.get((pid, job_order.pk)) if pid is not None else None
        unmet = unmet_for(job_order, facts, interview)
        if unmet:
            reasons.append({"job_order": job_order.pk, "unmet": unmet})
        else:
            eligible.append(job_order.pk)
    return eligible, reasons


# --- ranks and weights (vectorised: a run has millions of eligible pairs) ----------------------


def weight(
    final_score: float, candidate_rank: int, *, accepted: bool = False, trained: bool = False
) -> float:
    """The value of a placement: the final score plus the preference, interview and
    training bonuses (the vectorised form is in :func:`edge_columns`)."""
    return (
        final_score
        + PREFERENCE_BONUS / candidate_rank
        + ACCEPTED_BONUS * accepted
        + TRAINED_BONUS * trained
    )


def ranks_within(groups: Int64Array, *keys: Int64Array) -> Int64Array:
    """Each item's 1-based position within its group, ordered by ``keys`` (first key first)."""
    n = int(groups.size)
    if n == 0:
        return np.zeros(0, np.int64)
    order = np.lexsort((*keys[::-1], groups))
    ordered = groups[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    counts = np.diff(np.r_[starts, n])
    ranks = np.empty(n, np.int64)
    ranks[order] = np.arange(n) - np.repeat(starts, counts) + 1
    return ranks


def pair_values(pairs: Int64Array, values: Mapping[int, int], default: int) -> Int64Array:
    """Per edge (sorted pair keys), the value given for its pair, else ``default``."""
    found = np.full(pairs.size, default, np.int64)
    if not values or not pairs.size:
        return found
    wanted = np.fromiter(values.keys(), np.int64, len(values))
    given = np.fromiter(values.values(), np.int64, len(values))
    at = np.minimum(np.searchsorted(pairs, wanted), pairs.size - 1)
    hit = pairs[at] == wanted
    found[at[hit]] = given[hit]
    return found


def preferences_of(
    participant_ids: Iterable[int], job_order_ids: Iterable[int]
) -> dict[int, list[tuple[int, int]]]:
    """Each participant's ranked job orders among ``job_order_ids``: ``[(job order, rank)]``."""
    wanted = set(participant_ids)
    rows = CandidatePreference.objects.filter(job_order_id__in=list(job_order_ids))
    ranked: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pid, jid, rank in rows.values_list("participant_id", "job_order_id", "rank"):
        if pid in wanted:
            ranked[pid].append((jid, rank))
    return ranked


@dataclass(frozen=True)
class Edges:
    """The eligible pairs as positions, sorted by candidate then job order."""

    candidate: Int64Array
    job: Int64Array
    n_jobs: int

    @property
    def pairs(self) -> Int64Array:
        """One sortable key per pair (candidate * jobs + job), ascending."""
        return self.candidate * max(self.n_jobs, 1) + self.job


def edges_of(
    participant_ids: Sequence[int], job_order_ids: Sequence[int], found: Eligibility
) -> Edges:
    """Eligible pairs as positions (``found.eligible`` lists job orders in id order)."""
    job_position = {jid: j for j, jid in enumerate(job_order_ids)}
    candidates: list[int] = []
    jobs: list[int] = []
    for c, pid in enumerate(participant_ids):
        eligible = [job_position[jid] for jid in found.eligible.get(pid, [])]
        candidates.extend([c] * len(eligible))
        jobs.extend(eligible)
    return Edges(np.array(candidates, np.int64), np.array(jobs, np.int64), len(job_order_ids))


def _pair_map(
    entries: Iterable[tuple[int, int, int]], positions: Mapping[int, int], jobs: Mapping[int, int]
) -> dict[int, int]:
    """``{pair key: value}`` for (participant id, job order id, value) in the instance."""
    n_jobs = max(len(jobs), 1)
    return {
        positions[pid] * n_jobs + jobs[jid]: value
        for pid, jid, value in entries
        if pid in positions and jid in jobs
    }


def affinity(accepted_rank: Int64Array, trained: Int64Array) -> Int64Array:
    """Per edge: 0 accepted at the job order's interview, 1 trained in its occupation, 2 other."""
    return np.where(accepted_rank != _UNRANKED, 0, np.where(trained > 0, 1, 2)).astype(np.int64)


def job_order_ranks(
    edges: Edges,
    standing_position: Int64Array,
    accepted: Mapping[int, int],
    trained: Int64Array | None = None,
) -> Int64Array:
    """Each job order's strict ranking: accepted at interview first (by round rank), then
    those trained in its occupation, then the rest; by selection standing within each."""
    accepted_rank = pair_values(edges.pairs, accepted, _UNRANKED)
    if trained is None:
        trained = np.zeros(edges.pairs.size, np.int64)
    group = affinity(accepted_rank, trained)
    return ranks_within(edges.job, group, accepted_rank, standing_position[edges.candidate])


def candidate_ranks(
    edges: Edges,
    job_order_rank: Int64Array,
    preferred: Mapping[int, int],
    group: Int64Array | None = None,
) -> Int64Array:
    """Each candidate's strict ranking: their own ranks first, then by ``group`` (accepted
    at interview, trained in the occupation, other), then where they stand best, then job
    order id (positions follow ids)."""
    own = pair_values(edges.pairs, preferred, _UNRANKED)
    if group is None:
        group = np.zeros(edges.pairs.size, np.int64)
    return ranks_within(edges.candidate, own, group, job_order_rank, edges.job)


def trained_pairs(
    participant_ids: Sequence[int],
    job_orders: Sequence[JobOrder],
    facts: Mapping[int, CandidateFacts],
) -> dict[int, int]:
    """``{pair key: 1}`` where the job order is in an occupation the candidate trained in."""
    by_occupation: dict[int, list[int]] = defaultdict(list)
    for j, job in enumerate(job_orders):
        by_occupation[job.occupation_id].append(j)
    n_jobs = max(len(job_orders), 1)
    found: dict[int, int] = {}
    for c, pid in enumerate(participant_ids):
        fact = facts.get(pid)
        for occupation in fact.occupations if fact is not None else ():
            for j in by_occupation.get(occupation, ()):
                found[c * n_jobs + j] = 1
    return found


@dataclass(frozen=True)
class _Columns:
    """The instance's edge columns."""

    edges: Edges
    weight: FloatArray
    candidate_rank: Int64Array
    job_order_rank: Int64Array


def edge_columns(
    participant_ids: Sequence[int],
    job_order_ids: Sequence[int],
    found: Eligibility,
    standing: Mapping[int, Standing],
    decisions: Mapping[Pair, Interview],
    trained_keys: Mapping[int, int] | None = None,
) -> _Columns:
    """Edges with their ranks and weights, ordered by candidate then job order."""
    edges = edges_of(participant_ids, job_order_ids, found)
    trained = pair_values(edges.pairs, trained_keys or {}, 0)
    positions = {pid: c for c, pid in enumerate(participant_ids)}
    jobs = {jid: j for j, jid in enumerate(job_order_ids)}
    by_standing = sorted(participant_ids, key=lambda pid: standing[pid].key)
    standing_position = np.empty(len(participant_ids), np.int64)
    standing_position[[positions[pid] for pid in by_standing]] = np.arange(len(by_standing))
    accepted = _pair_map(
        ((pid, jid, i.accepted_rank) for (pid, jid), i in decisions.items() if i.accepted_rank),
        positions,
        jobs,
    )
    jo_rank = job_order_ranks(edges, standing_position, accepted, trained)
    group = affinity(pair_values(edges.pairs, accepted, _UNRANKED), trained)
    prefs = preferences_of(participant_ids, job_order_ids)
    flat = ((pid, jid, rank) for pid, ranked in prefs.items() for jid, rank in ranked)
    c_rank = candidate_ranks(edges, jo_rank, _pair_map(flat, positions, jobs), group)
    scores = np.array([standing[pid].final_score for pid in participant_ids], np.float64)
    weights = (
        scores[edges.candidate]
        + PREFERENCE_BONUS / c_rank
        + ACCEPTED_BONUS * (group == 0)
        + TRAINED_BONUS * (trained > 0)
    )
    return _Columns(edges, weights, c_rank, jo_rank)


def instance_digest(instance: Instance, method: str) -> str:
    """sha256 of the method, the ids and every column, in fixed byte layouts."""
    digest = hashlib.sha256()
    for text in (method, "\x1f".join(instance.candidate_ids), "\x1f".join(instance.job_order_ids)):
        digest.update(text.encode())
        digest.update(b"\x1e")
    for column, dtype in (
        (instance.slots, "<i8"),
        (instance.edge_candidate, "<i4"),
        (instance.edge_job, "<i4"),
        (instance.weight, "<f8"),
        (instance.candidate_rank, "<i4"),
        (instance.job_order_rank, "<i4"),
    ):
        digest.update(np.ascontiguousarray(column, dtype=dtype).tobytes())
        digest.update(b"\x1e")
    return digest.hexdigest()


def build(
    *,
    rounds: Sequence[SelectionRound],
    job_orders: QuerySet[JobOrder],
    method: str,
    on: dt.date,
    checking: Callable[[], None] | None = None,
) -> Built:
    """Read the pool, the job orders, interviews and preferences; build the instance.

    ``checking`` is called once the pool and job orders are loaded, before the
    eligibility checks (the run's progress).
    """
    standing = pool_of(rounds)
    participant_ids = sorted(standing)
    seats = open_job_orders(job_orders)
    jobs = [job for job, _ in seats]
    job_ids = [job.pk for job in jobs]
    decisions = interviews(job_ids, rounds=rounds)
    if checking is not None:
        checking()
    facts = load_facts(participant_ids, on=on)
    found = eligibility(participant_ids, jobs, decisions, on=on, facts=facts)
    trained = trained_pairs(participant_ids, jobs, facts)
    columns = edge_columns(participant_ids, job_ids, found, standing, decisions, trained)
    instance = Instance.from_arrays(
        [str(pid) for pid in participant_ids],
        [str(jid) for jid in job_ids],
        np.array([available for _, available in seats], np.int64),
        columns.edges.candidate,
        columns.edges.job,
        columns.weight,
        columns.candidate_rank,
        columns.job_order_rank,
    )
    return Built(
        instance=instance,
        participant_ids=participant_ids,
        job_orders=jobs,
        available=[available for _, available in seats],
        standing=standing,
        ineligible=found.ineligible,
        digest=instance_digest(instance, method),
        accepted_at=_accepted_at(decisions),
        trained_for=_by_participant(trained, participant_ids, job_ids),
    )


def _accepted_at(decisions: Mapping[Pair, Interview]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    for (pid, jid), interview in sorted(decisions.items()):
        if interview.accepted_rank is not None and not interview.refused:
            found[pid].append(jid)
    return dict(found)


def _by_participant(
    keys: Mapping[int, int], participant_ids: Sequence[int], job_ids: Sequence[int]
) -> dict[int, list[int]]:
    n_jobs = max(len(job_ids), 1)
    found: dict[int, list[int]] = defaultdict(list)
    for key in sorted(keys):
        found[participant_ids[key // n_jobs]].append(job_ids[key % n_jobs])
    return dict(found)


# --- one participant (the preferences page) -----------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """A job order as one participant sees it: open slots and, if not eligible, why."""

    job_order: JobOrder
    available: int
    unmet: list[dict[str, object]]
    rank: int | None = None

    @property
    def eligible(self) -> bool:
        """True when every requirement is met (and the partner did not refuse them)."""
        return not self.unmet


def choices_for(participant: Participant, *, on: dt.date) -> list[Choice]:
    """Approved or open job orders with free slots, checked for ``participant``.

    Ordered by the participant's saved ranking first, then by job order id.
    """
    seats = [(job, n) for job, n in open_job_orders(JobOrder.objects.all()) if n > 0]
    ids = [job.pk for job, _ in seats]
    decisions = interviews(ids, participant_ids=[participant.pk])
    facts = load_facts([participant.pk], on=on).get(participant.pk)
    saved = dict(
        CandidatePreference.objects.filter(participant=participant).values_list(
            "job_order_id", "rank"
        )
    )
    pid = participant.pk
    found = [
        Choice(job, n, unmet_for(job, facts, decisions.get((pid, job.pk))), saved.get(job.pk))
        for job, n in seats
    ]
    return sorted(found, key=lambda c: (c.rank is None, c.rank or 0, c.job_order.pk))
