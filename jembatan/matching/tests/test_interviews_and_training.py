"""Interview decisions and the occupation trained in shape ranks, weights and the explanation.

The walk-through's case: a candidate accepted at interview for a welding job
order, trained and certified in welding, was matched to an iron-casting order
with no reason given (both orders ranked her first; the tie fell to the lower
job order id).
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.core.models import Occupation
from jembatan.demand.factories import JobOrderFactory
from jembatan.demand.models import JobOrder
from jembatan.matching.building import ACCEPTED_BONUS, TRAINED_BONUS, build, weight
from jembatan.matching.explaining import explain, labels_for
from jembatan.matching.factories import selected_candidate
from jembatan.matching.models import RunOutcome
from jembatan.organisations.models import Organisation
from jembatan.participants.models import Participant
from jembatan.selection.models import (
    InterviewDecision,
    SelectionRound,
    Shortlist,
    ShortlistEntry,
)
from jembatan.training.factories import BatchFactory, ProgrammeFactory
from jembatan.training.models import Enrolment, EnrolmentStatus

pytestmark = pytest.mark.django_db


def _occupations() -> tuple[Occupation, Occupation]:
    first, second = Occupation.objects.filter(dataset__code="jp-titp-2025").order_by("code")[:2]
    return first, second


@pytest.fixture
def orders(im_japan: Organisation) -> tuple[JobOrder, JobOrder]:
    """Iron casting (created first: the lower id) and welding, one slot each."""
    casting_occupation, welding_occupation = _occupations()
    casting = JobOrderFactory(
        partner=im_japan,
        approved=True,
        slots=1,
        title="Iron casting",
        occupation=casting_occupation,
    )
    welding = JobOrderFactory(
        partner=im_japan,
        approved=True,
        slots=1,
        title="Welding",
        occupation=welding_occupation,
    )
    return casting, welding


def _certified_in(person: Participant, occupation: Occupation) -> None:
    batch = BatchFactory(programme=ProgrammeFactory(occupation=occupation))
    Enrolment.objects.create(
        batch=batch,
        participant=person,
        status=EnrolmentStatus.CERTIFIED,
        enrolled_at=timezone.now(),
        ended_at=timezone.now(),
    )


def _accepted(round: SelectionRound, job: JobOrder, person: Participant, by: User) -> None:
    shortlist = Shortlist.objects.create(
        round=round, job_order=job, created_by=by, created_at=timezone.now()
    )
    ShortlistEntry.objects.create(
        shortlist=shortlist,
        candidacy=person.candidacies.get(round=round),
        position=1,
        decision=InterviewDecision.ACCEPTED,
    )


@pytest.fixture
def ani_and_budi(
    closed_round: SelectionRound, orders: tuple[JobOrder, JobOrder], national_officer: User
) -> tuple[Participant, Participant]:
    """Ani (90): accepted at the welding interview and certified in welding. Budi (80)."""
    _casting, welding = orders
    ani = selected_candidate(closed_round, score="90", rank=1, full_name="Ani")
    budi = selected_candidate(closed_round, score="80", rank=2, full_name="Budi")
    _certified_in(ani, welding.occupation)
    _accepted(closed_round, welding, ani, national_officer)
    return ani, budi


@pytest.mark.parametrize("method", ["stable", "optimal"])
def test_accepted_and_trained_for_welding_she_goes_to_welding_and_is_told_why(
    start_run, orders: tuple[JobOrder, JobOrder], ani_and_budi, method: str
) -> None:
    casting, welding = orders
    ani, budi = ani_and_budi
    run = start_run(casting, welding, method=method)
    placed = dict(RunOutcome.objects.filter(run=run).values_list("participant_id", "job_order_id"))
    assert placed == {ani.pk: welding.pk, budi.pk: casting.pk}
    outcome = RunOutcome.objects.get(run=run, participant=ani)
    details = explain(outcome, labels_for([outcome])).details
    assert "The partner accepted you at its interview for this job order." in details
    assert "It is in the occupation you trained and were certified in." in details


def test_without_preferences_the_candidate_ranks_accepted_then_trained_job_orders_first(
    closed_round: SelectionRound, orders: tuple[JobOrder, JobOrder], ani_and_budi
) -> None:
    casting, welding = orders
    ani, _budi = ani_and_budi
    built = build(
        rounds=[closed_round],
        job_orders=JobOrder.objects.filter(pk__in=[casting.pk, welding.pk]),
        method="optimal",
        on=timezone.localdate(),
    )
    inst = built.instance
    edges = {
        (inst.candidate_ids[c], inst.job_order_ids[j]): (w, cr, jr)
        for c, j, w, cr, jr in zip(
            inst.edge_candidate.tolist(),
            inst.edge_job.tolist(),
            inst.weight.tolist(),
            inst.candidate_rank.tolist(),
            inst.job_order_rank.tolist(),
            strict=True,
        )
    }
    assert edges[(str(ani.pk), str(welding.pk))] == (
        weight(90.0, 1, accepted=True, trained=True),
        1,
        1,
    )
    assert edges[(str(ani.pk), str(casting.pk))] == (weight(90.0, 2), 2, 1)
    assert weight(90.0, 1, accepted=True, trained=True) == 90 + 10 + ACCEPTED_BONUS + TRAINED_BONUS
    assert built.accepted_at == {ani.pk: [welding.pk]}
    assert built.trained_for == {ani.pk: [welding.pk]}


def test_a_job_order_ranks_those_trained_in_its_occupation_before_better_scored_others(
    closed_round: SelectionRound, orders: tuple[JobOrder, JobOrder]
) -> None:
    _casting, welding = orders
    budi = selected_candidate(closed_round, score="80", rank=1, full_name="Budi")
    citra = selected_candidate(closed_round, score="70", rank=2, full_name="Citra")
    _certified_in(citra, welding.occupation)
    built = build(
        rounds=[closed_round],
        job_orders=JobOrder.objects.filter(pk=welding.pk),
        method="stable",
        on=timezone.localdate(),
    )
    inst = built.instance
    ranks = dict(
        zip(
            [inst.candidate_ids[c] for c in inst.edge_candidate.tolist()],
            inst.job_order_rank.tolist(),
            strict=True,
        )
    )
    assert ranks == {str(citra.pk): 1, str(budi.pk): 2}


def test_accepted_elsewhere_but_ranked_another_first_is_said(
    start_run,
    closed_round: SelectionRound,
    orders: tuple[JobOrder, JobOrder],
    ani_and_budi,
    national_officer: User,
) -> None:
    from jembatan.matching.factories import CandidatePreferenceFactory

    casting, welding = orders
    ani, _budi = ani_and_budi
    CandidatePreferenceFactory(participant=ani, job_order=casting, rank=1)
    CandidatePreferenceFactory(participant=ani, job_order=welding, rank=2)
    run = start_run(casting, welding, method="stable")
    outcome = RunOutcome.objects.get(run=run, participant=ani)
    assert outcome.job_order_id == casting.pk
    details = explain(outcome, labels_for([outcome])).details
    assert any(
        d.startswith("You were accepted at the partner's interview for") and "ranked" in d
        for d in details
    )
