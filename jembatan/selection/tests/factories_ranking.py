# mypy: disable-error-code="no-untyped-call"
"""Small builders for the ranking, shortlist and report tests (ORM only, no services).

``open_round`` gives IM Japan an open round with a written test (max 100, weight 60),
an interview (max 50, weight 40) and a pass/fail medical check; ``passed`` puts a
participant through every stage with the given scores.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jembatan.documents.factories import stage_documents_on_record
from jembatan.documents.models import Stage
from jembatan.organisations.models import Organisation
from jembatan.participants.factories import ParticipantFactory
from jembatan.participants.models import JourneyStatus, Participant, Sex
from jembatan.selection.models import (
    Candidacy,
    CandidacyStatus,
    EnteredBy,
    RoundStage,
    RoundStatus,
    Score,
    Scoring,
    SelectionRound,
    StageType,
)


def stage(
    selection_round: SelectionRound,
    code: str,
    position: int,
    *,
    max_score: str | None = "100",
    pass_mark: str | None = "60",
    weight: str = "0",
) -> RoundStage:
    """A stage of ``code`` (scored when ``max_score`` is given) at ``position``."""
    scored = max_score is not None
    return RoundStage.objects.create(
        round=selection_round,
        position=position,
        stage_type=StageType.objects.get(code=code),
        scoring=Scoring.SCORE if scored else Scoring.PASS_FAIL,
        max_score=Decimal(max_score) if scored else None,
        pass_mark=Decimal(pass_mark) if scored and pass_mark else None,
        weight=Decimal(weight),
        entered_by=EnteredBy.OFFICER,
    )


def open_round(
    partner: Organisation, *, name: str = "IM Japan 2026/1", **extra: Any
) -> SelectionRound:
    """An open round of ``partner`` with written (60), interview (40) and medical (0) stages."""
    selection_round = SelectionRound.objects.create(
        name=name, partner=partner, status=RoundStatus.OPEN, opened_at=timezone.now(), **extra
    )
    stage(selection_round, "written", 1, weight="60")
    stage(selection_round, "interview", 2, max_score="50", pass_mark="30", weight="40")
    stage(selection_round, "medical", 3, max_score=None)
    return selection_round


def stages(selection_round: SelectionRound) -> list[RoundStage]:
    """The round's stages in order."""
    return list(selection_round.stages.order_by("position"))


def candidate(
    selection_round: SelectionRound,
    *,
    participant: Participant | None = None,
    status: str = CandidacyStatus.ACTIVE,
    before: str = JourneyStatus.CERTIFIED,
    journey: str = JourneyStatus.IN_SELECTION,
    **person: Any,
) -> Candidacy:
    """A candidacy of a participant who is *in selection* (status ``before`` before the round)."""
    if participant is None:
        participant = ParticipantFactory(status=journey, **person)
    return Candidacy.objects.create(
        round=selection_round,
        participant=participant,
        status=status,
        status_before=before,
        enrolled_at=timezone.now(),
    )


def score(
    candidacy: Candidacy,
    stage_: RoundStage,
    value: str | None,
    *,
    acting_user: Any,
    passed: bool = True,
    superseded: bool = False,
) -> Score:
    """A current score of ``candidacy`` in ``stage_``."""
    return Score.objects.create(
        candidacy=candidacy,
        stage=stage_,
        value=Decimal(value) if value is not None else None,
        passed=passed,
        entered_by=acting_user,
        entered_at=timezone.now(),
        superseded_at=timezone.now() if superseded else None,
    )


def passed(
    selection_round: SelectionRound,
    written: str,
    interview: str,
    *,
    acting_user: Any,
    **person: Any,
) -> Candidacy:
    """A candidate who passed all three stages with these scores (medical: passed).

    Their selection-stage documents (the medical check result) are on record and
    verified, as a candidate put forward to a shortlist needs them.
    """
    candidacy = candidate(selection_round, status=CandidacyStatus.PASSED, **person)
    stage_documents_on_record(candidacy.participant, Stage.SELECTION, by=acting_user)
    first, second, third = stages(selection_round)
    score(candidacy, first, written, acting_user=acting_user)
    score(candidacy, second, interview, acting_user=acting_user)
    score(candidacy, third, None, acting_user=acting_user)
    return candidacy


def failed(selection_round: SelectionRound, *, acting_user: Any, **person: Any) -> Candidacy:
    """A candidate who failed the written test (35 of 100)."""
    candidacy = candidate(selection_round, **person)
    first = stages(selection_round)[0]
    score(candidacy, first, "35", acting_user=acting_user, passed=False)
    Candidacy.objects.filter(pk=candidacy.pk).update(
        status=CandidacyStatus.FAILED,
        failed_stage=first,
        stop_reason="Written test: 35 of 100 (pass mark 60).",
    )
    candidacy.refresh_from_db()
    return candidacy


WOMAN = {"sex": Sex.FEMALE}
BORN_2000 = {"birth_date": dt.date(2000, 1, 1)}
