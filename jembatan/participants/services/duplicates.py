"""Probable duplicates: flagged for an officer's review, never merged silently.

The database refuses the same NIK twice. The same person registered under two
NIKs (a typo, an old card) shows as the same normalised name and birth date;
such pairs become a :class:`DuplicateFlag` that an officer merges or dismisses.
A merge keeps the surviving record's history, moves the other record's status
history and consents to it, and archives the other record with a pointer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.audit import diff, record_change, snapshot
from jembatan.core.transitions import TransitionRefused
from jembatan.participants.errors import ParticipantErrorCode
from jembatan.participants.fields import OPTIONAL, attnames
from jembatan.participants.locks import lock_duplicate_flag, lock_participants
from jembatan.participants.models import (
    Consent,
    DuplicateFlag,
    DuplicateReason,
    DuplicateStatus,
    Participant,
    ParticipantStatusChange,
)
from jembatan.participants.rules import may_review_duplicate
from jembatan.participants.validation import normalise_name
from jembatan.participants.workflows import DUPLICATE_WORKFLOW, DuplicateAction

# Filled on the surviving record from the merged one when the survivor has none: the
# details a record may lack (the required ones are never empty) and the organisations
# that work with the person.
FILLABLE = (
    *attnames(OPTIONAL),
    *attnames(("sending_organisation", "training_centre", "partner")),
)


# Steps other apps add to a merge (e.g. documents follow the person), run inside its
# transaction after the records are merged: ``step(keep=..., gone=..., acting_user=...)``.
MergeStep = Callable[..., object]
MERGE_STEPS: list[MergeStep] = []


def register_merge_step(step: MergeStep) -> None:
    """Let another app move its records from the merged participant to the survivor."""
    if step not in MERGE_STEPS:
        MERGE_STEPS.append(step)


def probable_duplicates(participant: Participant) -> list[Participant]:
    """Other live records with the same normalised name and birth date."""
    key = normalise_name(participant.full_name)
    same_day = (
        Participant.objects.filter(birth_date=participant.birth_date, archived_at__isnull=True)
        .exclude(pk=participant.pk)
        .only("id", "full_name")
    )
    return [p for p in same_day if normalise_name(p.full_name) == key]


def _flagged(a_id: int, b_id: int) -> bool:
    """Whether the two records were flagged as a pair before, in either order."""
    return DuplicateFlag.objects.filter(
        Q(participant_id=a_id, candidate_id=b_id) | Q(participant_id=b_id, candidate_id=a_id)
    ).exists()


def _flag_pair(participant_id: int, candidate_id: int, acting_user: Any) -> DuplicateFlag:
    """Open one review flag (same name and birth date), with its change record."""
    flag = DuplicateFlag.objects.create(
        participant_id=participant_id,
        candidate_id=candidate_id,
        reason=DuplicateReason.SAME_NAME_AND_BIRTH_DATE,
        created_at=timezone.now(),
    )
    record_change(
        acting_user=acting_user,
        operation="participants.duplicate_flag",
        instance=flag,
        action="create",
        changes=diff({}, snapshot(flag)),
    )
    return flag


def flag_probable_duplicates(*, participant: Participant, acting_user: Any) -> list[DuplicateFlag]:
    """Open a review flag for each probable duplicate not flagged before (in either order)."""
    return [
        _flag_pair(participant.pk, candidate.pk, acting_user)
        for candidate in probable_duplicates(participant)
        if not _flagged(participant.pk, candidate.pk)
    ]


def flag_probable_duplicates_of_many(*, participant_ids: Iterable[int], acting_user: Any) -> int:
    """Flag the probable duplicates of many new records at once (imports); return how many.

    One pass over the records born on the same days, compared by normalised name
    in Python, instead of one query per record. Each new record is paired with
    the earliest other record of its group only, so a common name cannot make
    the number of flags grow with the square of the group: the officer who
    reviews that pair sees the rest of the group on the record's duplicates page.
    """
    new = set(participant_ids)
    pairs: set[tuple[int, int]] = set()
    for ids in _groups_by_day_and_name(new).values():
        first = min(ids)
        pairs.update((pk, first) for pk in ids if pk in new and pk != first)
        if first in new:  # a group made only of new rows: pair the first with the next
            pairs.add((sorted(ids)[1], first))
    created = [_flag_pair(a, b, acting_user) for a, b in sorted(pairs) if not _flagged(a, b)]
    return len(created)


def _groups_by_day_and_name(new: set[int]) -> dict[tuple[Any, str], list[int]]:
    days = sorted(set(Participant.objects.filter(pk__in=new).values_list("birth_date", flat=True)))
    groups: dict[tuple[Any, str], list[int]] = defaultdict(list)
    for start in range(0, len(days), 500):
        same_days = Participant.objects.filter(
            birth_date__in=days[start : start + 500], archived_at__isnull=True
        ).values_list("id", "full_name", "birth_date")
        for pk, name, day in same_days.iterator(chunk_size=5000):
            groups[(day, normalise_name(name))].append(pk)
    return {key: ids for key, ids in groups.items() if len(ids) > 1}


def _open_flag(flag: DuplicateFlag, action: DuplicateAction, acting_user: Any) -> DuplicateFlag:
    """The flag locked, still open, and ``acting_user`` allowed to decide it."""
    locked = lock_duplicate_flag(flag.pk)
    if not may_review_duplicate(acting_user, locked):
        raise PermissionDenied(_("Only a national officer or the provincial officer may decide."))
    DUPLICATE_WORKFLOW.check(
        locked.status,
        action,
        refusal=lambda: TransitionRefused(
            _("This flag has already been decided."), code=ParticipantErrorCode.FLAG_DECIDED
        ),
    )
    return locked


def _require_note(note: str) -> str:
    if not note.strip():
        raise ValidationError(
            _("Write a note explaining the decision."), code=ParticipantErrorCode.NOTE_REQUIRED
        )
    return note.strip()


def _record_flag_decision(flag: DuplicateFlag, status: str, acting_user: Any, note: str) -> None:
    """Close ``flag`` as merged or dismissed: who decided, when and why, audited."""
    before = snapshot(flag)
    flag.status = status
    flag.decided_by = acting_user
    flag.decided_at = timezone.now()
    flag.note = note
    flag.save(update_fields=["status", "decided_by", "decided_at", "note"])
    record_change(
        acting_user=acting_user,
        operation=f"participants.duplicate_{'merge' if status == 'merged' else 'dismiss'}",
        instance=flag,
        action="update",
        changes=diff(before, snapshot(flag)),
        reason=note,
    )


@transaction.atomic
def duplicate_dismiss(*, flag: DuplicateFlag, acting_user: Any, note: str) -> DuplicateFlag:
    """Decide that the two records are different people; the pair is not flagged again."""
    note = _require_note(note)
    locked = _open_flag(flag, DuplicateAction.DISMISS, acting_user)
    _record_flag_decision(locked, DuplicateStatus.DISMISSED, acting_user, note)
    return locked


@transaction.atomic
def duplicate_merge(
    *, flag: DuplicateFlag, survivor: Participant, acting_user: Any, note: str
) -> Participant:
    """Merge the flagged pair into ``survivor``; the other record is archived, not deleted.

    Side effects: the merged record's status history and consents move to the
    survivor (marked ``moved_from``); empty fields of the survivor are filled
    from the merged record; a participant account moves if the survivor has
    none; the merged record gets ``archived_at`` and ``merged_into``; both
    records' ``version`` + 1; other open flags of the merged record point at
    the survivor; change records for both records and the flag; then every
    registered merge step (the documents app moves the documents).
    """
    note = _require_note(note)
    locked = _open_flag(flag, DuplicateAction.MERGE, acting_user)
    if survivor.pk not in (locked.participant_id, locked.candidate_id):
        raise ValidationError(_("The surviving record must be one of the flagged pair."))
    merged_id = (
        locked.candidate_id if survivor.pk == locked.participant_id else locked.participant_id
    )
    keep, gone = _lock_pair(survivor.pk, merged_id)
    _merge_records(keep, gone, acting_user, note)
    for step in MERGE_STEPS:
        step(keep=keep, gone=gone, acting_user=acting_user)
    _record_flag_decision(locked, DuplicateStatus.MERGED, acting_user, note)
    _repoint_flags(gone, keep, acting_user)
    return keep


def _lock_pair(keep_id: int, gone_id: int) -> tuple[Participant, Participant]:
    """Both rows locked in id order (no deadlock between two opposite merges)."""
    rows = {p.pk: p for p in lock_participants([keep_id, gone_id])}
    keep, gone = rows[keep_id], rows[gone_id]
    if keep.archived_at is not None or gone.archived_at is not None:
        raise ValidationError(
            _("One of the records is already archived."), code=ParticipantErrorCode.ARCHIVED
        )
    return keep, gone


def _merge_records(keep: Participant, gone: Participant, acting_user: Any, note: str) -> None:
    before_keep, before_gone = snapshot(keep), snapshot(gone)
    for name in FILLABLE:
        if getattr(keep, name) in ("", None) and getattr(gone, name) not in ("", None):
            setattr(keep, name, getattr(gone, name))
    _move_history(gone, keep)
    moved_user = keep.user_id is None and gone.user_id is not None
    if moved_user:
        keep.user_id, gone.user_id = gone.user_id, None
    gone.archived_at = timezone.now()
    gone.merged_into = keep
    gone.version += 1
    keep.version += 1
    gone.save()  # first: it releases the account before the survivor takes it
    keep.save()
    for record, before, action in ((keep, before_keep, "update"), (gone, before_gone, "archive")):
        record_change(
            acting_user=acting_user,
            operation="participants.duplicate_merge",
            instance=record,
            action=action,
            changes=diff(before, snapshot(record)),
            reason=note,
        )


def _move_history(gone: Participant, keep: Participant) -> None:
    """Status changes and consents follow the person; ``moved_from`` keeps their origin."""
    for model in (ParticipantStatusChange, Consent):
        rows = model.objects.filter(participant=gone)
        rows.filter(moved_from__isnull=True).update(moved_from=gone)
        rows.update(participant=keep)


def _repoint_flags(gone: Participant, keep: Participant, acting_user: Any) -> None:
    """Other open flags of the merged record now concern the survivor (or close as superseded)."""
    others = DuplicateFlag.objects.filter(
        Q(participant=gone) | Q(candidate=gone), status=DuplicateStatus.OPEN
    ).select_related("participant", "candidate")
    for other in others:
        third = other.candidate if other.participant_id == gone.pk else other.participant
        if third.pk == keep.pk or _flagged(keep.pk, third.pk):
            _record_flag_decision(
                other, DuplicateStatus.DISMISSED, acting_user, _("Superseded by a merge.")
            )
            continue
        side = "participant" if other.participant_id == gone.pk else "candidate"
        DuplicateFlag.objects.filter(pk=other.pk).update(**{side: keep})
        record_change(
            acting_user=acting_user,
            operation="participants.duplicate_merge",
            instance=other,
            action="update",
            changes={f"{side}_id": {"before": gone.pk, "after": keep.pk}},
        )
