"""The ranking of a selection round: final scores, a strict order, and closing the round.

**Final score.** For a candidacy that passed every stage::

    final = Σ weight_i × (value_i / max_i × 100) / Σ weight_i

over the round's *scored* stages whose weight is above 0, using each stage's
current (not superseded) score; a scored stage without a value counts 0. The
result is rounded half-up to 3 decimals. When no stage has a weight, every
final score is 0 and the order rests on the tie-break alone.

**Tie-break** (deterministic, documented on the ranking page). Candidates are
ordered by

1. the higher final score (as rounded and shown);
2. then the higher normalised score (value / max × 100) in each scored stage,
   taken in order of decreasing weight, stages of equal weight by position;
3. then the lottery number ``sha256(f"{round.pk}:{participant.pk}")`` in
   ascending hexadecimal order: fixed for the round, reproducible by anyone,
   and unrelated to the order of registration or of enrolment.

Ranks run 1..n with no ties. Only PASSED candidacies are ranked. While a round
is open the ranking is *provisional*: computed on demand, never stored.
:func:`round_close` stores it and moves each candidate along the journey.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jembatan.core.access import role_of
from jembatan.core.audit import record_change
from jembatan.core.roles import NATIONAL
from jembatan.core.transitions import TransitionRefused
from jembatan.participants.models import JourneyStatus
from jembatan.participants.services.registry import journey_action_to, participant_transition
from jembatan.selection.errors import SelectionErrorCode
from jembatan.selection.locks import lock_selection_round
from jembatan.selection.models import (
    Candidacy,
    CandidacyStatus,
    RoundStage,
    RoundStatus,
    Score,
    SelectionRound,
)
from jembatan.selection.workflows import ROUND_WORKFLOW, RoundAction

HUNDRED = Decimal(100)
THOUSANDTH = Decimal("0.001")


@dataclass(frozen=True)
class RankedCandidate:
    """One ranked candidacy with the figures its place was decided on."""

    rank: int
    candidacy: Candidacy
    final_score: Decimal
    # Normalised score per stage, in tie-break order (see :func:`tie_break_stages`).
    normalised: tuple[Decimal, ...]
    lottery: str


def lottery_number(round_pk: int, participant_pk: int) -> str:
    """The candidate's fixed lottery number in a round (lowest wins the last tie-break)."""
    return hashlib.sha256(f"{round_pk}:{participant_pk}".encode()).hexdigest()


def tie_break_stages(stages: Iterable[RoundStage]) -> list[RoundStage]:
    """The scored stages by decreasing weight, then by position."""
    scored = [s for s in stages if s.is_scored]
    return sorted(scored, key=lambda s: (-s.weight, s.position))


def normalised(value: Decimal | None, max_score: Decimal | None) -> Decimal:
    """A score as a percentage of the stage's maximum (0 without a value or a scale)."""
    if value is None or not max_score:
        return Decimal(0)
    return value / max_score * HUNDRED


def final_score(values: Mapping[int, Decimal | None], stages: Iterable[RoundStage]) -> Decimal:
    """The weighted mean of the normalised scores (stage id → value), to 3 decimals."""
    weighted = [s for s in stages if s.is_scored and s.weight > 0]
    total_weight = sum((s.weight for s in weighted), Decimal(0))
    if not total_weight:
        return Decimal("0.000")
    points = sum(
        (s.weight * normalised(values.get(s.pk), s.max_score) for s in weighted), Decimal(0)
    )
    return (points / total_weight).quantize(THOUSANDTH, rounding=ROUND_HALF_UP)


def current_values(candidacies: Sequence[Candidacy]) -> dict[int, dict[int, Decimal | None]]:
    """Candidacy id → {stage id → current score value}, in one query."""
    rows = Score.objects.filter(candidacy__in=candidacies, superseded_at__isnull=True).values_list(
        "candidacy_id", "stage_id", "value"
    )
    values: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    for candidacy_id, stage_id, value in rows:
        values[candidacy_id][stage_id] = value
    return values


def compute_ranking(selection_round: SelectionRound) -> list[RankedCandidate]:
    """The ranking of the round's PASSED candidacies as of now (stores nothing)."""
    stages = list(selection_round.stages.select_related("stage_type"))
    order = tie_break_stages(stages)
    candidacies = list(
        selection_round.candidacies.filter(status=CandidacyStatus.PASSED).select_related(
            "participant__province"
        )
    )
    values = current_values(candidacies)
    keyed = []
    for candidacy in candidacies:
        mine = values.get(candidacy.pk, {})
        score = final_score(mine, stages)
        per_stage = tuple(normalised(mine.get(s.pk), s.max_score) for s in order)
        lottery = lottery_number(selection_round.pk, candidacy.participant_id)
        keyed.append((score, per_stage, lottery, candidacy))
    keyed.sort(key=lambda k: (-k[0], tuple(-v for v in k[1]), k[2]))
    return [
        RankedCandidate(rank=i, candidacy=c, final_score=s, normalised=n, lottery=lot)
        for i, (s, n, lot, c) in enumerate(keyed, start=1)
    ]


def stored_ranking(selection_round: SelectionRound) -> list[RankedCandidate]:
    """The ranking stored when the round closed, with the figures recomputed for display."""
    computed = {r.candidacy.pk: r for r in compute_ranking(selection_round)}
    ranked = selection_round.candidacies.filter(rank__isnull=False).select_related(
        "participant__province"
    )
    rows = []
    for candidacy in ranked.order_by("rank"):
        figures = computed.get(candidacy.pk)
        rows.append(
            RankedCandidate(
                rank=candidacy.rank or 0,
                candidacy=candidacy,
                final_score=candidacy.final_score or Decimal(0),
                normalised=figures.normalised if figures else (),
                lottery=lottery_number(selection_round.pk, candidacy.participant_id),
            )
        )
    return rows


def waiting_stages(selection_round: SelectionRound) -> list[tuple[RoundStage | None, int]]:
    """(stage, number of ACTIVE candidacies waiting for their result there), in stage order.

    An active candidacy with a passing result in every stage (not yet marked as
    passed) is counted under ``None``.
    """
    stages = list(selection_round.stages.select_related("stage_type").order_by("position"))
    active = list(selection_round.candidacies.filter(status=CandidacyStatus.ACTIVE))
    done: dict[int, set[int]] = defaultdict(set)
    for candidacy_id, stage_id in Score.objects.filter(
        candidacy__in=active, superseded_at__isnull=True, passed=True
    ).values_list("candidacy_id", "stage_id"):
        done[candidacy_id].add(stage_id)
    waiting: Counter[int] = Counter()
    for candidacy in active:
        pending = [s for s in stages if s.pk not in done[candidacy.pk]]
        waiting[pending[0].pk if pending else 0] += 1
    rows: list[tuple[RoundStage | None, int]] = [(s, waiting[s.pk]) for s in stages]
    rows.append((None, waiting[0]))
    return [(stage, n) for stage, n in rows if n]


def _ensure_closable(locked: SelectionRound, acting_user: Any) -> None:
    """Refuse unless ``acting_user`` is national staff and the round is open with nobody mid-way."""
    if role_of(acting_user) not in NATIONAL:
        raise PermissionDenied(_("Only Kemnaker's national staff may close a selection round."))
    ROUND_WORKFLOW.check(
        locked.status,
        RoundAction.CLOSE,
        refusal=lambda: TransitionRefused(
            _("Only an open round can be closed; this round is %(status)s.")
            % {"status": locked.get_status_display().lower()},
            code=SelectionErrorCode.ROUND_NOT_OPEN,
        ),
    )
    waiting = waiting_stages(locked)
    if waiting:
        total = sum(n for _stage, n in waiting)
        where = "; ".join(_waiting_label(stage, n) for stage, n in waiting)
        raise ValidationError(
            ngettext(
                "%(total)s candidate is still in the stages (%(where)s). Record the missing "
                "result or withdraw the candidate before closing the round.",
                "%(total)s candidates are still in the stages (%(where)s). Record the missing "
                "results or withdraw the candidates before closing the round.",
                total,
            )
            % {"total": total, "where": where},
            code=SelectionErrorCode.CANDIDATES_ACTIVE,
        )


def _waiting_label(stage: RoundStage | None, count: int) -> str:
    if stage is None:
        return _("%(count)s with every result recorded") % {"count": count}
    return _("%(count)s at stage %(stage)s") % {"count": count, "stage": str(stage)}


def _store_ranks(locked: SelectionRound, ranking: list[RankedCandidate]) -> None:
    """Write final scores and ranks (ranks cleared first: the strict-rank constraint)."""
    locked.candidacies.update(rank=None, final_score=None)
    rows = []
    for row in ranking:
        row.candidacy.rank, row.candidacy.final_score = row.rank, row.final_score
        rows.append(row.candidacy)
    Candidacy.objects.bulk_update(rows, ["rank", "final_score"], batch_size=500)


def _move_journeys(locked: SelectionRound, acting_user: Any) -> dict[str, int]:
    """SELECTED for those who passed; back to their status before the round for the others."""
    moved = {"selected": 0, "returned": 0}
    candidacies = locked.candidacies.filter(
        status__in=[CandidacyStatus.PASSED, CandidacyStatus.FAILED],
        participant__status=JourneyStatus.IN_SELECTION,
    ).select_related("participant")
    for candidacy in candidacies.order_by("pk"):
        to_status: str
        if candidacy.status == CandidacyStatus.PASSED:
            to_status, key = JourneyStatus.SELECTED, "selected"
            reason = _("Passed selection round “%(round)s”.") % {"round": locked.name}
        else:
            to_status, key = candidacy.status_before, "returned"
            reason = candidacy.stop_reason
        _transition(candidacy, to_status, acting_user, reason)
        moved[key] += 1
    return moved


def _transition(candidacy: Candidacy, to_status: str, acting_user: Any, reason: str) -> None:
    """Move one participant; a refusal names the person so the officer can resolve it."""
    try:
        participant_transition(
            participant=candidacy.participant,
            action=journey_action_to(candidacy.participant, to_status),
            acting_user=acting_user,
            reason=reason,
        )
    except ValidationError as error:
        raise ValidationError(
            _("The round cannot close: %(name)s cannot move to the next step: %(why)s")
            % {"name": candidacy.participant.full_name, "why": " ".join(error.messages)},
            code=SelectionErrorCode.JOURNEY_REFUSED,
        ) from error


@transaction.atomic
def round_close(*, round: SelectionRound, acting_user: Any, reason: str = "") -> SelectionRound:
    """Close an open round: store the ranking and move every candidate along the journey.

    Refused for anyone but national staff, for a round that is not open, and while
    any candidacy is still active (the message says how many wait at which stage).
    Side effects: final score and rank of each PASSED candidacy; round status
    CLOSED, ``closed_at``, ``version`` + 1; PASSED participants → SELECTED and
    FAILED ones back to their status before the round (reason: their stop reason),
    each through ``participant_transition``; one change record for the round.
    Participants no longer *in selection* (withdrawn from the programme) are not moved.
    """
    locked = lock_selection_round(round.pk)
    _ensure_closable(locked, acting_user)
    ranking = compute_ranking(locked)
    _store_ranks(locked, ranking)
    moved = _move_journeys(locked, acting_user)
    before = {"status": locked.status, "version": locked.version}
    locked.status, locked.closed_at = RoundStatus.CLOSED, timezone.now()
    locked.status_reason = reason.strip()
    locked.version += 1
    locked.save(update_fields=["status", "closed_at", "status_reason", "version"])
    record_change(
        acting_user=acting_user,
        operation="selection.round_close",
        instance=locked,
        action="transition",
        changes={
            "status": {"before": before["status"], "after": locked.status},
            "version": {"before": before["version"], "after": locked.version},
            "ranked": {"before": None, "after": len(ranking)},
            **{k: {"before": None, "after": v} for k, v in moved.items()},
        },
        reason=reason.strip(),
    )
    round.status, round.closed_at, round.version = locked.status, locked.closed_at, locked.version
    round.status_reason = locked.status_reason
    return locked
