"""Two officers (or one double click) granting the same licence at once make one decision.

The service locks the licence row before it checks the status, so the second
request waits for the first to commit, then finds the licence granted and is
refused. SQLite has no row locks (it serialises whole write transactions), so
the threaded test runs on PostgreSQL; the sequential one runs everywhere.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections
from django.utils import timezone

from jembatan.accounts.factories import UserFactory
from jembatan.core.roles import Role
from jembatan.core.transitions import TransitionRefused
from jembatan.organisations.factories import LicenceFactory, OrganisationFactory
from jembatan.organisations.models import DecisionKind, LicenceDecision, LicenceStatus
from jembatan.organisations.services import licence_applications

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL"
)


def _grant(licence: Any, officer: Any, outcomes: list[str], start: threading.Barrier) -> None:
    try:
        start.wait()
        licence_applications.licence_grant(
            licence=licence,
            number="KEP.55/LN/2026",
            valid_from=timezone.localdate(),
            valid_to=timezone.localdate() + dt.timedelta(days=365),
            reason="Requirements met.",
            acting_user=officer,
        )
        outcomes.append("granted")
    except TransitionRefused:
        outcomes.append("refused")
    finally:
        connections.close_all()


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_grants_make_one_decision() -> None:
    ContentType.objects.clear_cache()  # an earlier flushing test may have renumbered them
    officer = UserFactory(role=Role.NATIONAL_OFFICER)
    licence = LicenceFactory(
        organisation=OrganisationFactory(),
        status=LicenceStatus.UNDER_REVIEW,
        number="",
        valid_from=None,
        valid_to=None,
    )
    outcomes: list[str] = []
    start = threading.Barrier(2)
    threads = [
        threading.Thread(target=_grant, args=(licence, officer, outcomes, start)) for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["granted", "refused"]
    assert LicenceDecision.objects.filter(kind=DecisionKind.GRANT).count() == 1
