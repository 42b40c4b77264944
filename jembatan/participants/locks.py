"""Row locks of the registry (house rule 5): one function per locked model.

Each returns the row locked (``SELECT ... FOR UPDATE``) until the caller's
transaction ends, so two writers of the same record wait for each other instead
of overwriting one another (PostgreSQL; SQLite serialises writers anyway).
Several rows are locked in id order, so that two transactions locking the same
rows cannot deadlock. Other apps lock a participant through these functions.
"""

from __future__ import annotations

from collections.abc import Iterable

from jembatan.participants.models import (
    Consent,
    ConsentText,
    DuplicateFlag,
    Invitation,
    Participant,
)


def lock_participant(pk: int) -> Participant:
    """The participant, locked."""
    return Participant.objects.select_for_update().get(pk=pk)


def lock_participants(pks: Iterable[int]) -> list[Participant]:
    """These participants, locked in id order (those that do not exist are left out)."""
    return list(Participant.objects.select_for_update().filter(pk__in=set(pks)).order_by("pk"))


def lock_consent(pk: int) -> Consent:
    """The consent, locked."""
    return Consent.objects.select_for_update().get(pk=pk)


def lock_duplicate_flag(pk: int) -> DuplicateFlag:
    """The flag, locked, with both of its records (who may decide depends on their provinces)."""
    return (
        DuplicateFlag.objects.select_for_update()
        .select_related("participant", "candidate")
        .get(pk=pk)
    )


def lock_invitation(pk: int) -> Invitation:
    """The invitation, locked."""
    return Invitation.objects.select_for_update().get(pk=pk)


def lock_consent_texts(purpose: str) -> list[ConsentText]:
    """Every published version of one purpose's text, locked: one new version at a time."""
    return list(ConsentText.objects.select_for_update().filter(purpose=purpose).order_by("version"))
