"""From the database to the engine: pool, slots, eligibility, ranks, weights, digest."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from django.utils import timezone

from jembatan.demand.factories import JobOrderFactory, PlacementFactory
from jembatan.demand.models import JobOrder, JobOrderStatus, PlacementStatus
from jembatan.matching.building import Built, build, choices_for, ranks_within, weight
from jembatan.matching.factories import (
    CandidatePreferenceFactory,
    ClosedRoundFactory,
    PassedCandidacyFactory,
    selected_candidate,
)
from jembatan.participants.factories import ParticipantFactory
from jembatan.participants.models import JourneyStatus, Participant, Sex
from jembatan.selection.models import (
    CandidacyStatus,
    InterviewDecision,
    SelectionRound,
    Shortlist,
    ShortlistEntry,
)

pytestmark = pytest.mark.django_db


def _build(rounds: list[SelectionRound], *job_orders: JobOrder, method: str = "stable") -> Built:
    return build(
        rounds=rounds,
        job_orders=JobOrder.objects.filter(pk__in=[j.pk for j in job_orders]),
        method=method,
        on=timezone.localdate(),
    )


def _edges(built: Built) -> dict[tuple[str, str], tuple[float, int, int]]:
    """{(participant id, job order id): (weight, candidate_rank, job_order_rank)}."""
    inst = built.instance
    return {
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


def _shortlist(
    round: SelectionRound, job_order: JobOrder, decisions: list[tuple[Participant, str]], by
) -> None:
    shortlist = Shortlist.objects.create(
        round=round, job_order=job_order, created_by=by, created_at=timezone.now()
    )
    for position, (person, decision) in enumerate(decisions, start=1):
        candidacy = person.candidacies.get(round=round)
        ShortlistEntry.objects.create(
            shortlist=shortlist, candidacy=candidacy, position=position, decision=decision
        )


def test_the_pool_is_the_selected_passed_candidates_without_a_live_placement(
    closed_round: SelectionRound, farm: JobOrder, candidates: list[Participant]
) -> None:
    ani, budi, citra, dedi = candidates
    PlacementFactory(participant=budi, status=PlacementStatus.PROPOSED)
    Participant.objects.filter(pk=citra.pk).update(status=JourneyStatus.WITHDRAWN)
    Participant.objects.filter(pk=dedi.pk).update(archived_at=timezone.now())
    failed = ParticipantFactory(status=JourneyStatus.SELECTED)
    PassedCandidacyFactory(
        round=closed_round, participant=failed, status=CandidacyStatus.FAILED, stop_reason="x"
    )
    cancelled = ParticipantFactory(status=JourneyStatus.SELECTED)
    PassedCandidacyFactory(round=closed_round, participant=cancelled, rank=9)
    PlacementFactory(
        participant=cancelled, status=PlacementStatus.CANCELLED, cancel_reason="withdrew offer"
    )

    built = _build([closed_round], farm)

    assert built.instance.candidate_ids == tuple(sorted((str(ani.pk), str(cancelled.pk))))


def test_slots_are_the_free_slots_and_closed_job_orders_drop_out(
    closed_round: SelectionRound, farm: JobOrder, candidates: list[Participant]
) -> None:
    PlacementFactory(
        job_order=farm, participant=ParticipantFactory(), status=PlacementStatus.CONFIRMED
    )
    cancelled = JobOrderFactory(status=JobOrderStatus.CANCELLED, slots=5)

    built = _build([closed_round], farm, cancelled)

    assert built.instance.job_order_ids == (str(farm.pk),)
    assert built.instance.slots.tolist() == [1]


def test_requirements_not_met_remove_the_edge_and_are_kept_as_reasons(
    closed_round: SelectionRound, im_japan, farm: JobOrder, candidates: list[Participant]
) -> None:
    ani = candidates[0]
    young = JobOrderFactory(partner=im_japan, approved=True, max_age=20)
    women = JobOrderFactory(
        partner=im_japan,
        approved=True,
        sex_requirement=Sex.FEMALE,
        sex_requirement_legal_reason="Law 1/2026 (test)",
    )

    built = _build([closed_round], farm, young, women)

    edges = _edges(built)
    assert {j for (c, j) in edges if c == str(ani.pk)} == {str(farm.pk)}
    assert built.ineligible[ani.pk] == [
        {"job_order": young.pk, "unmet": [{"code": "age_above", "params": {"age": 26, "max": 20}}]},
        {
            "job_order": women.pk,
            "unmet": [
                {
                    "code": "sex_requirement",
                    "params": {"required": "F", "reason": "Law 1/2026 (test)"},
                }
            ],
        },
    ]


def test_a_candidate_declined_or_absent_at_interview_is_not_eligible_for_that_job_order(
    closed_round: SelectionRound,
    farm: JobOrder,
    factory: JobOrder,
    candidates: list[Participant],
    national_officer,
) -> None:
    ani, budi, citra, _dedi = candidates
    _shortlist(
        closed_round,
        farm,
        [(ani, InterviewDecision.DECLINED), (budi, InterviewDecision.ABSENT), (citra, "pending")],
        national_officer,
    )

    built = _build([closed_round], farm, factory)

    eligible_for_farm = {c for (c, j) in _edges(built) if j == str(farm.pk)}
    assert eligible_for_farm == {str(citra.pk), str(candidates[3].pk)}
    assert built.ineligible[ani.pk] == [
        {
            "job_order": farm.pk,
            "unmet": [{"code": "declined_at_interview", "params": {"job_order": farm.reference}}],
        }
    ]
    assert built.ineligible[budi.pk][0]["unmet"][0]["code"] == "absent_at_interview"


def test_job_orders_rank_accepted_candidates_first_then_by_selection_standing(
    closed_round: SelectionRound, farm: JobOrder, candidates: list[Participant], national_officer
) -> None:
    ani, budi, citra, dedi = candidates
    _shortlist(
        closed_round,
        farm,
        [(dedi, InterviewDecision.ACCEPTED), (citra, InterviewDecision.ACCEPTED)],
        national_officer,
    )

    edges = _edges(_build([closed_round], farm))

    ranks = {c: jr for (c, _j), (_w, _cr, jr) in edges.items()}
    assert ranks == {str(citra.pk): 1, str(dedi.pk): 2, str(ani.pk): 3, str(budi.pk): 4}


def test_across_rounds_standing_is_score_then_rank_then_participant_id(
    im_japan, farm: JobOrder
) -> None:
    first, second = ClosedRoundFactory(partner=im_japan), ClosedRoundFactory(partner=im_japan)
    early = selected_candidate(first, score="75", rank=1)
    late = selected_candidate(second, score="75", rank=1)
    best = selected_candidate(second, score="88", rank=2)
    both = selected_candidate(first, score="50", rank=2)
    PassedCandidacyFactory(round=second, participant=both, final_score=Decimal("60"), rank=3)

    edges = _edges(_build([first, second], farm))

    ranks = {c: jr for (c, _j), (_w, _cr, jr) in edges.items()}
    assert ranks == {str(best.pk): 1, str(early.pk): 2, str(late.pk): 3, str(both.pk): 4}
    assert edges[(str(both.pk), str(farm.pk))][0] == 60 + 10.0


def test_candidate_ranks_follow_their_preferences_then_where_they_stand_best(
    closed_round: SelectionRound, im_japan, candidates: list[Participant], national_officer
) -> None:
    ani = candidates[0]
    jobs = [JobOrderFactory(partner=im_japan, approved=True) for _ in range(4)]
    ineligible = jobs[3]
    JobOrder.objects.filter(pk=ineligible.pk).update(max_age=20)
    CandidatePreferenceFactory(participant=ani, job_order=jobs[2], rank=4)
    CandidatePreferenceFactory(participant=ani, job_order=ineligible, rank=1)
    _shortlist(
        closed_round, jobs[1], [(candidates[1], InterviewDecision.ACCEPTED)], national_officer
    )

    edges = _edges(_build([closed_round], *jobs))

    mine = {j: (w, cr, jr) for (c, j), (w, cr, jr) in edges.items() if c == str(ani.pk)}
    assert mine == {
        str(jobs[2].pk): (90 + 10.0, 1, 1),
        str(jobs[0].pk): (90 + 5.0, 2, 1),
        str(jobs[1].pk): (90 + 10 / 3, 3, 2),
    }


def test_ranks_are_strict_for_every_candidate_and_job_order(
    closed_round: SelectionRound, farm: JobOrder, factory: JobOrder, candidates: list[Participant]
) -> None:
    built = _build([closed_round], farm, factory)

    edges = _edges(built)
    per_job = {}
    per_candidate = {}
    for (c, j), (_w, cr, jr) in edges.items():
        per_job.setdefault(j, []).append(jr)
        per_candidate.setdefault(c, []).append(cr)
    assert all(sorted(r) == list(range(1, len(r) + 1)) for r in per_job.values())
    assert all(sorted(r) == list(range(1, len(r) + 1)) for r in per_candidate.values())


def test_ranks_within_groups_follow_the_keys_in_order() -> None:
    groups = np.array([0, 0, 0, 1, 1], np.int64)
    first = np.array([5, 1, 1, 2, 2], np.int64)
    second = np.array([0, 9, 3, 1, 0], np.int64)

    assert ranks_within(groups, first, second).tolist() == [3, 2, 1, 2, 1]
    assert ranks_within(np.zeros(0, np.int64)).tolist() == []


def test_the_weight_is_the_score_plus_a_preference_bonus() -> None:
    assert weight(80.0, 1) == 90.0
    assert weight(80.0, 4) == 82.5


def test_the_same_inputs_give_the_same_digest_and_the_method_changes_it(
    closed_round: SelectionRound, farm: JobOrder, candidates: list[Participant]
) -> None:
    first = _build([closed_round], farm)
    again = _build([closed_round], farm)
    optimal = _build([closed_round], farm, method="optimal")
    CandidatePreferenceFactory(participant=candidates[0], job_order=farm, rank=1)
    Participant.objects.filter(pk=candidates[3].pk).update(status=JourneyStatus.WITHDRAWN)
    changed = _build([closed_round], farm)

    assert first.digest == again.digest
    assert len(first.digest) == 64
    assert optimal.digest != first.digest
    assert changed.digest != first.digest


def test_a_participant_sees_open_job_orders_with_their_ranking_first_and_reasons_for_others(
    im_japan, participant_jateng: Participant
) -> None:
    first = JobOrderFactory(partner=im_japan, approved=True)
    ranked = JobOrderFactory(partner=im_japan, approved=True)
    too_old = JobOrderFactory(partner=im_japan, approved=True, max_age=22)
    full = JobOrderFactory(partner=im_japan, approved=True, slots=1)
    PlacementFactory(
        job_order=full, participant=ParticipantFactory(), status=PlacementStatus.CONFIRMED
    )
    JobOrderFactory(partner=im_japan)  # a draft is not offered
    CandidatePreferenceFactory(participant=participant_jateng, job_order=ranked, rank=1)

    choices = choices_for(participant_jateng, on=dt.date(2026, 11, 28))

    assert [(c.job_order, c.rank, c.eligible) for c in choices] == [
        (ranked, 1, True),
        (first, None, True),
        (too_old, None, False),
    ]
    assert choices[2].unmet == [{"code": "age_above", "params": {"age": 27, "max": 22}}]


def test_a_person_whose_processing_is_restricted_leaves_the_pool_of_a_run_not_yet_built(
    closed_round: SelectionRound, farm: JobOrder, candidates: list[Participant], national_officer
) -> None:
    from jembatan.privacy.factories import restrict
    from jembatan.privacy.services.restrictions import restriction_lift

    ani, budi, *_ = candidates
    restriction = restrict(budi, officer=national_officer)

    held = _build([closed_round], farm)
    restriction_lift(restriction=restriction, reason="She asked.", acting_user=national_officer)
    lifted = _build([closed_round], farm)

    assert str(budi.pk) not in held.instance.candidate_ids
    assert str(ani.pk) in held.instance.candidate_ids
    assert str(budi.pk) in lifted.instance.candidate_ids
