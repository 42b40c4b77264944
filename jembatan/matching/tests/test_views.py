"""The pages: runs per role, progress, approval, the candidate's ranking and result."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jembatan.accounts.models import User
from jembatan.core.roles import Role
from jembatan.demand.factories import JobOrderFactory
from jembatan.demand.models import JobOrder, Placement
from jembatan.matching.factories import CandidatePreferenceFactory, PassedCandidacyFactory
from jembatan.matching.models import CandidatePreference, MatchingRun, RunStatus
from jembatan.organisations.factories import OrganisationFactory
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.selection.models import SelectionRound

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User | None], Client]
StartRun = Callable[..., MatchingRun]
Approve = Callable[[MatchingRun, User], MatchingRun]


@pytest.fixture
def siti(participant_jateng: Participant, closed_round: SelectionRound) -> Participant:
    """Siti, selected after passing IM Japan's round with 85 (second after Ani's 90)."""
    Participant.objects.filter(pk=participant_jateng.pk).update(status=JourneyStatus.SELECTED)
    PassedCandidacyFactory(
        round=closed_round, participant=participant_jateng, final_score=Decimal("85"), rank=5
    )
    participant_jateng.refresh_from_db()
    return participant_jateng


def test_a_national_officer_starts_a_run_and_reads_its_results(
    client_for: ClientFor,
    national_officer: User,
    closed_round: SelectionRound,
    farm: JobOrder,
    candidates: list[Participant],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(national_officer)
    form = {
        "name": "IM Japan November",
        "method": "stable",
        "rounds": [closed_round.pk],
        "job_orders": [farm.pk],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("matching:create"), form)
    run = MatchingRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("matching:detail", args=[run.pk])

    page = client.get(response["Location"]).content.decode()

    assert 'data-testid="run-status">Finished: awaiting approval<' in page
    assert 'data-testid="run-placed">2<' in page
    assert 'data-testid="fairness-report"' in page
    assert "every 2s" not in page
    assert 'data-testid="approve-run"' in page


def test_the_run_page_shows_the_difference_from_the_previous_run(
    client_for: ClientFor,
    national_officer: User,
    start_run: StartRun,
    farm: JobOrder,
    factory: JobOrder,
    candidates: list[Participant],
) -> None:
    first = start_run(farm)
    second = start_run(farm, factory)

    page = client_for(national_officer).get(reverse("matching:detail", args=[second.pk]))

    body = page.content.decode()
    assert f'Compared with run <a href="/pencocokan/{first.pk}/">{first.reference}</a>.' in body
    assert 'data-testid="diff-new">1<' in body
    assert 'data-testid="diff-unchanged">3<' in body
    assert [p.full_name for p in page.context["diff"]["newly_placed_people"]] == ["Citra"]


def test_the_run_form_explains_what_is_missing_and_creates_nothing(
    client_for: ClientFor, national_officer: User
) -> None:
    response = client_for(national_officer).post(
        reverse("matching:create"), {"name": "", "method": "stable"}
    )

    form = response.context["form"]
    assert form.errors == {
        "name": ["This field is required."],
        "rounds": ["This field is required."],
        "job_orders": ["This field is required."],
    }
    assert not MatchingRun.objects.exists()


def test_a_queued_run_polls_its_progress_every_two_seconds(
    client_for: ClientFor, national_officer: User, farm: JobOrder
) -> None:
    run = MatchingRun.objects.create(
        name="Waiting",
        method="stable",
        created_by=national_officer,
        created_at=farm.created_at,
        progress=30,
        progress_note="Checking eligibility and rankings",
    )
    client = client_for(national_officer)

    fragment = client.get(reverse("matching:detail", args=[run.pk]), HTTP_HX_REQUEST="true")

    body = fragment.content.decode()
    assert body.startswith('\n<div id="run-body"')
    assert 'hx-trigger="every 2s"' in body
    assert "Checking eligibility and rankings (30%)" in body
    assert "<html" not in body


def test_a_failed_run_shows_its_error_without_internals(
    client_for: ClientFor, national_officer: User, farm: JobOrder
) -> None:
    run = MatchingRun.objects.create(
        name="Broken",
        method="stable",
        created_by=national_officer,
        created_at=farm.created_at,
        status=RunStatus.FAILED,
        error="The run stopped because of an internal error. Nothing was saved.",
    )

    page = client_for(national_officer).get(reverse("matching:detail", args=[run.pk]))

    assert b"The run stopped because of an internal error. Nothing was saved." in page.content
    assert b"every 2s" not in page.content


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.NATIONAL_OFFICER, 200),
        (Role.AUDITOR, 200),
        (Role.PARTNER, 200),
        (Role.PROVINCIAL_OFFICER, 403),
        (Role.SENDER_OPERATOR, 403),
        (Role.PARTICIPANT, 403),
    ],
)
def test_runs_are_read_by_national_staff_auditors_and_partners(
    role: Role,
    status: int,
    user_of: Callable[[Role], User],
    client_for: ClientFor,
    start_run: StartRun,
    farm: JobOrder,
    candidates: list[Participant],
) -> None:
    run = start_run(farm)

    response = client_for(user_of(role)).get(reverse("matching:detail", args=[run.pk]))

    assert response.status_code == status


def test_a_partner_sees_only_its_runs_and_the_people_placed_with_it(
    client_for: ClientFor,
    partner_user: User,
    national_officer: User,
    start_run: StartRun,
    farm: JobOrder,
    candidates: list[Participant],
) -> None:
    other = JobOrderFactory(approved=True, partner=OrganisationFactory(partner=True), slots=1)
    mine = start_run(farm, other)
    theirs = start_run(other)
    client = client_for(partner_user)

    listing = client.get(reverse("matching:list")).content.decode()
    placed = client.get(reverse("matching:outcomes", args=[mine.pk]) + "?placed=yes")
    unplaced = client.get(reverse("matching:outcomes", args=[mine.pk]) + "?placed=no")
    detail = client.get(reverse("matching:detail", args=[mine.pk])).content.decode()

    assert mine.reference in listing
    assert theirs.reference not in listing
    assert ">Placed</th>" not in listing  # a run's totals are the ministry's
    assert (
        ">Placed</th>"
        in client_for(national_officer).get(reverse("matching:list")).content.decode()
    )
    assert client.get(reverse("matching:detail", args=[theirs.pk])).status_code == 404
    names = [o.participant.full_name for o, _label in placed.context["items"]]
    assert names == ["Budi", "Ani"]
    assert unplaced.context["items"] == []
    assert 'data-testid="fairness-report"' not in detail
    assert other.partner.name not in detail
    citra = candidates[2]
    outcome_url = reverse("matching:outcome", args=[mine.pk, citra.pk])
    assert client.get(outcome_url).status_code == 404


def test_the_officer_approves_from_the_page_and_an_auditor_cannot(
    client_for: ClientFor,
    national_officer: User,
    auditor: User,
    start_run: StartRun,
    farm: JobOrder,
    candidates: list[Participant],
    django_capture_on_commit_callbacks: Any,
) -> None:
    run = start_run(farm)
    url = reverse("matching:approve", args=[run.pk])
    client = client_for(national_officer)

    refused = client_for(auditor).post(url)
    with django_capture_on_commit_callbacks(execute=True):
        clicked = client.post(url, follow=True).content.decode()
    approved = client.get(reverse("matching:detail", args=[run.pk])).content.decode()

    assert refused.status_code == 403
    assert "The run has been approved; its placements are being created." in clicked
    assert 'data-testid="run-status">Approving: creating placements<' in clicked
    assert 'hx-trigger="every 2s"' in clicked
    assert 'data-testid="approve-run"' not in clicked
    assert MatchingRun.objects.get(pk=run.pk).status == RunStatus.APPROVED
    assert 'data-testid="run-status">Approved: placements created<' in approved
    assert "every 2s" not in approved
    assert Placement.objects.count() == 2
    ani = candidates[0]
    explained = client_for(auditor).get(reverse("matching:outcome", args=[run.pk, ani.pk]))
    assert f"Placed on job order {farm.reference} Greenhouse worker.".encode() in explained.content


def test_an_approving_run_polls_and_says_how_many_placements_it_is_creating(
    client_for: ClientFor, national_officer: User, farm: JobOrder
) -> None:
    run = MatchingRun.objects.create(
        name="Approving",
        method="stable",
        created_by=national_officer,
        created_at=farm.created_at,
        status=RunStatus.APPROVING,
        progress_note="Creating 25,000 placements (started at 18:20)",
    )

    fragment = client_for(national_officer).get(
        reverse("matching:detail", args=[run.pk]), HTTP_HX_REQUEST="true"
    )

    body = fragment.content.decode()
    assert 'hx-trigger="every 2s"' in body
    assert 'data-testid="run-step">Creating 25,000 placements (started at 18:20)<' in body
    assert 'data-testid="approve-run"' not in body


def test_an_approval_the_task_refused_is_shown_on_the_run_page_but_not_to_partners(
    client_for: ClientFor,
    national_officer: User,
    partner_user: User,
    start_run: StartRun,
    farm: JobOrder,
    candidates: list[Participant],
    django_capture_on_commit_callbacks: Any,
) -> None:
    run = start_run(farm)
    url = reverse("matching:approve", args=[run.pk])
    with django_capture_on_commit_callbacks() as queued:
        client_for(national_officer).post(url)
    JobOrder.objects.filter(pk=farm.pk).update(status="cancelled")
    queued[0]()

    page = client_for(national_officer).get(reverse("matching:detail", args=[run.pk]))
    partner_page = client_for(partner_user).get(reverse("matching:detail", args=[run.pk]))

    body = page.content.decode()
    assert 'data-testid="run-status">Finished: awaiting approval<' in body
    assert 'data-testid="approval-error"' in body
    assert f"<li>Nobody can be matched to job order {farm.reference}: it is cancelled." in body
    assert 'data-testid="approve-run"' in body
    assert 'data-testid="approval-error"' not in partner_page.content.decode()
    assert Placement.objects.count() == 0


def test_a_stale_approval_shows_what_changed_on_the_page(
    client_for: ClientFor,
    national_officer: User,
    start_run: StartRun,
    farm: JobOrder,
    candidates: list[Participant],
) -> None:
    run = start_run(farm)
    Participant.objects.filter(pk=candidates[0].pk).update(status=JourneyStatus.WITHDRAWN)

    page = client_for(national_officer).post(
        reverse("matching:approve", args=[run.pk]), follow=True
    )

    assert b"Start a new run." in page.content
    assert b"Ani is no longer selected (now: withdrawn)." in page.content
    assert Placement.objects.count() == 0


def test_discarding_needs_a_reason(
    client_for: ClientFor,
    national_officer: User,
    start_run: StartRun,
    farm: JobOrder,
    candidates: list[Participant],
) -> None:
    run = start_run(farm)
    client = client_for(national_officer)
    url = reverse("matching:discard", args=[run.pk])

    missing = client.post(url, {"reason": ""})
    done = client.post(url, {"reason": "Wrong round chosen"})

    assert missing.context["form"].errors == {"reason": ["This field is required."]}
    assert done.status_code == 302
    assert MatchingRun.objects.get(pk=run.pk).decision_note == "Wrong round chosen"


# --- the candidate -------------------------------------------------------------------------


def test_a_candidate_ranks_the_job_orders_they_are_eligible_for(
    client_for: ClientFor, participant_user: User, siti: Participant, im_japan: Any
) -> None:
    first = JobOrderFactory(partner=im_japan, approved=True, title="Greenhouse worker")
    second = JobOrderFactory(partner=im_japan, approved=True, title="Welder")
    JobOrderFactory(partner=im_japan, approved=True, title="Young only", max_age=20)
    CandidatePreferenceFactory(participant=siti, job_order=first, rank=1)
    client = client_for(participant_user)

    page = client.get(reverse("matching:preferences")).content.decode()
    saved = client.post(
        reverse("matching:preferences"), {f"rank_{second.pk}": "1", f"rank_{first.pk}": "3"}
    )

    assert "Young only" in page
    assert "Age 27 is above the job order&#x27;s maximum of 20." in page
    assert saved.status_code == 302
    assert list(
        CandidatePreference.objects.filter(participant=siti).values_list("job_order_id", "rank")
    ) == [(second.pk, 1), (first.pk, 2)]


def test_tied_or_non_positive_ranks_are_refused_and_the_old_ranking_kept(
    client_for: ClientFor, participant_user: User, siti: Participant, im_japan: Any
) -> None:
    first = JobOrderFactory(partner=im_japan, approved=True)
    second = JobOrderFactory(partner=im_japan, approved=True)
    CandidatePreferenceFactory(participant=siti, job_order=first, rank=1)
    client = client_for(participant_user)
    url = reverse("matching:preferences")

    tied = client.post(url, {f"rank_{first.pk}": "2", f"rank_{second.pk}": "2"})
    zero = client.post(url, {f"rank_{first.pk}": "0"})

    assert tied.context["form"].non_field_errors() == [
        f"Each rank may be given once: rank 2 is given to {first.reference}, {second.reference}."
    ]
    assert zero.context["form"].non_field_errors() == ["Ranks start at 1 (your first choice)."]
    assert list(
        CandidatePreference.objects.filter(participant=siti).values_list("job_order_id", "rank")
    ) == [(first.pk, 1)]


def test_a_candidate_reads_why_they_were_not_placed_in_a_stable_run(
    client_for: ClientFor,
    participant_user: User,
    national_officer: User,
    siti: Participant,
    start_run: StartRun,
    farm: JobOrder,
    candidates: list[Participant],
    approve: Approve,
) -> None:
    JobOrder.objects.filter(pk=farm.pk).update(slots=1)
    run = start_run(farm)
    approve(run, national_officer)

    page = client_for(participant_user).get(reverse("matching:my_result")).content.decode()

    assert "Not placed: every job order you were eligible for was full" in page
    assert (
        f"{farm.reference} Greenhouse worker (your choice no. 1): the last candidate admitted "
        "was no. 1 in its ranking; you were no. 2."
    ) in page


def test_a_candidate_reads_where_they_were_placed(
    client_for: ClientFor,
    participant_user: User,
    national_officer: User,
    siti: Participant,
    start_run: StartRun,
    farm: JobOrder,
    factory: JobOrder,
    approve: Approve,
) -> None:
    run = start_run(farm, factory, method="optimal")
    approve(run, national_officer)

    page = client_for(participant_user).get(reverse("matching:my_result")).content.decode()

    assert f"Placed on job order {farm.reference} Greenhouse worker." in page
    assert 'data-testid="my-placement"' in page


def test_a_candidate_reads_the_requirements_they_did_not_meet(
    client_for: ClientFor,
    participant_user: User,
    national_officer: User,
    siti: Participant,
    start_run: StartRun,
    im_japan: Any,
    candidates: list[Participant],
    approve: Approve,
) -> None:
    young = JobOrderFactory(partner=im_japan, approved=True, max_age=26, title="Young")
    run = start_run(young, method="optimal")
    approve(run, national_officer)

    page = client_for(participant_user).get(reverse("matching:my_result")).content.decode()

    assert "Not placed: you met the requirements of none of the job orders in this run." in page
    assert f"{young.reference} Young: Age 27 is above the job order&#x27;s maximum of 26." in page


def test_a_candidate_without_an_approved_run_is_told_so(
    client_for: ClientFor, participant_user: User
) -> None:
    page = client_for(participant_user).get(reverse("matching:my_result"))

    assert b"You have not been part of an approved matching yet." in page.content
