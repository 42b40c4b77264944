"""Concurrency: the last place of a batch goes to one person; certificate numbers never
repeat and leave no gaps.

PostgreSQL: real row locks, threads racing. SQLite serialises write
transactions instead (``transaction_mode=IMMEDIATE``); its in-memory test
database answers "locked" at once rather than waiting, so there each thread
retries its whole transaction, as a busy client would. Either way a
rolled-back transaction gives its number back, which is what keeps the
series gapless.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, connections, transaction

from jembatan.accounts.factories import UserFactory
from jembatan.core.roles import Role
from jembatan.organisations.factories import LicenceFactory, OrganisationFactory
from jembatan.organisations.models import OrganisationKind
from jembatan.participants.factories import ParticipantFactory
from jembatan.participants.models import JourneyStatus
from jembatan.training.factories import BatchFactory, ProgrammeFactory
from jembatan.training.models import CertificateSeries, Enrolment
from jembatan.training.services import programmes
from jembatan.training.services.certification import format_number, next_number

THREADS = 8
pytestmark = pytest.mark.usefixtures("audit_rows_cleared_after")
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks")


def _retrying(work: Callable[[], Any]) -> Any:
    """Run ``work`` in a transaction; on SQLite's "locked", roll back and run it again."""
    for attempt in range(400):
        try:
            with transaction.atomic():
                return work()
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            time.sleep(0.005 * (1 + attempt % 7))
    raise AssertionError("never got the write lock")


def _race(work: Callable[[int], Any], n: int) -> list[Any]:
    start = threading.Barrier(n)
    outcomes: list[Any] = []

    def run(i: int) -> None:
        try:
            start.wait()
            outcomes.append(_retrying(lambda: work(i)))
        except ValidationError as refused:
            outcomes.append(refused.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_numbers_are_consecutive_without_gaps_or_repeats() -> None:
    numbers = _race(lambda i: next_number(2026), THREADS)
    assert sorted(numbers) == [format_number(2026, n) for n in range(1, THREADS + 1)]
    assert CertificateSeries.objects.get(year=2026).last_number == THREADS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rolled_back_issue_gives_its_number_back() -> None:
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        assert next_number(2027) == "JBT/2027/000001"
        raise Abort
    with transaction.atomic():
        assert next_number(2027) == "JBT/2027/000001"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_for_the_last_places_fills_the_batch_exactly() -> None:
    ContentType.objects.clear_cache()  # an earlier flushing test may have renumbered them
    blk = OrganisationFactory(kind=OrganisationKind.BLK, name="BLK Race")
    lpk = OrganisationFactory(name="LPK Race")
    LicenceFactory(organisation=lpk)
    operator = UserFactory(role=Role.TRAINING_OPERATOR, organisation=blk)
    batch = BatchFactory(programme=ProgrammeFactory(organisation=blk, capacity=3), capacity=3)
    people = [
        ParticipantFactory(
            status=JourneyStatus.VERIFIED, sending_organisation=lpk, training_centre=blk
        )
        for _ in range(THREADS)
    ]
    outcomes = _race(
        lambda i: programmes.enrol(batch=batch, participant=people[i], acting_user=operator).pk,
        THREADS,
    )
    refused = [o for o in outcomes if isinstance(o, str)]
    assert len(outcomes) == THREADS
    assert refused == ["The batch is full (3 places)."] * (THREADS - 3)
    assert Enrolment.objects.filter(batch=batch).count() == 3
    in_training = [p for p in people if _status(p) == JourneyStatus.IN_TRAINING]
    assert len(in_training) == 3


def _status(person: Any) -> str:
    person.refresh_from_db()
    return str(person.status)


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_postgresql_the_series_row_is_locked_while_a_number_is_taken() -> None:
    """The second transaction waits on the row lock instead of reading the old value."""
    taken = threading.Event()
    release = threading.Event()
    second: list[str] = []

    def first() -> None:
        with transaction.atomic():
            next_number(2030)
            taken.set()
            release.wait(10)
        connections.close_all()

    def later() -> None:
        taken.wait(10)
        with transaction.atomic():
            second.append(next_number(2030))
        connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=later)]
    for thread in threads:
        thread.start()
    taken.wait(10)
    threads[1].join(timeout=0.5)
    assert second == []  # still waiting for the lock
    release.set()
    for thread in threads:
        thread.join(timeout=10)
    assert second == ["JBT/2030/000002"]
