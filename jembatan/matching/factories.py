# mypy: disable-error-code="no-untyped-call"
# (factory_boy declares its declarations without types.)
"""Test data for matching (factory_boy).

The selection app had no factories when matching was written, so the closed
round and passed candidacy a matching needs are made here (without the
selection services: a closed round with its final ranking is the starting point
of every matching test). ``selected_candidate`` makes a participant *selected*
who passed a round with a final score.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django.utils import timezone
from factory.declarations import LazyFunction, Sequence, SubFactory
from factory.django import DjangoModelFactory

from jembatan.matching.models import CandidatePreference
from jembatan.organisations.factories import OrganisationFactory
from jembatan.participants.factories import ParticipantFactory
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.selection.models import (
    Candidacy,
    CandidacyStatus,
    RoundStatus,
    SelectionRound,
)


class ClosedRoundFactory(DjangoModelFactory[SelectionRound]):
    """A closed selection round of a partner abroad (its ranking is final)."""

    class Meta:
        model = SelectionRound

    name = Sequence(lambda n: f"Seleksi {n}")
    partner = SubFactory(OrganisationFactory, partner=True)
    status = RoundStatus.CLOSED
    opened_at = LazyFunction(timezone.now)
    closed_at = LazyFunction(timezone.now)


class PassedCandidacyFactory(DjangoModelFactory[Candidacy]):
    """A candidate who passed every stage of a closed round."""

    class Meta:
        model = Candidacy

    round = SubFactory(ClosedRoundFactory)
    participant = SubFactory(ParticipantFactory, status=JourneyStatus.SELECTED)
    status = CandidacyStatus.PASSED
    final_score = Decimal("70.000")
    status_before = JourneyStatus.VERIFIED
    enrolled_at = LazyFunction(timezone.now)


def selected_candidate(
    round: SelectionRound, *, score: str, rank: int, **participant: Any
) -> Participant:
    """A *selected* participant who passed ``round`` with ``score`` at ``rank``."""
    person = cast(Participant, ParticipantFactory(status=JourneyStatus.SELECTED, **participant))
    PassedCandidacyFactory(round=round, participant=person, final_score=Decimal(score), rank=rank)
    return person


class CandidatePreferenceFactory(DjangoModelFactory[CandidatePreference]):
    """A candidate's rank of one job order."""

    class Meta:
        model = CandidatePreference
