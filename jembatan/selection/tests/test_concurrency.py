"""Concurrency: a double submission of one result writes one row; two examiners racing on
the same candidate are served one after the other (the candidacy row is locked).

PostgreSQL: real row locks, threads racing. SQLite serialises write transactions
instead; its in-memory test database answers "locked" at once rather than waiting,
so each thread retries its whole transaction, as a busy client would.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, connections, transaction

from jembatan.accounts.models import User
from jembatan.selection.models import Candidacy, RoundStage, Score
from jembatan.selection.services.scoring import score_record

THREADS = 6


@pytest.fixture
def audit_rows_cleared_after(transactional_db: None) -> Iterator[None]:
    """Empty the append-only audit tables (triggers lifted) so the test's flush can run."""
    ContentType.objects.clear_cache()  # an earlier flushing test may have renumbered them
    yield
    from jembatan.core.models import AccessLog, ChangeRecord
    from jembatan.core.tests.browser import audit_triggers_lifted

    with audit_triggers_lifted(), connection.cursor() as cursor:
        for model in (ChangeRecord, AccessLog):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")


pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("audit_rows_cleared_after"),
]


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


def _submit(candidacy: Candidacy, stage: RoundStage, by: User, value: str) -> Any:
    return score_record(
        candidacy=candidacy,
        stage=stage,
        value=value,
        passed=None,
        note="",
        correction_reason="",
        acting_user=by,
    )


@pytest.fixture
def waiting(
    enrolled: list[Candidacy], stages: list[RoundStage], national_officer: User
) -> Candidacy:
    """Ani, through the administrative check, waiting for the written test."""
    score_record(
        candidacy=enrolled[0],
        stage=stages[0],
        value=None,
        passed=True,
        note="",
        correction_reason="",
        acting_user=national_officer,
    )
    return enrolled[0]


def test_the_same_result_submitted_at_once_many_times_is_written_once(
    waiting: Candidacy, stages: list[RoundStage], training_operator: User
) -> None:
    outcomes = _race(lambda i: _submit(waiting, stages[1], training_operator, "75"), THREADS)
    assert sorted(o.created for o in outcomes) == [False] * (THREADS - 1) + [True]
    assert Score.objects.filter(candidacy=waiting, stage=stages[1]).count() == 1


def test_two_different_first_results_at_once_keep_one_and_refuse_the_other(
    waiting: Candidacy, stages: list[RoundStage], training_operator: User
) -> None:
    outcomes = _race(lambda i: _submit(waiting, stages[1], training_operator, ("70", "80")[i]), 2)
    kept = Score.objects.get(candidacy=waiting, stage=stages[1])
    refusal = next(o for o in outcomes if isinstance(o, str))
    assert refusal == (
        f"This stage already has a result ({kept.value:.0f} (passed)). To correct it, give the "
        "reason for the correction."
    )
