"""The search by the start of a name has an index on PostgreSQL (a million people)."""

from __future__ import annotations

import pytest
from django.db import connection

from jembatan.participants.factories import ParticipantFactory
from jembatan.participants.models import Participant

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL index"),
]


def test_the_orm_search_by_name_prefix_can_use_the_index() -> None:
    """The index's expression is exactly what ``full_name__istartswith`` asks for."""
    ParticipantFactory.create_batch(3)
    query = Participant.objects.filter(full_name__istartswith="Zz").values("pk")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "participant_name_prefix" in plan, plan
