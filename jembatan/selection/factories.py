# mypy: disable-error-code="no-untyped-call"
# (factory_boy declares its declarations without types.)
"""Test data for selection (factory_boy): rounds for a partner, stages from the reference data.

Factories write through the ORM; tests that check rules and auditing call the
services (stage_add, candidacy_enrol, score_record, …).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from factory.declarations import LazyFunction, Sequence, SubFactory
from factory.django import DjangoModelFactory

from jembatan.organisations.factories import OrganisationFactory
from jembatan.selection.models import (
    Candidacy,
    ImpactAssessment,
    RoundStage,
    RoundStatus,
    SelectionRound,
    StageType,
)


class SelectionRoundFactory(DjangoModelFactory[SelectionRound]):
    """A draft round for a new partner abroad."""

    class Meta:
        model = SelectionRound

    name = Sequence(lambda n: f"Seleksi {n + 1}")
    partner = SubFactory(OrganisationFactory, partner=True)
    status = RoundStatus.DRAFT


def stage_type(code: str) -> StageType:
    """A stage type of the reference data (migration 0002): administrative, written, …"""
    return StageType.objects.get(code=code)


def add_stage(
    selection_round: SelectionRound, code: str, *, weight: str = "0", pass_mark: str | None = None
) -> RoundStage:
    """Append a stage of type ``code`` with the type's defaults (through the ORM)."""
    kind = stage_type(code)
    position = selection_round.stages.count() + 1
    scored = kind.default_max_score is not None
    return RoundStage.objects.create(
        round=selection_round,
        position=position,
        stage_type=kind,
        scoring=kind.scoring,
        max_score=kind.default_max_score,
        pass_mark=Decimal(pass_mark) if pass_mark and scored else kind.default_pass_mark,
        weight=Decimal(weight) if scored else Decimal(0),
        entered_by=kind.entered_by,
    )


class ImpactAssessmentFactory(DjangoModelFactory[ImpactAssessment]):
    """A complete impact assessment of a round."""

    class Meta:
        model = ImpactAssessment

    round = SubFactory(SelectionRoundFactory)
    purpose = "Rank candidates for IM Japan's interviews by their test results."
    data_used = "NIK, name, stage results."
    protected_attributes = "Sex, religion and marital status are not inputs to any score."
    risks = "A wrongly entered score could stop a candidate."
    mitigations = "Corrections with reasons; the candidate sees every result."
    legal_basis = "UU 27/2022 art. 20(2)(b): performance of the placement agreement."
    assessed_by = SubFactory("jembatan.accounts.factories.UserFactory")
    assessed_at = LazyFunction(timezone.now)


class CandidacyFactory(DjangoModelFactory[Candidacy]):
    """A candidacy written directly (the journey is not moved: use candidacy_enrol for that)."""

    class Meta:
        model = Candidacy

    round = SubFactory(SelectionRoundFactory)
    participant = SubFactory("jembatan.participants.factories.ParticipantFactory")
    status_before = "verified"
    enrolled_at = LazyFunction(timezone.now)
