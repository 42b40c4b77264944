"""``jembatan seed``: the selection and matching demo (two IM Japan rounds, a shortlist, a run)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.demand.models import PlacementStatus
from jembatan.demo import cast
from jembatan.matching.models import CandidatePreference, MatchingRun, RunOutcome, RunStatus
from jembatan.participants.models import JourneyStatus
from jembatan.selection.models import (
    Candidacy,
    CandidacyStatus,
    InterviewDecision,
    RoundStatus,
    Score,
    SelectionRound,
    Shortlist,
    ShortlistEntry,
)

PARTICIPANTS = 1300


@pytest.fixture(autouse=True)
def debug_on(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Seeding is for development databases; the tests play one."""
    settings.DEBUG = True
    monkeypatch.delenv(cast.PASSWORD_ENV, raising=False)


def seed(participants: int = PARTICIPANTS) -> None:
    call_command(
        "seed", "--participants", str(participants), stdout=io.StringIO(), stderr=io.StringIO()
    )


def rounds() -> dict[str, SelectionRound]:
    year = timezone.localdate().year
    found = {r.name: r for r in SelectionRound.objects.filter(partner__name="IM Japan")}
    assert set(found) == {
        f"Seleksi IM Japan {year} gelombang 1",
        f"Seleksi IM Japan {year} gelombang 2",
    }
    return {
        "closed": found[f"Seleksi IM Japan {year} gelombang 1"],
        "open": found[f"Seleksi IM Japan {year} gelombang 2"],
    }


def selection_counts() -> dict[str, int]:
    return {
        "rounds": SelectionRound.objects.count(),
        "candidacies": Candidacy.objects.count(),
        "scores": Score.objects.count(),
        "shortlists": Shortlist.objects.count(),
        "entries": ShortlistEntry.objects.count(),
        "runs": MatchingRun.objects.count(),
        "outcomes": RunOutcome.objects.count(),
        "change_records": ChangeRecord.objects.exclude(operation="core.seed").count(),
    }


@pytest.mark.django_db
def test_the_closed_round_ranks_its_passed_candidates_1_to_n_and_some_fail_at_each_stage() -> None:
    seed()

    closed = rounds()["closed"]
    assert closed.status == RoundStatus.CLOSED
    assert closed.impact_assessment.legal_basis.startswith("UU No. 27 Tahun 2022")
    candidacies = list(closed.candidacies.select_related("participant", "failed_stage"))
    passed = sorted(c.rank or 0 for c in candidacies if c.status == CandidacyStatus.PASSED)
    assert len(candidacies) == 60
    assert passed == list(range(1, len(passed) + 1))
    assert 10 <= len(passed) <= 50
    assert {c.status for c in candidacies} == {CandidacyStatus.PASSED, CandidacyStatus.FAILED}
    assert all(c.rank is None for c in candidacies if c.status == CandidacyStatus.FAILED)
    failed_at = {c.failed_stage.stage_type.code for c in candidacies if c.failed_stage}
    assert failed_at == {"administrative", "written", "physical", "interview", "medical"}
    selected = {c.participant.status for c in candidacies if c.status == CandidacyStatus.PASSED}
    assert selected == {JourneyStatus.SELECTED, JourneyStatus.MATCHED}  # run 1 was approved


@pytest.mark.django_db
def test_the_open_round_waits_for_results_from_the_written_test_on() -> None:
    seed()

    still_open = rounds()["open"]
    assert still_open.status == RoundStatus.OPEN
    statuses = set(still_open.candidacies.values_list("status", flat=True))
    assert CandidacyStatus.ACTIVE in statuses
    assert CandidacyStatus.PASSED not in statuses
    scored_stages = set(
        Score.objects.filter(candidacy__round=still_open).values_list(
            "stage__stage_type__code", flat=True
        )
    )
    assert "administrative" in scored_stages
    assert "interview" not in scored_stages


@pytest.mark.django_db
def test_the_shortlist_has_the_partners_interview_decisions() -> None:
    seed()

    shortlist = Shortlist.objects.get(round=rounds()["closed"])
    assert shortlist.job_order.title == "Pemagang hortikultura rumah kaca"
    decisions = list(shortlist.entries.order_by("position").values_list("decision", flat=True))
    assert decisions[:6] == [
        InterviewDecision.ACCEPTED,
        InterviewDecision.ACCEPTED,
        InterviewDecision.DECLINED,
        InterviewDecision.ACCEPTED,
        InterviewDecision.ABSENT,
        InterviewDecision.ACCEPTED,
    ]


@pytest.mark.django_db
def test_the_first_run_is_approved_and_the_second_awaits_approval() -> None:
    seed()

    first, second = MatchingRun.objects.order_by("pk")
    assert (first.status, first.method, second.status, second.method) == (
        RunStatus.APPROVED, "stable", RunStatus.DONE, "optimal",
    )  # fmt: skip
    assert list(first.rounds.all()) == list(second.rounds.all()) == [rounds()["closed"]]
    assert first.placed > 0 and second.placed > 0
    placed = first.outcomes.filter(job_order__isnull=False)
    # The partner confirmed all but one, which waits for it on its placements page.
    assert placed.filter(placement__status=PlacementStatus.CONFIRMED).count() == first.placed - 1
    waiting = placed.get(placement__status=PlacementStatus.PROPOSED)
    assert waiting.participant.partner_id == waiting.job_order.partner_id
    assert {o.participant.status for o in placed} == {JourneyStatus.MATCHED}
    passed = rounds()["closed"].candidacies.filter(status=CandidacyStatus.PASSED).count()
    assert first.candidates == passed == first.outcomes.count()
    assert second.candidates == passed - first.placed  # approved placements stay out


@pytest.mark.django_db
def test_the_demo_candidate_reads_why_the_first_run_left_them_out() -> None:
    seed()

    user = User.objects.get(username="demo-candidate")
    first = MatchingRun.objects.order_by("pk").first()
    assert first is not None
    outcome = first.outcomes.get(participant__user=user)
    assert outcome.job_order is None and outcome.reason == "outranked"
    assert CandidatePreference.objects.filter(participant=outcome.participant).exists()
    client = Client()
    client.force_login(user)
    page = client.get(reverse("matching:my_result"))
    assert page.status_code == 200
    assert "demo-candidate" in [login for login, _role, _scope in cast.demo_logins()]


@pytest.mark.django_db
def test_seeding_again_creates_no_selection_or_matching_rows() -> None:
    seed()
    first = selection_counts()

    seed()

    assert selection_counts() == first
