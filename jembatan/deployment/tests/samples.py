"""Sample path arguments for the URL-access walk (core/tests/test_url_access.py).

One small deployment world per test, built on first use and kept on the test's
node: Siti (``participant_jateng``, LPK A, IM Japan) arrived abroad on a
deployment with every step recorded (so its flight has a manifest and its stay
a stage), and another confirmed placement of hers still waiting to be prepared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from jembatan.demand.factories import FeeRuleFactory, JobOrderFactory
from jembatan.demand.models import Placement, PlacementStatus
from jembatan.deployment.factories import abroad, deployment_for, make_ready
from jembatan.deployment.models import StayStage


def deployment_world(request: pytest.FixtureRequest) -> dict[str, Any]:
    cached = getattr(request.node, "_deployment_samples", None)
    if cached is not None:
        return cached
    person = request.getfixturevalue("participant_jateng")
    FeeRuleFactory()
    today = timezone.localdate()
    deployment = make_ready(deployment_for(person))
    abroad(
        deployment,
        departed_on=today - dt.timedelta(days=3),
        arrived_on=today - dt.timedelta(days=2),
    )
    stage = StayStage.objects.create(
        deployment=deployment,
        sequence=1,
        code="lectures",
        name_en="Arrival lectures",
        name_id="Kuliah awal",
        due_on=today + dt.timedelta(days=28),
    )
    waiting = Placement.objects.create(
        job_order=JobOrderFactory(partner=person.partner, approved=True),
        participant=person,
        status=PlacementStatus.CONFIRMED,
    )
    world = {
        "pk": deployment.pk,
        "stage_pk": stage.pk,
        "placement_pk": waiting.pk,
        "flight": "GA874",
        "date": today.isoformat(),
    }
    request.node._deployment_samples = world
    return world


def _sample(key: str) -> Callable[[pytest.FixtureRequest], Any]:
    return lambda request: deployment_world(request)[key]


SAMPLES: dict[str, Callable[[pytest.FixtureRequest], Any]] = {
    "deployment:pk": _sample("pk"),
    "deployment:stage_pk": _sample("stage_pk"),
    "deployment:placement_pk": _sample("placement_pk"),
    "deployment:kind": lambda request: "medical",
    "deployment:action": lambda request: "report_difficulty",
    "deployment:flight": _sample("flight"),
    "deployment:date": _sample("date"),
}
