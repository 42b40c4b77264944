"""Read-heavy pages read from the replica; writes, transactions, sessions and users never do.

The test settings configure ``replica`` as a mirror of the test database
(``TEST: {"MIRROR": "default"}``), so both aliases hold the same rows; which
connection each query went through shows where the router sent it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jembatan.core.models import AccessLog, Region
from jembatan.core.replica import ReplicaRouter, replica_reads

# Transactional: the replica is a second connection, which sees only committed rows (as a
# real replica does); serialized_rollback brings the reference data back for later tests.
pytestmark = [
    pytest.mark.django_db(
        transaction=True, serialized_rollback=True, databases=["default", "replica"]
    ),
    pytest.mark.usefixtures("audit_rows_cleared_after"),
]


@pytest.fixture
def audit_rows_cleared_after() -> Iterator[None]:
    """Empty the append-only audit tables (triggers lifted) so the test's flush can run."""
    yield
    from django.db import connection

    from jembatan.core.models import ChangeRecord
    from jembatan.core.tests.browser import audit_triggers_lifted

    with audit_triggers_lifted(), connection.cursor() as cursor:
        for model in (ChangeRecord, AccessLog):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")


@pytest.fixture
def replica_on(settings: Any) -> None:
    settings.JEMBATAN_REPLICA = "replica"


def _run(client: Any, url: str) -> tuple[int, list[str], list[str]]:
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        status = client.get(url).status_code
    return (
        status,
        [q["sql"] for q in primary.captured_queries],
        [q["sql"] for q in replica.captured_queries],
    )


@pytest.mark.usefixtures("replica_on")
def test_the_public_vacancy_list_reads_from_the_replica(client_for) -> None:
    status, primary, replica = _run(client_for(None), reverse("jobs:list"))

    assert status == 200
    assert any("demand_joborder" in sql for sql in replica)
    assert not any("demand_joborder" in sql for sql in primary)


@pytest.mark.usefixtures("replica_on")
def test_a_marked_list_reads_people_from_the_replica_and_the_user_and_session_from_the_primary(
    client_for, national_officer, participant_jateng
) -> None:
    status, primary, replica = _run(client_for(national_officer), reverse("participants:list"))

    assert status == 200
    assert any("participants_participant" in sql for sql in replica)
    assert any("django_session" in sql for sql in primary)
    assert any("accounts_user" in sql for sql in primary)
    assert not any("django_session" in sql or "accounts_user" in sql for sql in replica)


@pytest.mark.usefixtures("replica_on")
def test_the_access_log_of_a_replica_page_is_written_to_the_primary(
    client_for, national_officer, participant_jateng
) -> None:
    status, primary, replica = _run(client_for(national_officer), reverse("participants:list"))

    assert status == 200
    writes = ("INSERT", "UPDATE", "DELETE")
    assert not any(sql.lstrip().upper().startswith(writes) for sql in replica)
    assert any(sql.startswith("INSERT") and "core_accesslog" in sql for sql in primary)


@pytest.mark.usefixtures("replica_on")
def test_a_page_that_is_not_marked_reads_only_the_primary(
    client_for, national_officer, participant_jateng
) -> None:
    url = reverse("participants:detail", args=[participant_jateng.pk])
    status, _primary, replica = _run(client_for(national_officer), url)

    assert status == 200
    assert replica == []


@pytest.mark.usefixtures("replica_on")
def test_inside_a_transaction_reads_stay_on_the_primary() -> None:
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(Region) == "replica"
        with transaction.atomic():
            assert router.db_for_read(Region) is None
        assert router.db_for_write(Region) == "default"
        assert router.db_for_read(AccessLog) is None  # the audit trail: primary only


def test_without_a_replica_configured_nothing_goes_to_it(client_for) -> None:
    status, _primary, replica = _run(client_for(None), reverse("jobs:list"))
    assert status == 200
    assert replica == []
    with replica_reads():
        assert ReplicaRouter().db_for_read(Region) is None
