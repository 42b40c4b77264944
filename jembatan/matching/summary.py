"""A run's summary as plain data: fill rates, fairness of placement, difference from before.

Stored in ``MatchingRun.summary`` (JSON) when the run finishes, so the pages read
one row instead of recounting tens of thousands of outcomes::

    {"job_orders": [{"job_order", "reference", "title", "partner_id", "partner",
                     "available", "placed", "rate"}],
     "partners": [{"partner_id", "partner", "available", "placed", "rate"}],
     "fairness": FairnessReport.to_dict(),
     "diff": {"previous", "newly_placed", "no_longer_placed", "moved",
              "unchanged", "approved_before"},
     "dropped_job_orders": [ids of the run's job orders no longer open]}

The previous run is the latest finished (done or approved) run before this one
that shares at least one job order. In the difference, ``newly_placed``,
``no_longer_placed`` and ``moved`` list participant ids; ``unchanged`` counts
participants in both runs with the same result; ``approved_before`` counts
people the previous run placed and whose placement was approved (they are no
longer in the pool, by design, and are not counted as "no longer placed").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from jembatan.demand.models import JobOrder
from jembatan.matching.models import MatchingRun, RunOutcome, RunStatus
from jembatan.participants.models import Participant
from jembatan.selection.four_fifths import Person, age_band, fairness_report
from jembatan.training.language_tests import age_on

FINISHED = (RunStatus.DONE, RunStatus.APPROVED)


def _rate(placed: int, available: int) -> float | None:
    return round(placed / available, 4) if available else None


def fill_rates(
    job_orders: Sequence[JobOrder], available: Sequence[int], placed: Mapping[int, int]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Slots available and placed, per job order and per partner."""
    rows = [
        {
            "job_order": job.pk,
            "reference": job.reference,
            "title": job.title,
            "partner_id": job.partner_id,
            "partner": job.partner.name,
            "available": n,
            "placed": placed.get(job.pk, 0),
            "rate": _rate(placed.get(job.pk, 0), n),
        }
        for job, n in zip(job_orders, available, strict=True)
    ]
    partners: dict[Any, dict[str, Any]] = {}
    for row in rows:
        entry = partners.setdefault(
            row["partner_id"],
            {"partner_id": row["partner_id"], "partner": row["partner"]}
            | {"available": 0, "placed": 0},
        )
        entry["available"] += row["available"]
        entry["placed"] += row["placed"]
    for entry in partners.values():
        entry["rate"] = _rate(entry["placed"], entry["available"])
    return rows, sorted(partners.values(), key=lambda e: (e["partner"], e["partner_id"]))


def fairness(participant_ids: Sequence[int], placed: set[int], on: dt.date) -> dict[str, Any]:
    """Placement rates by sex, province and age band (four-fifths rule flagged)."""
    rows = Participant.objects.filter(pk__in=participant_ids).values_list(
        "pk", "sex", "province__name", "birth_date"
    )
    people = [
        Person(sex, province, age_band(age_on(born, on)), pk in placed)
        for pk, sex, province, born in rows.iterator(chunk_size=5000)
    ]
    return fairness_report(people).to_dict()


def previous_run(run: MatchingRun) -> MatchingRun | None:
    """The latest finished run before ``run`` sharing at least one of its job orders."""
    return (
        MatchingRun.objects.filter(
            pk__lt=run.pk,
            status__in=FINISHED,
            job_orders__in=run.job_orders.all(),
        )
        .order_by("-pk")
        .first()
    )


def difference(
    previous: MatchingRun | None, now: Mapping[int, int | None]
) -> dict[str, Any] | None:
    """Who is newly placed, no longer placed, moved or unchanged compared with ``previous``."""
    if previous is None:
        return None
    before = {
        pid: (jid, placement)
        for pid, jid, placement in RunOutcome.objects.filter(run=previous).values_list(
            "participant_id", "job_order_id", "placement_id"
        )
    }
    diff: dict[str, Any] = {"previous": previous.pk, "newly_placed": [], "no_longer_placed": []}
    diff |= {"moved": [], "unchanged": 0, "approved_before": 0}
    for pid, (jid, placement) in before.items():
        if placement is not None:
            diff["approved_before"] += 1
        elif jid is not None and now.get(pid) is None:
            diff["no_longer_placed"].append(pid)
    for pid, job in now.items():
        kind = _placement_change(before.get(pid), job)
        if kind == "unchanged":
            diff["unchanged"] += 1
        elif kind is not None:
            diff[kind].append(pid)
    return diff


def _placement_change(
    before: tuple[int | None, int | None] | None, job_order: int | None
) -> str | None:
    """How one participant's placement changed: a key of the difference (None: not placed now).

    A participant whose earlier placement was approved is no longer in the pool;
    should they come back (placement cancelled), they count as new.
    """
    prior = None if before is None or before[1] is not None else before[0]
    if before is not None and before[1] is None and prior == job_order:
        return "unchanged"
    if job_order is None:
        return None
    if prior is None:
        return "newly_placed"
    return "moved"
