"""Shortlists: the best-ranked candidates of a closed round put forward to a job order's interview.

**Who is put forward.** A shortlist for a job order takes, in rank order, the
round's PASSED candidates who are still *selected* on their journey, have no
live (proposed or confirmed) placement on any job order, and meet every
requirement of the job order (``demand.eligibility``: age, education, language,
competency units, certificates, a stated lawful sex requirement), up to
``per_vacancy × open slots`` (e.g. three per vacancy, as Korea's EPS does).
A candidate who still owes a selection-stage document of their route's
checklist (missing or not verified, :mod:`jembatan.selection.papers`) is
skipped; the result says how many were skipped and names each document.

**Decisions.** The partner of the job order (or national staff) records each
interview: accepted, declined (with a note) or absent (with a note). A decision
may be changed, always with a note; every decision is a change record, so the
change log holds the history.

**Refill.** When candidates drop out (declined, absent, withdrawn, placed
elsewhere), :func:`shortlist_refill` adds the next eligible candidates of the
ranking so that ``per_vacancy`` candidates wait for each slot that no accepted
candidate is expected to fill.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.access import role_of
from jembatan.core.audit import record_change
from jembatan.core.grids import each_row
from jembatan.core.roles import NATIONAL, Role
from jembatan.core.transitions import TransitionRefused
from jembatan.demand.locks import lock_job_order
from jembatan.demand.models import JobOrder, Placement, PlacementStatus
from jembatan.demand.rules import ensure_job_order_open
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.selection.errors import SelectionErrorCode
from jembatan.selection.locks import lock_selection_round, lock_shortlist, lock_shortlist_entry
from jembatan.selection.models import (
    Candidacy,
    InterviewDecision,
    RoundStatus,
    SelectionRound,
    Shortlist,
    ShortlistEntry,
)
from jembatan.selection.papers import Undocumented
from jembatan.selection.services.picking import (
    available_ids,
    nobody_eligible,
    open_slots,
    pick_candidates,
    unmet_of,
    with_skipped,
)
from jembatan.selection.workflows import INTERVIEW_WORKFLOW, interview_action

NEEDS_NOTE = frozenset({InterviewDecision.DECLINED, InterviewDecision.ABSENT})
DECISIONS = frozenset(
    {InterviewDecision.ACCEPTED, InterviewDecision.DECLINED, InterviewDecision.ABSENT}
)
GONE = (JourneyStatus.WITHDRAWN, JourneyStatus.REJECTED)


@dataclass(frozen=True)
class Drawn:
    """What drawing up or refilling a shortlist did: the entries added, who was skipped."""

    shortlist: Shortlist
    added: list[ShortlistEntry]
    skipped: list[Undocumented]


# --- checks ------------------------------------------------------------------------------


def _require_national(acting_user: Any, message: str) -> None:
    if role_of(acting_user) not in NATIONAL:
        raise PermissionDenied(message)


def may_decide(user: Any, job_order: JobOrder) -> bool:
    """National staff, or a user of the job order's partner."""
    role = role_of(user)
    return role in NATIONAL or (
        role == Role.PARTNER and getattr(user, "organisation_id", None) == job_order.partner_id
    )


def ensure_may_decide(user: Any, shortlist: Shortlist) -> None:
    """Refuse anyone but the job order's partner or national staff, and a round not closed."""
    if not may_decide(user, shortlist.job_order):
        raise PermissionDenied(_("Only the job order's partner or Kemnaker may record this."))
    _ensure_round_closed(shortlist.round)


def _ensure_round_closed(selection_round: SelectionRound) -> None:
    if selection_round.status != RoundStatus.CLOSED:
        raise ValidationError(
            _(
                "Shortlists are drawn from a closed round's final ranking; round “%(round)s” "
                "is %(status)s. Close the round first."
            )
            % {
                "round": selection_round.name,
                "status": selection_round.get_status_display().lower(),
            },
            code=SelectionErrorCode.ROUND_NOT_CLOSED,
        )


def _ensure_same_partner(selection_round: SelectionRound, job_order: JobOrder) -> None:
    if job_order.partner_id != selection_round.partner_id:
        raise ValidationError(
            {
                "job_order": _(
                    "Job order %(reference)s belongs to another partner than round “%(round)s”: "
                    "choose one of %(partner)s's job orders."
                )
                % {
                    "reference": job_order.reference,
                    "round": selection_round.name,
                    "partner": selection_round.partner,
                }
            },
            code=SelectionErrorCode.OTHER_PARTNER,
        )


def _ensure_per_vacancy(per_vacancy: int) -> None:
    if not 1 <= per_vacancy <= 10:
        raise ValidationError(
            {"per_vacancy": _("Put forward between 1 and 10 candidates per vacancy.")}
        )


def _ensure_slots(job_order: JobOrder, slots: int) -> None:
    if slots <= 0:
        raise ValidationError(
            _("Job order %(reference)s has no open slot left: nobody needs an interview.")
            % {"reference": job_order.reference},
            code=SelectionErrorCode.NO_OPEN_SLOT,
        )


# --- writes --------------------------------------------------------------------------------


def _add_entries(shortlist: Shortlist, chosen: list[Candidacy], start: int) -> list[ShortlistEntry]:
    entries = [
        ShortlistEntry(shortlist=shortlist, candidacy=c, position=start + i)
        for i, c in enumerate(chosen)
    ]
    return ShortlistEntry.objects.bulk_create(entries)


@transaction.atomic
def shortlist_create(
    *, round: SelectionRound, job_order: JobOrder, per_vacancy: int, acting_user: Any
) -> Drawn:
    """Put the best-ranked eligible candidates of a closed round forward to a job order.

    Refused for anyone but national staff, for a round that is not closed, a job
    order that is not open or belongs to another partner, a second shortlist of
    the same round for the same order, and when no slot or no candidate is left
    (the refusal names who was passed over and each document they still owe).
    Candidates owing a selection-stage document are skipped (``Drawn.skipped``).
    Side effects: the shortlist and its entries (positions 1..n); a change record.
    """
    _require_national(acting_user, _("Only Kemnaker's national staff may draw up a shortlist."))
    locked_round = lock_selection_round(round.pk)
    locked_order = lock_job_order(job_order.pk)
    _ensure_round_closed(locked_round)
    ensure_job_order_open(locked_order)
    _ensure_same_partner(locked_round, locked_order)
    _ensure_per_vacancy(per_vacancy)
    if Shortlist.objects.filter(round=locked_round, job_order=locked_order).exists():
        raise ValidationError(
            {"job_order": _("This round already has a shortlist for this job order: refill it.")},
            code=SelectionErrorCode.SHORTLIST_EXISTS,
        )
    slots = open_slots(locked_order)
    _ensure_slots(locked_order, slots)
    pick = pick_candidates(locked_round, locked_order, limit=per_vacancy * slots)
    if not pick.chosen:
        raise nobody_eligible(locked_order, pick)
    shortlist = Shortlist.objects.create(
        round=locked_round,
        job_order=locked_order,
        per_vacancy=per_vacancy,
        created_by=acting_user,
        created_at=timezone.now(),
    )
    added = _add_entries(shortlist, pick.chosen, start=1)
    record_change(
        acting_user=acting_user,
        operation="selection.shortlist_create",
        instance=shortlist,
        action="create",
        changes={
            "per_vacancy": {"before": None, "after": per_vacancy},
            "open_slots": {"before": None, "after": slots},
            "candidacies": {"before": None, "after": [c.pk for c in pick.chosen]},
            "ineligible": {"before": None, "after": unmet_of(pick)},
            "undocumented": {"before": None, "after": [u.as_dict() for u in pick.undocumented]},
        },
    )
    return Drawn(shortlist=shortlist, added=added, skipped=pick.undocumented)


def _check_decision(locked: ShortlistEntry, decision: str, note: str, seen: str | None) -> None:
    """Raise the refusal of a decision, or return if it may be recorded."""
    if seen is not None and seen != locked.decision:
        raise ValidationError(
            _(
                "Someone recorded “%(current)s” for %(name)s while you were deciding. "
                "Reload the shortlist and decide again."
            )
            % {"current": locked.get_decision_display(), "name": _name(locked)},
            code=SelectionErrorCode.STALE,
        )
    if decision not in DECISIONS:
        raise ValidationError(
            {"decision": _("Choose accepted, declined or did not attend.")},
            code=SelectionErrorCode.BAD_DECISION,
        )
    action = interview_action(decision)
    assert action is not None  # every decision in DECISIONS has its action
    INTERVIEW_WORKFLOW.check(
        locked.decision,
        action,
        refusal=lambda: TransitionRefused(
            {"decision": _("This decision is already recorded.")}, code=SelectionErrorCode.UNCHANGED
        ),
    )
    if decision in NEEDS_NOTE and not note:
        raise ValidationError(
            {
                "note": _(
                    "Say why the candidate was declined or absent; "
                    "the note stays with the decision."
                )
            },
            code=SelectionErrorCode.NOTE_REQUIRED,
        )
    if locked.decision != InterviewDecision.PENDING and not note:
        raise ValidationError(
            {"note": _("Say why the decision changes: the earlier one stays in the history.")},
            code=SelectionErrorCode.NOTE_REQUIRED,
        )


def _name(entry: ShortlistEntry) -> str:
    return str(entry.candidacy.participant.full_name)


@transaction.atomic
def interview_decide(
    *, entry: ShortlistEntry, decision: str, note: str, acting_user: Any, seen: str | None = None
) -> ShortlistEntry:
    """Record (or change) the partner's interview decision on one shortlisted candidate.

    By a user of the job order's partner or national staff. Declined and absent
    need a note, as does any change of an earlier decision; ``seen`` (the decision
    the form showed) refuses a decision made on a stale page. Side effects: the
    decision, its note, who and when; a change record (the history of decisions).
    """
    locked = lock_shortlist_entry(entry.pk)
    if not may_decide(acting_user, locked.shortlist.job_order):
        raise PermissionDenied(_("Only the job order's partner or Kemnaker may record this."))
    _ensure_round_closed(locked.shortlist.round)
    note = note.strip()
    _check_decision(locked, decision, note, seen)
    before = {"decision": locked.decision, "decision_note": locked.decision_note}
    locked.decision, locked.decision_note = decision, note
    locked.decided_by, locked.decided_at = acting_user, timezone.now()
    locked.save(update_fields=["decision", "decision_note", "decided_by", "decided_at"])
    record_change(
        acting_user=acting_user,
        operation="selection.interview_decide",
        instance=locked,
        action="update",
        changes={
            "decision": {"before": before["decision"], "after": decision},
            "decision_note": {"before": before["decision_note"], "after": note},
        },
        reason=note,
    )
    entry.decision, entry.decision_note = locked.decision, locked.decision_note
    entry.decided_by, entry.decided_at = locked.decided_by, locked.decided_at
    return locked


@dataclass(frozen=True)
class DecisionInput:
    """One row of a shortlist's decision grid, as entered (see interview_decide)."""

    entry: ShortlistEntry
    decision: str
    note: str = ""
    seen: str | None = None


@transaction.atomic
def interview_decide_many(
    *, shortlist: Shortlist, rows: Mapping[int, DecisionInput], acting_user: Any
) -> dict[int, ShortlistEntry | None]:
    """Record the interview decisions of many shortlisted candidates: every row or none.

    The decision grid's writer. Each row (by entry id) goes through
    interview_decide, so the same rules hold: the job order's partner or national
    staff, a closed round, a note for declined and absent and for any change, a
    page older than the decision refused. If any row is refused, nothing is saved
    and grids.RowsRefused names each refused row. A row repeating the stored
    decision and note changes nothing (None): a grid sent twice records once.
    """
    ensure_may_decide(acting_user, shortlist)
    if not rows:
        raise ValidationError(
            _("Choose a decision for at least one candidate."),
            code=SelectionErrorCode.NOTHING_TO_SAVE,
        )
    return each_row(rows, lambda _pk, row: _decide_row(shortlist, row, acting_user))


def _decide_row(
    shortlist: Shortlist, row: DecisionInput, acting_user: Any
) -> ShortlistEntry | None:
    if row.entry.shortlist_id != shortlist.pk:
        raise ValidationError(
            _("This candidate is not on this shortlist."),
            code=SelectionErrorCode.NOT_ON_SHORTLIST,
        )
    locked = lock_shortlist_entry(row.entry.pk)
    if (locked.decision, locked.decision_note) == (row.decision, row.note.strip()):
        return None
    return interview_decide(
        entry=row.entry,
        decision=row.decision,
        note=row.note,
        acting_user=acting_user,
        seen=row.seen,
    )


def still_waiting(shortlist: Shortlist) -> tuple[int, int]:
    """(accepted candidates expected to fill a slot, pending candidates still available)."""
    entries = list(shortlist.entries.select_related("candidacy"))
    people = [e.candidacy.participant_id for e in entries]
    free = available_ids(people)
    confirmed_here = set(
        Placement.objects.filter(
            job_order=shortlist.job_order_id, status=PlacementStatus.CONFIRMED
        ).values_list("participant_id", flat=True)
    )
    gone = set(
        Participant.objects.filter(pk__in=people, status__in=GONE).values_list("pk", flat=True)
    )
    accepted = sum(
        1
        for e in entries
        if e.decision == InterviewDecision.ACCEPTED
        and e.candidacy.participant_id not in confirmed_here | gone
    )
    pending = sum(
        1
        for e in entries
        if e.decision == InterviewDecision.PENDING and e.candidacy.participant_id in free
    )
    return accepted, pending


@transaction.atomic
def shortlist_refill(*, shortlist: Shortlist, acting_user: Any) -> Drawn:
    """Add the next eligible ranked candidates where candidates dropped out.

    Target: ``per_vacancy`` pending, available candidates for each open slot no
    accepted candidate is expected to fill. Earlier entries stay (with their
    decisions); new ones take the next positions. Refused for anyone but national
    staff, for a job order no longer open, and when nothing needs adding or no
    candidate is left. Candidates owing a selection-stage document are skipped
    (``Drawn.skipped``). Side effects: new entries; a change record on the shortlist.
    """
    _require_national(acting_user, _("Only Kemnaker's national staff may refill a shortlist."))
    locked = lock_shortlist(shortlist.pk)
    job_order = lock_job_order(locked.job_order_id)
    _ensure_round_closed(locked.round)
    ensure_job_order_open(job_order)
    accepted, pending = still_waiting(locked)
    unfilled = max(0, open_slots(job_order) - accepted)
    wanted = locked.per_vacancy * unfilled - pending
    if wanted <= 0:
        raise ValidationError(
            _(
                "The shortlist needs nobody new: %(pending)s candidates wait for an interview "
                "and %(accepted)s accepted candidates are expected to fill the open slots."
            )
            % {"pending": pending, "accepted": accepted},
            code=SelectionErrorCode.SHORTLIST_FULL,
        )
    already = locked.entries.values_list("candidacy_id", flat=True)
    pick = pick_candidates(locked.round, job_order, limit=wanted, skip=already)
    if not pick.chosen:
        raise ValidationError(
            with_skipped(
                _("No further ranked candidate is available and meets the requirements."),
                pick.undocumented,
            ),
            code=SelectionErrorCode.NOBODY_ELIGIBLE,
        )
    start = (locked.entries.aggregate(m=Max("position"))["m"] or 0) + 1
    added = _add_entries(locked, pick.chosen, start=start)
    record_change(
        acting_user=acting_user,
        operation="selection.shortlist_refill",
        instance=locked,
        action="update",
        changes={
            "candidacies_added": {"before": None, "after": [c.pk for c in pick.chosen]},
            "undocumented": {"before": None, "after": [u.as_dict() for u in pick.undocumented]},
        },
        reason=_("%(wanted)s more candidates wanted; %(added)s found.")
        % {"wanted": wanted, "added": len(added)},
    )
    return Drawn(shortlist=locked, added=added, skipped=pick.undocumented)
