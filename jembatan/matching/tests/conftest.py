"""Fixtures for matching in the system: a closed round of IM Japan, two approved job orders."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import translation

from jembatan.accounts.models import User
from jembatan.demand.factories import JobOrderFactory
from jembatan.demand.models import JobOrder
from jembatan.matching.factories import ClosedRoundFactory, selected_candidate
from jembatan.matching.models import MatchingRun
from jembatan.matching.services.runs import run_approve, run_create
from jembatan.organisations.models import Organisation
from jembatan.participants.models import Participant
from jembatan.selection.models import SelectionRound


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted in English, the source language."""
    with translation.override("en"):
        yield


@pytest.fixture
def closed_round(im_japan: Organisation) -> SelectionRound:
    """IM Japan's closed selection round."""
    return ClosedRoundFactory(name="IM Japan 2026/1", partner=im_japan)


@pytest.fixture
def farm(im_japan: Organisation) -> JobOrder:
    """An approved order of IM Japan: two greenhouse workers."""
    return JobOrderFactory(partner=im_japan, approved=True, slots=2, title="Greenhouse worker")


@pytest.fixture
def factory(im_japan: Organisation) -> JobOrder:
    """An approved order of IM Japan: one welder."""
    return JobOrderFactory(partner=im_japan, approved=True, slots=1, title="Welder")


@pytest.fixture
def candidates(closed_round: SelectionRound) -> list[Participant]:
    """Ani (90, rank 1), Budi (80, rank 2), Citra (70, rank 3), Dedi (60, rank 4)."""
    people = [("Ani", "90"), ("Budi", "80"), ("Citra", "70"), ("Dedi", "60")]
    return [
        selected_candidate(closed_round, score=score, rank=rank, full_name=name)
        for rank, (name, score) in enumerate(people, start=1)
    ]


@pytest.fixture
def start_run(national_officer: User, closed_round: SelectionRound) -> Callable[..., MatchingRun]:
    """Create and execute a run over the closed round and the given job orders."""
    from jembatan.matching.services.execution import execute_run

    def start(*job_orders: JobOrder, method: str = "stable", **kwargs: Any) -> MatchingRun:
        run = run_create(
            name=kwargs.get("name", "Run"),
            method=method,
            rounds=kwargs.get("rounds", [closed_round]),
            job_orders=list(job_orders),
            acting_user=national_officer,
        )
        return execute_run(run.pk)

    return start


@pytest.fixture
def approve(django_capture_on_commit_callbacks: Any) -> Callable[..., MatchingRun]:
    """Approve a run as the click does, then let the queued task create its placements."""

    def approve_now(run: MatchingRun, by: User) -> MatchingRun:
        with django_capture_on_commit_callbacks(execute=True):
            run_approve(run=run, acting_user=by)
        return MatchingRun.objects.get(pk=run.pk)

    return approve_now
