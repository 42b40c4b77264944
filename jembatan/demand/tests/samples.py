"""Sample records for the URL-access walk (core/tests/test_url_access.py): IM Japan's orders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


def draft_job_order_pk(request: pytest.FixtureRequest) -> int:
    """A draft job order of IM Japan (the partner user's organisation)."""
    from jembatan.demand.factories import JobOrderFactory

    return int(JobOrderFactory(partner=request.getfixturevalue("im_japan")).pk)


def published_job_order_pk(request: pytest.FixtureRequest) -> int:
    """An approved job order of IM Japan with open slots (on the public list)."""
    from jembatan.demand.factories import JobOrderFactory

    return int(JobOrderFactory(partner=request.getfixturevalue("im_japan"), approved=True).pk)


def fee_rule_pk(request: pytest.FixtureRequest) -> int:
    """A fee rule in force for Japan's technical intern training."""
    import datetime as dt

    from jembatan.core.models import Country
    from jembatan.demand.services.planning import fee_rule_set

    rule = fee_rule_set(
        country=Country.objects.get(pk="JP"),
        scheme="titp",
        name="Biaya penempatan TITP",
        legal_basis="Permenaker 8/2008",
        valid_from=dt.date(2019, 4, 1),
        acting_user=None,
    )
    return int(rule.pk)


SAMPLES: dict[str, Callable[[pytest.FixtureRequest], Any]] = {
    "demand:fee_rule_pk": fee_rule_pk,
    "demand:pk": draft_job_order_pk,
    "demand:action": lambda request: "submit",
    "jobs:pk": published_job_order_pk,
}
