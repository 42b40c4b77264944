"""The matching API: runs and outcomes per role, a candidate's result and ranking of job orders.

IM Japan's closed round ranks Ani (90), Budi (80), Citra (70) and Dedi (60);
``farm`` has two slots, ``factory`` one. Siti (``participant_jateng``) passed the
round with 85 when a test asks for ``siti``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from jembatan.accounts.models import User
from jembatan.core.models import AccessLog
from jembatan.core.roles import Role
from jembatan.demand.factories import JobOrderFactory
from jembatan.demand.models import JobOrder
from jembatan.matching.explaining import explain, labels_for
from jembatan.matching.factories import (
    CandidatePreferenceFactory,
    ClosedRoundFactory,
    PassedCandidacyFactory,
    selected_candidate,
)
from jembatan.matching.models import CandidatePreference, MatchingRun, RunOutcome
from jembatan.matching.services.execution import execute_run
from jembatan.matching.services.runs import run_approve, run_create
from jembatan.organisations.factories import OrganisationFactory
from jembatan.organisations.models import Organisation
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.selection.models import SelectionRound

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User | None], Client]
StartRun = Callable[..., MatchingRun]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Expected sentences are computed in English, the source language."""
    with translation.override("en"):
        yield


@pytest.fixture
def closed_round(im_japan: Organisation) -> SelectionRound:
    return ClosedRoundFactory(name="IM Japan 2026/1", partner=im_japan)


@pytest.fixture
def farm(im_japan: Organisation) -> JobOrder:
    return JobOrderFactory(partner=im_japan, approved=True, slots=2, title="Greenhouse worker")


@pytest.fixture
def factory(im_japan: Organisation) -> JobOrder:
    return JobOrderFactory(partner=im_japan, approved=True, slots=1, title="Welder")


@pytest.fixture
def candidates(closed_round: SelectionRound) -> list[Participant]:
    people = [("Ani", "90"), ("Budi", "80"), ("Citra", "70"), ("Dedi", "60")]
    return [
        selected_candidate(closed_round, score=score, rank=rank, full_name=name)
        for rank, (name, score) in enumerate(people, start=1)
    ]


@pytest.fixture
def siti(participant_jateng: Participant, closed_round: SelectionRound) -> Participant:
    Participant.objects.filter(pk=participant_jateng.pk).update(status=JourneyStatus.SELECTED)
    PassedCandidacyFactory(
        round=closed_round, participant=participant_jateng, final_score=Decimal("85"), rank=5
    )
    participant_jateng.refresh_from_db()
    return participant_jateng


@pytest.fixture
def start_run(national_officer: User, closed_round: SelectionRound) -> StartRun:
    """Create and execute a run over the closed round and the given job orders."""

    def start(*job_orders: JobOrder, method: str = "stable") -> MatchingRun:
        run = run_create(
            name="Run",
            method=method,
            rounds=[closed_round],
            job_orders=list(job_orders),
            acting_user=national_officer,
        )
        return execute_run(run.pk)

    return start


def _approve(run: MatchingRun, by: User, capture: Any) -> None:
    with capture(execute=True):
        run_approve(run=run, acting_user=by)


def _outcomes(client: Client, run: MatchingRun, **query: Any) -> Any:
    return client.get(f"/api/v1/matching/runs/{run.pk}/outcomes", query)


# --- runs --------------------------------------------------------------------------------


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
    client = client_for(user_of(role))

    assert client.get("/api/v1/matching/runs").status_code == status
    assert client.get(f"/api/v1/matching/runs/{run.pk}").status_code == status
    assert _outcomes(client, run).status_code == status


def test_national_staff_read_the_whole_run(
    client_for: ClientFor,
    national_officer: User,
    start_run: StartRun,
    farm: JobOrder,
    candidates: list[Participant],
) -> None:
    run = start_run(farm)
    client = client_for(national_officer)

    listed = client.get("/api/v1/matching/runs").json()
    body = client.get(f"/api/v1/matching/runs/{run.pk}").json()

    assert [(r["id"], r["reference"], r["candidates"], r["placed"]) for r in listed["items"]] == [
        (run.pk, run.reference, 4, 2)
    ]
    assert (body["status"], body["progress"], body["candidates"], body["placed"]) == (
        "done",
        100,
        4,
        2,
    )
    assert body["input_digest"] == run.input_digest
    assert [(r["job_order"], r["available"], r["placed"]) for r in body["job_orders"]] == [
        (farm.pk, 2, 2)
    ]
    assert [(p["partner"], p["rate"]) for p in body["partners"]] == [("IM Japan", 1.0)]
    assert body["fairness"]["total"] == 4
    assert body["diff"] is None


def test_a_partner_reads_only_its_runs_and_what_the_run_page_shows_it(
    client_for: ClientFor,
    partner_user: User,
    start_run: StartRun,
    farm: JobOrder,
    candidates: list[Participant],
) -> None:
    other = JobOrderFactory(approved=True, partner=OrganisationFactory(partner=True), slots=1)
    mine = start_run(farm, other)
    theirs = start_run(other)
    client = client_for(partner_user)

    listed = client.get("/api/v1/matching/runs").json()
    body = client.get(f"/api/v1/matching/runs/{mine.pk}").json()

    assert [(r["id"], r["candidates"], r["placed"]) for r in listed["items"]] == [
        (mine.pk, None, None)
    ]
    assert client.get(f"/api/v1/matching/runs/{theirs.pk}").status_code == 404
    assert [r["job_order"] for r in body["job_orders"]] == [farm.pk]
    assert [p["partner"] for p in body["partners"]] == ["IM Japan"]
    assert (body["fairness"], body["diff"], body["input_digest"], body["total_weight"]) == (
        None,
        None,
        None,
        None,
    )


def test_a_partner_sees_the_people_placed_with_it_and_nobody_left_out(
    client_for: ClientFor,
    partner_user: User,
    start_run: StartRun,
    farm: JobOrder,
    candidates: list[Participant],
) -> None:
    other = JobOrderFactory(approved=True, partner=OrganisationFactory(partner=True), slots=1)
    run = start_run(farm, other)
    client = client_for(partner_user)

    placed = _outcomes(client, run, placed="yes").json()
    unplaced = _outcomes(client, run, placed="no").json()

    assert [o["name"] for o in placed["items"]] == ["Budi", "Ani"]
    assert {o["job_order_id"] for o in placed["items"]} == {farm.pk}
    assert unplaced["items"] == []


# --- outcomes ----------------------------------------------------------------------------


def test_outcomes_page_by_keyset_with_reasons_and_explanations(
    client_for: ClientFor,
    national_officer: User,
    start_run: StartRun,
    farm: JobOrder,
    candidates: list[Participant],
) -> None:
    run = start_run(farm)
    client = client_for(national_officer)
    ani = RunOutcome.objects.get(run=run, participant=candidates[0])

    first = _outcomes(client, run, placed="yes", limit=1).json()
    second = _outcomes(client, run, placed="yes", limit=1, after=first["next_cursor"]).json()
    unplaced = _outcomes(client, run, placed="no").json()

    assert len(first["items"]) == 1
    assert first["next_cursor"] == first["items"][0]["id"]
    assert second["items"][0]["id"] < first["next_cursor"]
    assert second["next_cursor"] is None
    found = {o["name"]: o for o in first["items"] + second["items"]}
    assert found["Ani"] == {
        "id": ani.pk,
        "participant_id": candidates[0].pk,
        "name": "Ani",
        "job_order_id": farm.pk,
        "job_order": f"{farm.reference} Greenhouse worker",
        "reason": "placed",
        "reason_label": "Placed",
        "weight": ani.weight,
        "placement_id": None,
        "explanation": {
            "headline": f"Placed on job order {farm.reference} Greenhouse worker.",
            "details": [],
            "ineligible": [],
        },
    }
    assert [(o["name"], o["reason"]) for o in unplaced["items"]] == [
        ("Dedi", "outranked"),
        ("Citra", "outranked"),
    ]
    assert unplaced["items"][0]["explanation"]["details"] == [
        f"{farm.reference} Greenhouse worker (your choice no. 1): the last candidate admitted "
        "was no. 2 in its ranking; you were no. 4."
    ]
    assert (
        AccessLog.objects.filter(
            purpose="api.matching.outcomes", actor=national_officer, object_id=str(run.pk)
        ).count()
        == 3
    )


def test_explanations_follow_the_language_of_the_request(
    client_for: ClientFor,
    national_officer: User,
    start_run: StartRun,
    farm: JobOrder,
    candidates: list[Participant],
) -> None:
    run = start_run(farm)
    client = client_for(national_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    citra = RunOutcome.objects.get(run=run, participant=candidates[2])
    in_english = explain(citra, labels_for([citra])).headline
    with translation.override("id"):
        expected = explain(citra, labels_for([citra]))

    body = _outcomes(client, run, placed="no").json()

    explained = {o["name"]: o["explanation"] for o in body["items"]}["Citra"]
    assert explained["headline"] == expected.headline
    assert explained["details"] == expected.details
    assert explained["headline"] != in_english


def test_outcomes_of_a_run_out_of_sight_answer_404_and_are_not_logged(
    client_for: ClientFor,
    partner_user: User,
    start_run: StartRun,
    candidates: list[Participant],
) -> None:
    other = JobOrderFactory(approved=True, partner=OrganisationFactory(partner=True), slots=1)
    run = start_run(other)

    assert _outcomes(client_for(partner_user), run).status_code == 404
    assert not AccessLog.objects.filter(purpose="api.matching.outcomes").exists()


# --- the candidate -------------------------------------------------------------------------


def test_a_candidate_reads_their_approved_result_with_its_explanation(
    client_for: ClientFor,
    participant_user: User,
    national_officer: User,
    siti: Participant,
    start_run: StartRun,
    farm: JobOrder,
    candidates: list[Participant],
    django_capture_on_commit_callbacks: Any,
) -> None:
    JobOrder.objects.filter(pk=farm.pk).update(slots=1)
    run = start_run(farm)
    client = client_for(participant_user)

    before = client.get("/api/v1/matching/me").json()
    _approve(run, national_officer, django_capture_on_commit_callbacks)
    after = client.get("/api/v1/matching/me").json()["outcome"]

    assert before == {"outcome": None}
    assert (after["run_id"], after["run_reference"], after["job_order_id"]) == (
        run.pk,
        run.reference,
        None,
    )
    assert after["reason"] == "outranked"
    assert after["explanation"]["headline"] == (
        "Not placed: every job order you were eligible for was full with candidates it "
        "ranked higher."
    )
    assert after["explanation"]["details"] == [
        f"{farm.reference} Greenhouse worker (your choice no. 1): the last candidate admitted "
        "was no. 1 in its ranking; you were no. 2."
    ]


def test_a_placed_candidate_reads_where_they_go(
    client_for: ClientFor,
    participant_user: User,
    national_officer: User,
    siti: Participant,
    start_run: StartRun,
    farm: JobOrder,
    factory: JobOrder,
    django_capture_on_commit_callbacks: Any,
) -> None:
    run = start_run(farm, factory, method="optimal")
    _approve(run, national_officer, django_capture_on_commit_callbacks)

    outcome = client_for(participant_user).get("/api/v1/matching/me").json()["outcome"]

    assert outcome["reason"] == "placed"
    assert outcome["partner"] == "IM Japan"
    assert outcome["job_order_id"] in {farm.pk, factory.pk}
    assert outcome["explanation"]["headline"].startswith("Placed on job order ")


def test_only_participants_read_their_own_result(
    client_for: ClientFor, national_officer: User
) -> None:
    client = client_for(national_officer)

    assert client.get("/api/v1/matching/me").status_code == 403
    assert client.get("/api/v1/matching/me/preferences").status_code == 403


def _ranks(participant: Participant) -> list[tuple[int, int]]:
    rows = CandidatePreference.objects.filter(participant=participant)
    return list(rows.values_list("job_order_id", "rank"))


def test_a_candidate_reads_and_replaces_their_ranking_of_job_orders(
    client_for: ClientFor, participant_user: User, siti: Participant, im_japan: Organisation
) -> None:
    first = JobOrderFactory(partner=im_japan, approved=True, title="Greenhouse worker")
    second = JobOrderFactory(partner=im_japan, approved=True, title="Welder")
    young = JobOrderFactory(partner=im_japan, approved=True, title="Young only", max_age=20)
    CandidatePreferenceFactory(participant=siti, job_order=first, rank=1)
    client = client_for(participant_user)

    shown = client.get("/api/v1/matching/me/preferences").json()
    saved = client.put(
        "/api/v1/matching/me/preferences",
        {"ranking": {str(second.pk): 1, str(first.pk): 3}},
        content_type="application/json",
    )

    assert [(c["job_order_id"], c["rank"]) for c in shown["eligible"]] == [
        (first.pk, 1),
        (second.pk, None),
    ]
    assert shown["not_eligible"] == [
        {
            "job_order_id": young.pk,
            "reference": young.reference,
            "title": "Young only",
            "partner": "IM Japan",
            "reasons": ["Age 27 is above the job order's maximum of 20."],
        }
    ]
    assert saved.status_code == 200
    assert [(c["job_order_id"], c["rank"]) for c in saved.json()["eligible"]] == [
        (second.pk, 1),
        (first.pk, 2),
    ]
    assert _ranks(siti) == [(second.pk, 1), (first.pk, 2)]


def test_a_refused_ranking_answers_400_and_keeps_the_old_one(
    client_for: ClientFor, participant_user: User, siti: Participant, im_japan: Organisation
) -> None:
    first = JobOrderFactory(partner=im_japan, approved=True)
    second = JobOrderFactory(partner=im_japan, approved=True)
    young = JobOrderFactory(partner=im_japan, approved=True, max_age=20)
    CandidatePreferenceFactory(participant=siti, job_order=first, rank=1)
    client = client_for(participant_user)

    def put(ranking: dict[int, int]) -> Any:
        return client.put(
            "/api/v1/matching/me/preferences",
            {"ranking": ranking},
            content_type="application/json",
        )

    tied = put({first.pk: 2, second.pk: 2})
    ineligible = put({young.pk: 1})

    assert (tied.status_code, tied.json()) == (
        400,
        {
            "detail": f"Each rank may be given once: rank 2 is given to {first.reference}, "
            f"{second.reference}."
        },
    )
    assert (ineligible.status_code, ineligible.json()) == (
        400,
        {
            "detail": "You can rank only job orders you are eligible for; not eligible: "
            f"{young.reference}."
        },
    )
    assert _ranks(siti) == [(first.pk, 1)]


def test_a_signed_in_participant_without_a_record_gets_404(
    client_for: ClientFor, participant_user: User
) -> None:
    Participant.objects.filter(user=participant_user).update(user=None)

    assert client_for(participant_user).get("/api/v1/matching/me").status_code == 404
