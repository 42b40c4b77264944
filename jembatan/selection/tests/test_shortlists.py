"""Shortlists from a closed round, the partner's interview decisions, and refilling."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jembatan.core.models import ChangeRecord
from jembatan.demand.factories import JobOrderFactory, PlacementFactory
from jembatan.demand.models import JobOrder, PlacementStatus
from jembatan.organisations.factories import OrganisationFactory
from jembatan.participants.models import Participant
from jembatan.selection.models import (
    Candidacy,
    InterviewDecision,
    SelectionRound,
    Shortlist,
    ShortlistEntry,
)
from jembatan.selection.services.ranking import round_close
from jembatan.selection.services.shortlists import (
    interview_decide,
    shortlist_create,
    shortlist_refill,
)
from jembatan.selection.tests import factories_ranking as f

pytestmark = pytest.mark.django_db


def ranked(selection_round: SelectionRound, count: int, by, **person) -> list[Candidacy]:
    """``count`` passed candidates, best first (written 95, 90, …; interview 40 of 50)."""
    return [
        f.passed(selection_round, str(95 - 5 * i), "40", acting_user=by, **person)
        for i in range(count)
    ]


@pytest.fixture
def selection_round(im_japan) -> SelectionRound:
    return f.open_round(im_japan)


@pytest.fixture
def job_order(im_japan) -> JobOrder:
    """An approved job order of IM Japan for two apprentices aged at most 30."""
    return JobOrderFactory(partner=im_japan, approved=True, slots=2, max_age=30)


def close(selection_round: SelectionRound, by) -> None:
    round_close(round=selection_round, acting_user=by)
    selection_round.refresh_from_db()


def positions(shortlist: Shortlist) -> list[tuple[int, int]]:
    """(position, rank) of each entry."""
    return list(shortlist.entries.order_by("position").values_list("position", "candidacy__rank"))


def test_a_shortlist_takes_the_best_ranked_eligible_and_free_candidates(
    selection_round, job_order, national_admin
):
    # Given six ranked candidates: rank 2 is 36 years old, rank 3 is proposed elsewhere
    people = ranked(selection_round, 6, national_admin)
    Participant.objects.filter(pk=people[1].participant_id).update(birth_date=dt.date(1990, 1, 1))
    close(selection_round, national_admin)
    PlacementFactory(participant=people[2].participant, status=PlacementStatus.PROPOSED)
    # When national staff shortlist two per vacancy for the two slots
    shortlist = shortlist_create(
        round=selection_round, job_order=job_order, per_vacancy=2, acting_user=national_admin
    ).shortlist
    # Then ranks 1, 4, 5 and 6 are put forward, in rank order
    assert positions(shortlist) == [(1, 1), (2, 4), (3, 5), (4, 6)]
    assert set(shortlist.entries.values_list("decision", flat=True)) == {"pending"}
    record = ChangeRecord.objects.get(operation="selection.shortlist_create")
    assert record.changes["ineligible"] == {
        "before": None,
        "after": [{"candidacy": people[1].pk, "unmet": ["age_above"]}],
    }
    assert record.changes["open_slots"] == {"before": None, "after": 2}


def test_a_shortlist_is_refused_before_the_round_closes(selection_round, job_order, national_admin):
    ranked(selection_round, 2, national_admin)
    with pytest.raises(ValidationError) as refused:
        shortlist_create(
            round=selection_round, job_order=job_order, per_vacancy=3, acting_user=national_admin
        )
    assert refused.value.messages == [
        "Shortlists are drawn from a closed round's final ranking; round “IM Japan 2026/1” is "
        "open: stages running. Close the round first."
    ]
    assert not Shortlist.objects.exists()


def test_a_shortlist_is_refused_for_another_partners_job_order(selection_round, national_admin):
    ranked(selection_round, 2, national_admin)
    close(selection_round, national_admin)
    other = JobOrderFactory(partner=OrganisationFactory(partner=True), approved=True)
    with pytest.raises(ValidationError) as refused:
        shortlist_create(
            round=selection_round, job_order=other, per_vacancy=3, acting_user=national_admin
        )
    assert refused.value.message_dict["job_order"][0].startswith(
        f"Job order {other.reference} belongs to another partner"
    )
    assert not Shortlist.objects.exists()


def test_a_shortlist_is_refused_for_a_job_order_not_open(selection_round, im_japan, national_admin):
    ranked(selection_round, 2, national_admin)
    close(selection_round, national_admin)
    draft = JobOrderFactory(partner=im_japan)
    with pytest.raises(ValidationError) as refused:
        shortlist_create(
            round=selection_round, job_order=draft, per_vacancy=3, acting_user=national_admin
        )
    assert refused.value.code == "job_order_not_open"
    assert not Shortlist.objects.exists()


def test_a_second_shortlist_for_the_same_job_order_is_refused(
    selection_round, job_order, national_admin
):
    ranked(selection_round, 3, national_admin)
    close(selection_round, national_admin)
    shortlist_create(
        round=selection_round, job_order=job_order, per_vacancy=1, acting_user=national_admin
    )
    with pytest.raises(ValidationError) as refused:
        shortlist_create(
            round=selection_round, job_order=job_order, per_vacancy=1, acting_user=national_admin
        )
    assert refused.value.message_dict == {
        "job_order": ["This round already has a shortlist for this job order: refill it."]
    }
    assert Shortlist.objects.count() == 1


def test_only_national_staff_draw_up_a_shortlist(
    selection_round, job_order, national_admin, partner_user
):
    ranked(selection_round, 2, national_admin)
    close(selection_round, national_admin)
    with pytest.raises(PermissionDenied):
        shortlist_create(
            round=selection_round, job_order=job_order, per_vacancy=3, acting_user=partner_user
        )
    assert not Shortlist.objects.exists()


def test_a_job_order_with_every_slot_filled_gets_no_shortlist(
    selection_round, im_japan, national_admin
):
    ranked(selection_round, 2, national_admin)
    close(selection_round, national_admin)
    full = JobOrderFactory(partner=im_japan, approved=True, slots=1)
    PlacementFactory(
        job_order=full,
        participant=f.candidate(selection_round).participant,
        status=PlacementStatus.CONFIRMED,
    )
    with pytest.raises(ValidationError) as refused:
        shortlist_create(
            round=selection_round, job_order=full, per_vacancy=3, acting_user=national_admin
        )
    assert refused.value.messages == [
        f"Job order {full.reference} has no open slot left: nobody needs an interview."
    ]


# --- interview decisions ------------------------------------------------------------


@pytest.fixture
def shortlist(selection_round, job_order, national_admin) -> Shortlist:
    """Two per vacancy for two slots: ranks 1-4 of eight ranked candidates."""
    ranked(selection_round, 8, national_admin)
    close(selection_round, national_admin)
    return shortlist_create(
        round=selection_round, job_order=job_order, per_vacancy=2, acting_user=national_admin
    ).shortlist


def entry(shortlist: Shortlist, position: int) -> ShortlistEntry:
    return shortlist.entries.get(position=position)


def test_the_partner_records_an_acceptance(shortlist, partner_user):
    first = entry(shortlist, 1)
    interview_decide(
        entry=first, decision="accepted", note="", acting_user=partner_user, seen="pending"
    )
    first.refresh_from_db()
    assert (first.decision, first.decided_by) == (InterviewDecision.ACCEPTED, partner_user)
    assert first.decided_at is not None
    record = ChangeRecord.objects.get(operation="selection.interview_decide")
    assert record.changes["decision"] == {"before": "pending", "after": "accepted"}


def test_declining_without_a_note_is_refused(shortlist, partner_user):
    first = entry(shortlist, 1)
    with pytest.raises(ValidationError) as refused:
        interview_decide(entry=first, decision="declined", note="  ", acting_user=partner_user)
    assert refused.value.message_dict == {
        "note": ["Say why the candidate was declined or absent; the note stays with the decision."]
    }
    first.refresh_from_db()
    assert first.decision == InterviewDecision.PENDING
    assert not ChangeRecord.objects.filter(operation="selection.interview_decide").exists()


def test_a_changed_decision_needs_a_note_and_keeps_the_history(shortlist, partner_user):
    first = entry(shortlist, 1)
    interview_decide(entry=first, decision="absent", note="Did not come.", acting_user=partner_user)
    with pytest.raises(ValidationError) as refused:
        interview_decide(entry=first, decision="accepted", note="", acting_user=partner_user)
    assert refused.value.message_dict == {
        "note": ["Say why the decision changes: the earlier one stays in the history."]
    }
    interview_decide(
        entry=first,
        decision="accepted",
        note="Came the next day; interviewed.",
        acting_user=partner_user,
    )
    history = ChangeRecord.objects.filter(operation="selection.interview_decide").order_by("pk")
    assert [r.changes["decision"]["after"] for r in history] == ["absent", "accepted"]
    assert [r.reason for r in history] == ["Did not come.", "Came the next day; interviewed."]


def test_a_decision_on_a_stale_page_is_refused(shortlist, partner_user, national_officer):
    first = entry(shortlist, 1)
    interview_decide(entry=first, decision="accepted", note="", acting_user=national_officer)
    with pytest.raises(ValidationError) as refused:
        interview_decide(
            entry=first, decision="declined", note="No.", acting_user=partner_user, seen="pending"
        )
    assert refused.value.code == "stale"
    first.refresh_from_db()
    assert first.decision == InterviewDecision.ACCEPTED


def test_another_partner_may_not_decide(shortlist):
    from jembatan.accounts.factories import UserFactory
    from jembatan.core.roles import Role

    stranger = UserFactory(role=Role.PARTNER, organisation=OrganisationFactory(partner=True))
    first = entry(shortlist, 1)
    with pytest.raises(PermissionDenied):
        interview_decide(entry=first, decision="accepted", note="", acting_user=stranger)
    first.refresh_from_db()
    assert first.decision == InterviewDecision.PENDING


# --- refilling ---------------------------------------------------------------------------


def test_refilling_replaces_the_candidates_who_dropped_out(shortlist, partner_user, national_admin):
    # Given ranks 1 and 2 declined
    for position in (1, 2):
        interview_decide(
            entry=entry(shortlist, position),
            decision="declined",
            note="Not fit.",
            acting_user=partner_user,
        )
    # When national staff refill the shortlist
    added = shortlist_refill(shortlist=shortlist, acting_user=national_admin).added
    # Then ranks 5 and 6 join at positions 5 and 6; the declined ones stay
    assert [(e.position, e.candidacy.rank) for e in added] == [(5, 5), (6, 6)]
    assert positions(shortlist) == [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 6)]
    assert ChangeRecord.objects.filter(operation="selection.shortlist_refill").count() == 1


def test_accepted_candidates_reduce_what_a_refill_looks_for(
    shortlist, partner_user, national_admin
):
    # Given rank 1 accepted (one slot expected filled) and ranks 2-4 declined
    interview_decide(
        entry=entry(shortlist, 1), decision="accepted", note="", acting_user=partner_user
    )
    for position in (2, 3, 4):
        interview_decide(
            entry=entry(shortlist, position),
            decision="declined",
            note="No.",
            acting_user=partner_user,
        )
    # Then two per vacancy for the one remaining slot: ranks 5 and 6
    added = shortlist_refill(shortlist=shortlist, acting_user=national_admin).added
    assert [e.candidacy.rank for e in added] == [5, 6]


def test_a_full_shortlist_is_not_refilled(shortlist, national_admin):
    with pytest.raises(ValidationError) as refused:
        shortlist_refill(shortlist=shortlist, acting_user=national_admin)
    assert refused.value.messages == [
        "The shortlist needs nobody new: 4 candidates wait for an interview and 0 accepted "
        "candidates are expected to fill the open slots."
    ]
    assert shortlist.entries.count() == 4


def test_a_candidate_placed_elsewhere_is_replaced_on_refill(shortlist, national_admin):
    third = entry(shortlist, 3)
    PlacementFactory(participant=third.candidacy.participant, status=PlacementStatus.PROPOSED)
    added = shortlist_refill(shortlist=shortlist, acting_user=national_admin).added
    assert [e.candidacy.rank for e in added] == [5]


def test_a_refused_shortlist_names_who_failed_which_requirement(
    selection_round, job_order, national_admin
):
    """Not "8 do not meet the requirements": who, at which rank, and which requirement."""
    people = ranked(selection_round, 2, national_admin)
    Participant.objects.filter(pk__in=[c.participant_id for c in people]).update(
        birth_date=dt.date(1990, 1, 1)
    )
    close(selection_round, national_admin)
    with pytest.raises(ValidationError) as refused:
        shortlist_create(
            round=selection_round, job_order=job_order, per_vacancy=2, acting_user=national_admin
        )
    (message,) = refused.value.messages
    first = Participant.objects.get(pk=people[0].participant_id)
    assert "2 did not meet them:" in message
    assert f"{first.full_name} (rank 1): " in message
    assert "Age 36 is above the job order's maximum of 30." in message


def test_a_person_whose_processing_is_restricted_is_not_available_for_a_new_shortlist(
    national_officer: Any,
) -> None:
    from jembatan.participants.factories import ParticipantFactory
    from jembatan.participants.models import JourneyStatus
    from jembatan.privacy.factories import restrict
    from jembatan.selection.services.picking import available_ids

    held, free = (ParticipantFactory(status=JourneyStatus.SELECTED) for _ in range(2))
    restrict(held, officer=national_officer)

    assert available_ids([held.pk, free.pk]) == {free.pk}
