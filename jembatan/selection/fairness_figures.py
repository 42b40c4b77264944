"""The fairness reports of a round and of its stages, counted from the database.

* **Round**: everyone whose candidacy was decided (passed every stage, or
  stopped at one); *selected* = passed every stage. Candidates still in the
  stages and those who withdrew are not counted (nothing was decided for them).
* **Stage**: everyone with a current result in the stage (took it); *selected*
  = passed it.

Sex, province (of residence) and age band (age on the day the round opened)
are read here only, after the decisions: :mod:`jembatan.selection.fairness`
does the counting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from jembatan.participants.models import Participant
from jembatan.selection.fairness import FairnessReport, Person, age_band, fairness_report
from jembatan.selection.models import (
    Candidacy,
    CandidacyStatus,
    RoundStage,
    Score,
    SelectionRound,
)
from jembatan.training.language_tests import age_on

DECIDED = (CandidacyStatus.PASSED, CandidacyStatus.FAILED)


def reference_date(selection_round: SelectionRound) -> dt.date:
    """The day ages are counted on: the round's opening, or today if it never opened."""
    if selection_round.opened_at is None:
        return timezone.localdate()
    return timezone.localdate(selection_round.opened_at)


def person(participant: Participant, *, selected: bool, on: dt.date) -> Person:
    """The groups one participant is counted in."""
    return Person(
        sex=participant.sex,
        province=participant.province.name if participant.province_id else "",
        age_band=age_band(age_on(participant.birth_date, on)),
        selected=selected,
    )


def _people(rows: Iterable[tuple[Participant, bool]], on: dt.date) -> list[Person]:
    return [person(p, selected=chosen, on=on) for p, chosen in rows]


def round_fairness(selection_round: SelectionRound) -> FairnessReport:
    """Who passed the whole round, among those whose candidacy was decided."""
    decided = Candidacy.objects.filter(round=selection_round, status__in=DECIDED).select_related(
        "participant__province"
    )
    rows = ((c.participant, c.status == CandidacyStatus.PASSED) for c in decided)
    return fairness_report(_people(rows, reference_date(selection_round)))


def stage_fairness(stage: RoundStage) -> FairnessReport:
    """Who passed one stage, among those with a current result in it."""
    scores = Score.objects.filter(stage=stage, superseded_at__isnull=True).select_related(
        "candidacy__participant__province"
    )
    rows = ((s.candidacy.participant, s.passed) for s in scores)
    return fairness_report(_people(rows, reference_date(stage.round)))
