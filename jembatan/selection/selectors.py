"""Reads of selection, filtered by who asks; who may do what, in one place; and the
figures of the four-fifths fairness report (read for pages only national staff and
auditors open; four_fifths.py counts them).

Who sees which rounds:

* national staff and auditors: every round;
* a partner's users: the rounds of their own organisation (they interview and score there);
* provincial officers: every round still being set up or open (they enrol
  candidates of their province into them) and any round with a candidate of theirs;
* training-centre and sending-organisation operators: the rounds with a
  candidate in their registry scope;
* anyone assigned as an examiner of a stage: that stage's round.

Inside a round, the candidates listed are those of the asker's registry scope
(participants_visible_to), except for national staff, auditors, the round's
partner and the round's examiners, who see every candidate of the round (they
mark them all).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from jembatan.core.access import role_of
from jembatan.core.roles import NATIONAL, Role
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.participants.selectors import own_participant, participants_visible_to
from jembatan.selection.four_fifths import FairnessReport, Person, age_band, fairness_report
from jembatan.selection.models import (
    Candidacy,
    CandidacyStatus,
    RoundStage,
    RoundStatus,
    Score,
    SelectionRound,
    Shortlist,
    ShortlistEntry,
    StageType,
)
from jembatan.training.language_tests import age_on
from jembatan.training.models import EnrolmentStatus

SEE_ALL = NATIONAL | {Role.AUDITOR}
# Officers who put candidates into rounds (the journey lets them record both ways).
ENROLLERS = NATIONAL | {Role.PROVINCIAL_OFFICER}
SCOPED = frozenset({Role.PROVINCIAL_OFFICER, Role.TRAINING_OPERATOR, Role.SENDER_OPERATOR})
LIVE = (RoundStatus.DRAFT, RoundStatus.OPEN)
ENTRY_STATUSES = (JourneyStatus.VERIFIED, JourneyStatus.CERTIFIED)
# A candidacy that holds the participant in a live round (the failed leave when it closes).
HOLDING = (CandidacyStatus.ACTIVE, CandidacyStatus.PASSED, CandidacyStatus.FAILED)


def may_manage(user: Any) -> bool:
    """National staff set rounds up, open and cancel them."""
    return role_of(user) in NATIONAL


def may_enrol(user: Any) -> bool:
    """Officers enrol and withdraw candidates (of their registry scope)."""
    return role_of(user) in ENROLLERS


def is_partner_of(user: Any, selection_round: SelectionRound) -> bool:
    """A user of the round's partner organisation."""
    return role_of(user) == Role.PARTNER and user.organisation_id == selection_round.partner_id


def is_examiner_in(user: Any, selection_round: SelectionRound) -> bool:
    """Assigned as an examiner of any stage of the round."""
    return RoundStage.objects.filter(round=selection_round, examiners=user.pk).exists()


def _examined_rounds(user: Any) -> Any:
    return RoundStage.objects.filter(examiners=user.pk).values("round_id")


def rounds_visible_to(user: Any) -> QuerySet[SelectionRound]:
    """Every round ``user`` may see, and no other (see the module's docstring)."""
    role = role_of(user)
    rows = SelectionRound.objects.select_related("partner", "programme")
    if role in SEE_ALL:
        return rows
    if role is None or role == Role.PARTICIPANT:
        return rows.none()
    condition = Q(pk__in=_examined_rounds(user))
    if role == Role.PARTNER and user.organisation_id:
        condition |= Q(partner_id=user.organisation_id)
    if role in SCOPED:
        mine = Candidacy.objects.filter(participant__in=participants_visible_to(user).values("pk"))
        condition |= Q(pk__in=mine.values("round_id"))
    if role == Role.PROVINCIAL_OFFICER:
        condition |= Q(status__in=LIVE)
    return rows.filter(condition)


def round_for(user: Any, pk: int) -> SelectionRound:
    """One round by id, or 404 if ``user`` may not see it."""
    found = rounds_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def stages_of(selection_round: SelectionRound) -> list[RoundStage]:
    """The round's stages in order, with their type and examiners."""
    return list(
        selection_round.stages.select_related("stage_type")
        .prefetch_related("examiners")
        .order_by("position")
    )


def stage_for(selection_round: SelectionRound, pk: int) -> RoundStage:
    """One stage of a round the asker may already see, or 404."""
    found = selection_round.stages.select_related("stage_type", "round").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def sees_every_candidate(user: Any, selection_round: SelectionRound) -> bool:
    """National staff, auditors, the round's partner and its examiners see all its candidates."""
    return (
        role_of(user) in SEE_ALL
        or is_partner_of(user, selection_round)
        or is_examiner_in(user, selection_round)
    )


def candidacies_visible_in(user: Any, selection_round: SelectionRound) -> QuerySet[Candidacy]:
    """The round's candidacies ``user`` may see, by name."""
    rows = selection_round.candidacies.select_related("participant", "failed_stage__stage_type")
    if not sees_every_candidate(user, selection_round):
        rows = rows.filter(participant__in=participants_visible_to(user).values("pk"))
    return rows.order_by("participant__full_name", "pk")


def candidacy_for(user: Any, selection_round: SelectionRound, pk: int) -> Candidacy:
    """One candidacy of the round, or 404 if ``user`` may not see it."""
    found = candidacies_visible_in(user, selection_round).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def status_counts(selection_round: SelectionRound) -> dict[str, int]:
    """How many candidates of the round are at each status (figures, no names)."""
    rows = selection_round.candidacies.order_by().values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def current_scores(
    candidacies: QuerySet[Candidacy] | list[Candidacy],
) -> dict[int, dict[int, Score]]:
    """The current scores of ``candidacies`` as ``{candidacy id: {stage id: score}}``."""
    ids = [c.pk for c in candidacies] if isinstance(candidacies, list) else candidacies.values("pk")
    found: dict[int, dict[int, Score]] = {}
    for score in Score.objects.filter(candidacy__in=ids, superseded_at__isnull=True):
        found.setdefault(score.candidacy_id, {})[score.stage_id] = score
    return found


def score_history(candidacy: Candidacy) -> QuerySet[Score]:
    """Every score of the candidacy, current and corrected, stage by stage, newest first."""
    return candidacy.scores.select_related("stage__stage_type", "entered_by").order_by(
        "stage__position", "-entered_at", "-id"
    )


def stage_types_available(selection_round: SelectionRound) -> QuerySet[StageType]:
    """Active stage types the round does not use yet."""
    used = selection_round.stages.values("stage_type_id")
    return StageType.objects.filter(active=True).exclude(pk__in=used)


# --- enrolment ---------------------------------------------------------------------------


def enrolment_candidates(user: Any, selection_round: SelectionRound) -> QuerySet[Participant]:
    """Participants ``user`` may enrol in the round.

    In the registry scope, verified or certified, not archived, not in this
    round already (whatever happened there), not held by another live round.
    """
    held = Candidacy.objects.filter(status__in=HOLDING, round__status__in=LIVE)
    return (
        participants_visible_to(user)
        .filter(archived_at__isnull=True, status__in=ENTRY_STATUSES)
        .exclude(pk__in=selection_round.candidacies.values("participant_id"))
        .exclude(pk__in=held.values("participant_id"))
        .order_by("full_name", "pk")
    )


def filter_candidates(
    rows: QuerySet[Participant],
    *,
    query: str = "",
    batch_id: int | None = None,
    graduates_of: int | None = None,
) -> QuerySet[Participant]:
    """Narrow enrolment candidates by name/NIK, by training batch, by programme graduates."""
    query = query.strip()
    if query:
        rows = rows.filter(Q(full_name__icontains=query) | Q(nik__startswith=query))
    if batch_id is not None:
        rows = rows.filter(enrolments__batch_id=batch_id)
    if graduates_of is not None:
        rows = rows.filter(
            enrolments__batch__programme_id=graduates_of,
            enrolments__status=EnrolmentStatus.CERTIFIED,
        )
    return rows.distinct()


# --- the candidate's own view -----------------------------------------------------------


def my_candidacies(user: Any) -> list[Candidacy]:
    """A participant's own candidacies, newest round first, with stages and current scores."""
    participant = own_participant(user)
    if participant is None:
        return []
    current = Score.objects.filter(superseded_at__isnull=True).select_related("stage")
    stages = RoundStage.objects.select_related("stage_type").order_by("position")
    return list(
        Candidacy.objects.filter(participant=participant)
        .select_related("round__partner", "failed_stage__stage_type")
        .prefetch_related(
            Prefetch("scores", queryset=current, to_attr="current_scores"),
            Prefetch("round__stages", queryset=stages, to_attr="ordered_stages"),
        )
        .order_by("-round_id")
    )


def shortlists_visible_to(user: Any) -> QuerySet[Shortlist]:
    """National staff and auditors see every shortlist; a partner's users those of its orders."""
    rows = Shortlist.objects.select_related("round", "job_order__partner")
    role = role_of(user)
    if role in SEE_ALL:
        return rows
    if role == Role.PARTNER and user.organisation_id:
        return rows.filter(job_order__partner_id=user.organisation_id)
    return rows.none()


def shortlist_for(user: Any, pk: int) -> Shortlist:
    """One shortlist by id, or 404 if ``user`` may not see it."""
    found = shortlists_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def entry_for(user: Any, pk: int) -> ShortlistEntry:
    """One shortlist entry by id, or 404 if ``user`` may not see its shortlist."""
    visible = shortlists_visible_to(user).values("pk")
    found = (
        ShortlistEntry.objects.filter(pk=pk, shortlist__in=visible)
        .select_related("shortlist__job_order", "shortlist__round", "candidacy__participant")
        .first()
    )
    if found is None:
        raise Http404
    return found


# --- the fairness report's figures ----------------------------------------------------------
#
# * Round: everyone whose candidacy was decided (passed every stage, or stopped at
#   one); *selected* = passed every stage. Candidates still in the stages and those
#   who withdrew are not counted (nothing was decided for them).
# * Stage: everyone with a current result in the stage (took it); *selected* =
#   passed it.
#
# Sex, province (of residence) and age band (age on the day the round opened) are
# read here only, after the decisions: four_fifths.py (pure) does the counting.

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
