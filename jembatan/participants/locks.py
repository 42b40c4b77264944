"""Row locks of the participants app (house rule 5): one function per locked model."""

from __future__ import annotations

from jembatan.participants.models import Participant


def lock_participant(pk: int) -> Participant:
    """The participant, locked for the rest of the transaction (``SELECT … FOR UPDATE``)."""
    return Participant.objects.select_for_update().get(pk=pk)
