"""Entering and correcting scores: who may, in which order, and what a result does.

Rules, in the order they are checked:

* **Who** (``RoundStage.entered_by``): *officer* stages by national staff and the
  stage's examiners; *examiner* stages only by its examiners; *partner* stages by
  users of the round's partner and the stage's examiners. Only in an open round.
* **Order**: a candidate is scored at stage *k* only after passing every earlier
  stage. A fail stops them: the candidacy becomes *failed* at that stage, with a
  reason stating the stage, the score against the pass mark and the note. The
  journey stays *in selection* until the round closes (ranking.round_close moves
  the failed back to where they were) or is cancelled, so a corrected fail can
  simply make the candidacy active again.
* **Scale**: 0 to the stage's maximum, at most two decimals; pass/fail stages
  take a pass or a fail.
* **Corrections**: a new value for a stage already scored needs a reason; it
  adds a row and marks the previous one superseded (history kept). Turning a
  fail into a pass makes the candidate active again (or passed, at the last
  stage). Turning a pass into a fail when later stages were already scored
  *sets those later results aside* (superseded, with the reason, kept in the
  history): the candidate would never have reached them. This rule was chosen
  over refusing, because a refusal would leave a wrong early pass uncorrectable.
* **Idempotence**: resubmitting the value a stage already holds changes
  nothing and creates no row (a double click, a re-uploaded file).

The candidacy row is locked while a score is written, so two examiners racing on
the same candidate run one after the other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.access import role_of
from jembatan.core.audit import diff, record_change, snapshot
from jembatan.core.grids import each_row
from jembatan.core.roles import NATIONAL
from jembatan.core.transitions import TransitionRefused
from jembatan.participants.rules import processing_hold
from jembatan.selection import selectors
from jembatan.selection.errors import SelectionErrorCode
from jembatan.selection.locks import lock_candidacy
from jembatan.selection.models import (
    Candidacy,
    CandidacyStatus,
    EnteredBy,
    RoundStage,
    RoundStatus,
    Score,
    ScoreSource,
    Scoring,
    shown,
)
from jembatan.selection.services.rounds import bump_version
from jembatan.selection.workflows import CANDIDACY_WORKFLOW, CandidacyAction

# ``Entry.seen`` when the caller showed no current result to compare with (uploads, scripts).
NOT_CHECKED = -1
CANDIDACY_FIELDS = ["status", "failed_stage_id", "stop_reason"]


def may_score(user: Any, stage: RoundStage) -> bool:
    """Whether ``user`` may enter results of ``stage`` (the round's status aside)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if stage.examiners.filter(pk=user.pk).exists():
        return True
    if stage.entered_by == EnteredBy.OFFICER:
        return role_of(user) in NATIONAL
    if stage.entered_by == EnteredBy.PARTNER:
        return selectors.is_partner_of(user, stage.round)
    return False


def scorable_stages(user: Any, stages: Sequence[RoundStage]) -> set[int]:
    """Ids of the ``stages`` whose results ``user`` may enter."""
    return {s.pk for s in stages if may_score(user, s)}


# --- values --------------------------------------------------------------------------


def stop_reason(stage: RoundStage, value: Decimal | None, note: str) -> str:
    """Why the candidate stopped at ``stage``: the stage, the result against the pass mark."""
    if stage.scoring == Scoring.PASS_FAIL:
        reason = _("Did not pass “%(stage)s”: the result was a fail.") % {"stage": stage.stage_type}
    else:
        reason = _(
            "Did not pass “%(stage)s”: the score %(value)s is below the pass mark of %(mark)s "
            "(out of %(max)s)."
        ) % {
            "stage": stage.stage_type,
            "value": shown(value),
            "mark": shown(stage.pass_mark),
            "max": shown(stage.max_score),
        }
    if note.strip():
        reason += " " + _("Examiner's note: %(note)s") % {"note": note.strip()}
    return reason


def reason_in_words(candidacy: Candidacy, current: Mapping[int, Score]) -> str:
    """Why ``candidacy`` stopped, phrased now in the reader's language.

    A fail is re-phrased from the failing score (``current``: stage id -> current
    score), so the candidate never reads the sentence in the examiner's language;
    a withdrawal keeps the words the officer wrote.
    """
    stage = candidacy.failed_stage
    score = current.get(stage.pk) if stage is not None else None
    if candidacy.status == CandidacyStatus.FAILED and stage and score and not score.passed:
        return stop_reason(stage, score.value, score.note)
    return candidacy.stop_reason


# --- where a candidate stands ------------------------------------------------------------


@dataclass
class Standing:
    """A candidacy's status as its current scores say."""

    status: str
    failed_stage: RoundStage | None = None
    failing_score: Score | None = None


def standing(stages: Sequence[RoundStage], current: dict[int, Score]) -> Standing:
    """Walk the stages in order: the first fail stops, a missing result waits, else passed."""
    for stage in stages:
        score = current.get(stage.pk)
        if score is None:
            return Standing(CandidacyStatus.ACTIVE)
        if not score.passed:
            return Standing(CandidacyStatus.FAILED, stage, score)
    return Standing(CandidacyStatus.PASSED)


def eligibility_problem(
    candidacy: Candidacy, stage: RoundStage, stages: Sequence[RoundStage], current: dict[int, Score]
) -> str | None:
    """Why ``candidacy`` may not get a *first* result at ``stage`` now (None: it may)."""
    if candidacy.status == CandidacyStatus.WITHDRAWN:
        return _("The candidate was withdrawn from the round.")
    if candidacy.status == CandidacyStatus.FAILED:
        return _("The candidate stopped at “%(stage)s”: no later stage may be scored.") % {
            "stage": candidacy.failed_stage.stage_type if candidacy.failed_stage else ""
        }
    for earlier in stages:
        if earlier.position >= stage.position:
            break
        if earlier.pk not in current:
            return _("Enter the result of “%(stage)s” first: stages are marked in order.") % {
                "stage": earlier.stage_type
            }
    return None


# --- writing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One result to record for one candidacy at one stage."""

    candidacy: Candidacy
    value: Decimal | None
    passed: bool
    note: str = ""
    correction_reason: str = ""
    # The current score's id the person saw on the page (None: none yet), or NOT_CHECKED.
    seen: int | None = NOT_CHECKED


@dataclass
class Outcome:
    """What recording an entry did."""

    score: Score
    created: bool
    set_aside: list[Score] = field(default_factory=list)
    status_before: str = ""
    status_after: str = ""
    corrected: bool = False


def ensure_may_score(user: Any, stage: RoundStage) -> None:
    """Refuse anyone who may not score ``stage``, or a round that is not open."""
    if not may_score(user, stage):
        raise PermissionDenied(_("You may not enter results for this stage."))
    if stage.round.status != RoundStatus.OPEN:
        raise ValidationError(
            _("The round is “%(status)s”: results are entered only while it is open.")
            % {"status": stage.round.get_status_display()},
            code=SelectionErrorCode.ROUND_NOT_OPEN,
        )


@transaction.atomic
def score_record(
    *,
    candidacy: Candidacy,
    stage: RoundStage,
    value: Any,
    passed: bool | None,
    note: str,
    correction_reason: str,
    acting_user: Any,
    source: str = ScoreSource.PAGE,
    seen: int | None = NOT_CHECKED,
) -> Outcome:
    """Record (or correct) one candidate's result at one stage; see the module's rules.

    ``seen`` is the id of the current score the page showed (None: no result yet):
    if someone changed the result meanwhile, the entry is refused as stale.
    """
    if candidacy.round_id != stage.round_id:
        raise ValidationError(_("The candidate is not in this stage's round."))
    stage = RoundStage.objects.select_related("round", "stage_type").get(pk=stage.pk)
    ensure_may_score(acting_user, stage)
    number, result = stage.result_of(value, passed)
    entry = Entry(candidacy, number, result, note.strip(), correction_reason.strip(), seen)
    outcome = record_entry(entry, stage, acting_user=acting_user, source=source, now=timezone.now())
    if outcome.created:
        bump_version(stage.round)
    return outcome


@dataclass(frozen=True)
class ScoreInput:
    """One row of a stage's score grid, as typed (see score_record for each field)."""

    candidacy: Candidacy
    value: Any
    passed: bool | None
    note: str = ""
    correction_reason: str = ""
    seen: int | None = NOT_CHECKED


@transaction.atomic
def score_record_many(
    *, stage: RoundStage, rows: Mapping[int, ScoreInput], acting_user: Any
) -> dict[int, Outcome]:
    """Record (or correct) the results of many candidates at one stage: every row or none.

    The score grid's writer. Each row (by candidacy id) goes through score_record,
    so the same rules hold: who may score, the stage order, the scale, corrections
    with their reason and history, a page older than the result refused. If any
    row is refused, nothing is saved and grids.RowsRefused names each refused row.
    A row repeating the current result changes nothing: a grid sent twice records once.
    """
    stage = RoundStage.objects.select_related("round", "stage_type").get(pk=stage.pk)
    ensure_may_score(acting_user, stage)
    if not rows:
        raise ValidationError(
            _("Enter at least one result."), code=SelectionErrorCode.NOTHING_TO_SAVE
        )
    return each_row(rows, lambda _pk, row: _record_input(stage, row, acting_user))


def _record_input(stage: RoundStage, row: ScoreInput, acting_user: Any) -> Outcome:
    return score_record(
        candidacy=row.candidacy,
        stage=stage,
        value=row.value,
        passed=row.passed,
        note=row.note,
        correction_reason=row.correction_reason,
        acting_user=acting_user,
        source=ScoreSource.PAGE,
        seen=row.seen,
    )


def record_entry(
    entry: Entry,
    stage: RoundStage,
    *,
    acting_user: Any,
    source: str,
    now: Any,
    stages: Sequence[RoundStage] | None = None,
) -> Outcome:
    """Write one checked entry under the candidacy's lock (call inside a transaction).

    ``stages`` (the round's, in order) may be passed by a caller writing many entries.
    """
    locked = lock_candidacy(entry.candidacy.pk)
    stages = stages if stages is not None else selectors.stages_of(stage.round)
    current = {s.stage_id: s for s in locked.scores.filter(superseded_at__isnull=True)}
    previous = current.get(stage.pk)
    if previous is not None and _same(previous, entry):
        return Outcome(
            previous, created=False, status_before=locked.status, status_after=locked.status
        )
    _check_entry(locked, stage, stages, current, previous, entry)
    if previous is None:  # a correction of a result already given is not a new decision
        hold = processing_hold(locked.participant)
        if hold is not None:
            raise hold
    if previous is not None:  # first: one current score per stage (a database constraint)
        _supersede(previous, None, entry.correction_reason, acting_user, now, audit=False)
    score = _create_score(locked, stage, entry, acting_user, source, now)
    set_aside = []
    if previous is not None:
        _supersede(previous, score, entry.correction_reason, acting_user, now)
    if not entry.passed:
        set_aside = _set_aside_later(locked, stage, stages, current, score, acting_user, now)
    current = {s.stage_id: s for s in locked.scores.filter(superseded_at__isnull=True)}
    status_before = locked.status
    _settle(locked, standing(stages, current), acting_user)
    return Outcome(score, True, set_aside, status_before, locked.status, previous is not None)


def _same(previous: Score, entry: Entry) -> bool:
    return previous.value == entry.value and previous.passed == entry.passed


def _check_entry(
    candidacy: Candidacy,
    stage: RoundStage,
    stages: Sequence[RoundStage],
    current: dict[int, Score],
    previous: Score | None,
    entry: Entry,
) -> None:
    if entry.seen != NOT_CHECKED and entry.seen != (previous.pk if previous else None):
        raise ValidationError(
            _(
                "The result changed while you were on the page: it is now “%(result)s”. "
                "Check it and, if it is still wrong, enter the correction again."
            )
            % {"result": describe(previous) if previous else _("none")},
            code=SelectionErrorCode.STALE,
        )
    CANDIDACY_WORKFLOW.check(
        candidacy.status,
        CandidacyAction.SETTLE,
        refusal=lambda: TransitionRefused(
            _("The candidate was withdrawn from the round.")
            if previous is None
            else _("The candidate was withdrawn: results can no longer change."),
            code=SelectionErrorCode.NOT_ELIGIBLE if previous is None else None,
        ),
    )
    if previous is None:
        problem = eligibility_problem(candidacy, stage, stages, current)
        if problem:
            raise ValidationError(problem, code=SelectionErrorCode.NOT_ELIGIBLE)
        return
    if not entry.correction_reason:
        raise ValidationError(
            _(
                "This stage already has a result (%(result)s). To correct it, give the reason "
                "for the correction."
            )
            % {"result": describe(previous)},
            code=SelectionErrorCode.CORRECTION_WITHOUT_REASON,
        )


def describe(score: Score) -> str:
    """A result in words: ``72.5 (passed)`` or ``fail``."""
    verdict = _("passed") if score.passed else _("not passed")
    if score.value is None:
        return str(verdict)
    return f"{shown(score.value)} ({verdict})"


def _create_score(
    candidacy: Candidacy, stage: RoundStage, entry: Entry, acting_user: Any, source: str, now: Any
) -> Score:
    score = Score.objects.create(
        candidacy=candidacy,
        stage=stage,
        value=entry.value,
        passed=entry.passed,
        note=entry.note,
        source=source,
        entered_by=acting_user,
        entered_at=now,
    )
    changes = {"value": {"after": shown(entry.value)}, "passed": {"after": entry.passed}}
    record_change(
        acting_user=acting_user,
        operation="selection.score_record",
        instance=score,
        action="create",
        changes={**changes, "source": {"after": source}},
        reason=entry.correction_reason,
    )
    return score


def _supersede(
    old: Score, new: Score | None, reason: str, acting_user: Any, now: Any, *, audit: bool = True
) -> None:
    old.superseded_at, old.superseded_by, old.correction_reason = now, new, reason
    old.save(update_fields=["superseded_at", "superseded_by", "correction_reason"])
    if not audit:
        return
    record_change(
        acting_user=acting_user,
        operation="selection.score_record",
        instance=old,
        action="update",
        changes={"superseded_by": {"before": None, "after": new.pk if new else None}},
        reason=reason,
    )


def _set_aside_later(
    candidacy: Candidacy,
    stage: RoundStage,
    stages: Sequence[RoundStage],
    current: dict[int, Score],
    failing: Score,
    acting_user: Any,
    now: Any,
) -> list[Score]:
    """Supersede the results after a failed stage: the candidate would not have reached them."""
    reason = _("Set aside: the earlier stage “%(stage)s” was corrected to a fail.") % {
        "stage": stage.stage_type
    }
    later = [current[s.pk] for s in stages if s.position > stage.position and s.pk in current]
    for score in later:
        _supersede(score, None, reason, acting_user, now)
    return later


def _settle(candidacy: Candidacy, found: Standing, acting_user: Any) -> None:
    """Bring the candidacy in line with its current scores (the journey moves at closing)."""
    before = snapshot(candidacy, CANDIDACY_FIELDS)
    candidacy.status = found.status
    candidacy.failed_stage = found.failed_stage
    candidacy.stop_reason = ""
    if found.failed_stage is not None and found.failing_score is not None:
        score = found.failing_score
        candidacy.stop_reason = stop_reason(found.failed_stage, score.value, score.note)
    after = snapshot(candidacy, CANDIDACY_FIELDS)
    if after == before:
        return
    candidacy.save(update_fields=["status", "failed_stage", "stop_reason"])
    record_change(
        acting_user=acting_user,
        operation="selection.score_record",
        instance=candidacy,
        action="transition",
        changes=diff(before, after),
        reason=candidacy.stop_reason,
    )
