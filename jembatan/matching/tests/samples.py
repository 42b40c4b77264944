"""Sample records for the URL-access walk (core/tests/test_url_access.py): a finished run.

The run includes an approved job order of IM Japan (the partner user's
organisation) and places the sample participant ``participant_jateng`` on it, so
every role that may read runs has something to see.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone


def finished_run_pk(request: pytest.FixtureRequest) -> int:
    """A finished (done) run placing Siti on an approved job order of IM Japan."""
    from jembatan.demand.factories import JobOrderFactory
    from jembatan.matching.models import MatchingRun, RunOutcome, RunStatus

    job_order = JobOrderFactory(partner=request.getfixturevalue("im_japan"), approved=True)
    run = MatchingRun.objects.create(
        name="Sample run",
        method="stable",
        status=RunStatus.DONE,
        progress=100,
        created_by=request.getfixturevalue("national_officer"),
        created_at=timezone.now(),
        finished_at=timezone.now(),
        candidates=1,
        placed=1,
    )
    run.job_orders.set([job_order])
    participant = request.getfixturevalue("participant_jateng")
    explanation = {"candidate": str(participant.pk), "assigned": str(job_order.pk)}
    RunOutcome.objects.create(
        run=run,
        participant=participant,
        job_order=job_order,
        reason="placed",
        weight=80.0,
        explanation=explanation | {"reason": "placed", "preferred": [], "ineligible": []},
    )
    return run.pk


SAMPLES: dict[str, Callable[[pytest.FixtureRequest], Any]] = {
    "matching:pk": finished_run_pk,
    "matching:participant_pk": lambda request: request.getfixturevalue("participant_jateng").pk,
}
