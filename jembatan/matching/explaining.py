"""A run outcome in sentences, in the reader's language: the one place engine codes are phrased.

The engine and :mod:`jembatan.matching.execution` store explanations as plain
data (reason codes, ranks, slots; see the engine's docstring), each candidate's
details by column; runs stored before that hold rows, and both read alike here
(``detail_rows``). Officers and the candidate read them through :func:`explain`.
Requirements not met are phrased by :func:`jembatan.demand.eligibility.describe_unmet`,
interview refusals here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jembatan.demand.eligibility import describe_unmet
from jembatan.demand.models import JobOrder
from jembatan.matching.engine import detail_rows
from jembatan.matching.models import RunOutcome

REASON_LABELS = {
    "placed": gettext_lazy("Placed"),
    "outranked": gettext_lazy("Not placed: job orders full with higher-ranked candidates"),
    "not_selected_for_optimum": gettext_lazy("Not placed: job orders full in the best matching"),
    "no_eligible_job_order": gettext_lazy("Not placed: no job order's requirements met"),
}


@dataclass(frozen=True)
class Explanation:
    """What a reader sees: a headline, details in sentences, and requirements not met."""

    headline: str
    details: list[str] = field(default_factory=list)
    ineligible: list[tuple[str, list[str]]] = field(default_factory=list)


def reason_label(code: str) -> str:
    """A short label of an outcome's reason code."""
    label = REASON_LABELS.get(code)
    return str(label) if label is not None else code


def job_order_labels(ids: Iterable[Any]) -> dict[str, str]:
    """``{"12": "JO-000012 Greenhouse worker"}`` for job order ids (strings or ints)."""
    rows = JobOrder.objects.filter(pk__in={int(i) for i in ids}).only("pk", "title")
    return {str(row.pk): f"{row.reference} {row.title}" for row in rows}


def describe_requirement(data: Mapping[str, Any]) -> str:
    """One requirement not met, as a sentence (interview refusals, then the demand rules)."""
    code = data.get("code")
    if code == "declined_at_interview":
        return _("The partner declined you at its interview for this job order.")
    if code == "absent_at_interview":
        return _("You did not attend the partner's interview for this job order.")
    return describe_unmet(data)


def _label(labels: Mapping[str, str], job_order: Any) -> str:
    return labels.get(str(job_order), f"JO-{int(job_order):06d}")


def _stable_detail(labels: Mapping[str, str], item: Mapping[str, Any]) -> str:
    values = {
        "job": _label(labels, item["job_order"]),
        "choice": item["candidate_rank"],
        "own": item["own_job_order_rank"],
        "cutoff": item["cutoff_job_order_rank"],
    }
    if values["cutoff"] is None:
        return _("%(job)s (your choice no. %(choice)s) had no free slot in this run.") % values
    return (
        _(
            "%(job)s (your choice no. %(choice)s): the last candidate admitted was no. "
            "%(cutoff)s in its ranking; you were no. %(own)s."
        )
        % values
    )


def _optimal_detail(labels: Mapping[str, str], item: Mapping[str, Any]) -> str:
    values = {
        "job": _label(labels, item["job_order"]),
        "choice": item["candidate_rank"],
        "slots": item["slots"],
    }
    return _("%(job)s (your choice no. %(choice)s) was full: its %(slots)s slots were given.") % (
        values
    )


def _headline(outcome: RunOutcome, labels: Mapping[str, str], preferred: Sequence[Any]) -> str:
    reason = outcome.reason
    if reason == "placed":
        text = _("Placed on job order %(job)s.") % {"job": _label(labels, outcome.job_order_id)}
        if preferred:
            text += " " + _(
                "The job orders you preferred were full with candidates they ranked higher:"
            )
        return text
    if reason == "outranked":
        return _(
            "Not placed: every job order you were eligible for was full with candidates it "
            "ranked higher."
        )
    if reason == "not_selected_for_optimum":
        return _(
            "Not placed: every job order you were eligible for was full. Placing you would "
            "have taken the place of someone else without placing more people or raising "
            "the total value of the matching."
        )
    return _("Not placed: you met the requirements of none of the job orders in this run.")


def _placement_details(outcome: RunOutcome, data: Mapping[str, Any]) -> list[str]:
    """Why the place given fits: the partner's interview and the occupation trained in."""
    found = []
    if outcome.job_order_id is not None and outcome.job_order_id in (data.get("accepted_at") or []):
        found.append(_("The partner accepted you at its interview for this job order."))
    if outcome.job_order_id is not None and data.get("placed_trained"):
        found.append(_("It is in the occupation you trained and were certified in."))
    return found


def _accepted_elsewhere(
    outcome: RunOutcome, data: Mapping[str, Any], labels: Mapping[str, str]
) -> list[str]:
    """Each job order whose interview accepted the candidate but which did not place them."""
    explained = {
        str(item["job_order"])
        for key in ("preferred", "full_job_orders")
        for item in detail_rows(data.get(key))
    }
    found = []
    for job in data.get("accepted_at") or []:
        if job == outcome.job_order_id:
            continue
        values = {"job": _label(labels, job), "placed": _label(labels, outcome.job_order_id or 0)}
        if str(job) in explained:
            found.append(
                _(
                    "You were accepted at the partner's interview for %(job)s; why it did not "
                    "place you is below."
                )
                % values
            )
        elif outcome.job_order_id is not None:
            found.append(
                _(
                    "You were accepted at the partner's interview for %(job)s, but you ranked "
                    "%(placed)s higher yourself, and were placed there."
                )
                % values
            )
    return found


def ineligible_rows(entries: Sequence[Mapping[str, Any]] | None) -> list[tuple[Any, list[Any]]]:
    """``(job order, requirements not met)`` by job order, from the stored groups
    (``{"job_orders", "unmet"}``) or from the one entry per job order of runs before."""
    rows = []
    for entry in entries or []:
        if "job_orders" in entry:
            rows += [(job, entry["unmet"]) for job in entry["job_orders"]]
        else:
            rows.append((entry["job_order"], entry["unmet"]))
    return sorted(rows, key=lambda row: int(row[0]))


def explain(outcome: RunOutcome, labels: Mapping[str, str]) -> Explanation:
    """The outcome's explanation in sentences; ``labels`` from :func:`job_order_labels`."""
    data = outcome.explanation or {}
    preferred = detail_rows(data.get("preferred"))
    full = detail_rows(data.get("full_job_orders"))
    details = _placement_details(outcome, data) + _accepted_elsewhere(outcome, data, labels)
    details += [_stable_detail(labels, item) for item in preferred]
    details += [_optimal_detail(labels, item) for item in full]
    ineligible = [
        (_label(labels, job), [describe_requirement(u) for u in unmet])
        for job, unmet in ineligible_rows(data.get("ineligible"))
    ]
    return Explanation(_headline(outcome, labels, preferred), details, ineligible)


def labels_for(outcomes: Iterable[RunOutcome]) -> dict[str, str]:
    """Labels of every job order the outcomes' explanations mention."""
    ids: set[Any] = set()
    for outcome in outcomes:
        data = outcome.explanation or {}
        if outcome.job_order_id is not None:
            ids.add(outcome.job_order_id)
        for key in ("preferred", "full_job_orders"):
            ids.update(item["job_order"] for item in detail_rows(data.get(key)))
        ids.update(job for job, _unmet in ineligible_rows(data.get("ineligible")))
        ids.update(data.get("accepted_at") or [])
    return job_order_labels(ids)
