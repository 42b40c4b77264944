"""Which ranked candidates a shortlist takes, and the words for those it passes over.

Read by :mod:`jembatan.selection.services.shortlists` (see its docstring for
who is put forward): availability (still *selected*, no live placement, no
processing hold), the job order's requirements (``demand.eligibility``) and the
selection-stage documents of the route's checklist (:mod:`jembatan.selection.papers`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.demand.eligibility import Unmet, describe_unmet, load_facts, unmet_requirements
from jembatan.demand.models import JobOrder, Placement, PlacementStatus
from jembatan.demand.selectors import slot_summary
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.participants.rules import processing_held_ids
from jembatan.selection.errors import SelectionErrorCode
from jembatan.selection.models import Candidacy, CandidacyStatus, SelectionRound
from jembatan.selection.papers import Undocumented, selection_gaps, skipped_message

LIVE_PLACEMENTS = (PlacementStatus.PROPOSED, PlacementStatus.CONFIRMED)


@dataclass(frozen=True)
class Passed:
    """A ranked candidate left off a shortlist because of the job order's requirements."""

    candidacy: Candidacy
    unmet: list[Unmet]


@dataclass(frozen=True)
class Pick:
    """The candidates chosen for a shortlist, and the ranked ones kept out (and why)."""

    chosen: list[Candidacy]
    ineligible: list[Passed]
    undocumented: list[Undocumented]


# --- reads -----------------------------------------------------------------------------


def open_slots(job_order: JobOrder) -> int:
    """The slots of ``job_order`` that no confirmed placement fills."""
    row = slot_summary(JobOrder.objects.filter(pk=job_order.pk)).get()
    return int(row.slots_open)  # type: ignore[attr-defined]


def available_ids(participant_ids: Iterable[int]) -> set[int]:
    """Those of ``participant_ids`` still selected, without a live placement anywhere, and
    whose processing no hold stops (``participants.rules.processing_held_ids``)."""
    ids = set(participant_ids)
    placed = Placement.objects.filter(participant_id__in=ids, status__in=LIVE_PLACEMENTS)
    rows = Participant.objects.filter(pk__in=ids, status=JourneyStatus.SELECTED).exclude(
        pk__in=placed.values("participant_id")
    )
    for held in processing_held_ids():  # a restriction of processing: no new shortlist
        rows = rows.exclude(pk__in=held)
    return set(rows.values_list("pk", flat=True))


def pick_candidates(
    selection_round: SelectionRound, job_order: JobOrder, *, limit: int, skip: Iterable[int] = ()
) -> Pick:
    """Up to ``limit`` ranked, available, eligible candidacies, best rank first.

    Those the job order's requirements keep out are ``ineligible``; eligible ones
    who still owe a selection-stage document are ``undocumented`` (both only among
    the candidates looked at before ``limit`` was reached).
    """
    ranked = list(
        selection_round.candidacies.filter(status=CandidacyStatus.PASSED, rank__isnull=False)
        .exclude(pk__in=list(skip))
        .select_related("participant__sending_organisation")
        .order_by("rank")
    )
    free = available_ids(c.participant_id for c in ranked)
    ranked = [c for c in ranked if c.participant_id in free]
    facts = load_facts([c.participant_id for c in ranked], on=timezone.localdate())
    pick = Pick(chosen=[], ineligible=[], undocumented=[])
    for candidacy in ranked:
        if len(pick.chosen) >= limit:
            break
        unmet = unmet_requirements(job_order, facts[candidacy.participant_id])
        owed = None if unmet else selection_gaps(candidacy)
        if unmet:
            pick.ineligible.append(Passed(candidacy=candidacy, unmet=unmet))
        elif owed is not None:
            pick.undocumented.append(owed)
        else:
            pick.chosen.append(candidacy)
    return pick


def passed_over_text(passed: list[Passed], limit: int = 20) -> str:
    """``Budi Santoso (rank 3): <requirement not met>; …`` for the first ``limit``."""
    rank = _("rank")
    parts = [
        f"{p.candidacy.participant.full_name} ({rank} {p.candidacy.rank}): "
        + " ".join(describe_unmet(u.as_dict()) for u in p.unmet)
        for p in passed[:limit]
    ]
    more = len(passed) - limit
    if more > 0:
        parts.append(_("and %(n)d more") % {"n": more})
    return "; ".join(parts)


def nobody_eligible(job_order: JobOrder, pick: Pick) -> ValidationError:
    """The refusal when no ranked candidate is left, naming who did not qualify and why."""
    if pick.ineligible or not pick.undocumented:
        message = _(
            "No ranked candidate of this round is available and meets the requirements of "
            "job order %(reference)s. %(ineligible)s did not meet them: %(who)s"
        ) % {
            "reference": job_order.reference,
            "ineligible": len(pick.ineligible),
            "who": passed_over_text(pick.ineligible) or "—",
        }
    else:
        message = _(
            "No ranked candidate of this round is available and meets the requirements of "
            "job order %(reference)s."
        ) % {"reference": job_order.reference}
    return ValidationError(
        with_skipped(message, pick.undocumented), code=SelectionErrorCode.NOBODY_ELIGIBLE
    )


def with_skipped(message: str, skipped: list[Undocumented]) -> str:
    """``message``, then how many were skipped for their selection documents and why."""
    return " ".join(part for part in (message, skipped_message(skipped)) if part)


def unmet_of(pick: Pick) -> list[dict[str, Any]]:
    """Who was passed over and the requirement codes they did not meet (for the record)."""
    return [
        {"candidacy": p.candidacy.pk, "unmet": [u.code for u in p.unmet]} for p in pick.ineligible
    ]
