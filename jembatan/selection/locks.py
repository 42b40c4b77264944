"""Row locks of selection (house rule 5): one function per locked model.

Each returns the row read with ``SELECT … FOR UPDATE``, so it stays locked
until the calling service's transaction ends (PostgreSQL; SQLite serialises
writes anyway). Services lock before they check a status, so two people
acting at once run one after the other and the second sees the first's change.
"""

from __future__ import annotations

from jembatan.selection.models import (
    Candidacy,
    RoundStage,
    SelectionRound,
    Shortlist,
    ShortlistEntry,
)


def lock_selection_round(pk: int) -> SelectionRound:
    """A round: its stages, candidacies and status change one at a time."""
    return SelectionRound.objects.select_for_update().get(pk=pk)


def lock_round_stage(pk: int) -> RoundStage:
    """One stage of a round (its scale)."""
    return RoundStage.objects.select_for_update().get(pk=pk)


def lock_candidacy(pk: int, *, with_participant: bool = False) -> Candidacy:
    """A candidacy; ``with_participant`` reads (and locks) the participant's row with it."""
    rows = Candidacy.objects.select_for_update()
    if with_participant:
        rows = rows.select_related("participant")
    return rows.get(pk=pk)


def lock_shortlist(pk: int) -> Shortlist:
    """A shortlist with its round (read, and locked, with it)."""
    return Shortlist.objects.select_for_update().select_related("round").get(pk=pk)


def lock_shortlist_entry(pk: int) -> ShortlistEntry:
    """One shortlisted candidate, read with its job order, round and participant (unlocked)."""
    return (
        ShortlistEntry.objects.select_for_update(of=("self",))
        .select_related("shortlist__job_order", "shortlist__round", "candidacy__participant")
        .get(pk=pk)
    )
