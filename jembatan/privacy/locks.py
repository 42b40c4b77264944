"""Row locks of the privacy app: one function per locked model (house rule 5)."""

from __future__ import annotations

from jembatan.participants.models import Participant
from jembatan.privacy.models import Breach, ProcessingRestriction, RightsRequest


def lock_rights_request(pk: int) -> RightsRequest:
    """The request, locked until the end of the transaction."""
    return RightsRequest.objects.select_for_update().get(pk=pk)


def lock_breach(pk: int) -> Breach:
    """The breach record, locked until the end of the transaction."""
    return Breach.objects.select_for_update().get(pk=pk)


def lock_participant(pk: int) -> Participant:
    """The participant row an anonymisation rewrites (participants has no locks module yet)."""
    return Participant.objects.select_for_update().get(pk=pk)


def lock_restriction(pk: int) -> ProcessingRestriction:
    """The restriction of processing, locked until the end of the transaction."""
    return ProcessingRestriction.objects.select_for_update().get(pk=pk)
