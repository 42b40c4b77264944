"""Two simultaneous registrations of one NIK: one record, and a friendly error for the other.

Runs on real transactions and threads (each thread has its own connection).
The pre-insert check is made to miss the other request, so both requests reach
the INSERT and the database's unique index decides. PostgreSQL only: the test
SQLite database lives in a shared-cache memory file whose table locks fail at
once instead of waiting, unlike the file database Jembatan runs on. The same
IntegrityError path is tested on both databases in test_register_service.py.
"""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from jembatan.participants.models import Participant
from jembatan.participants.services import registry
from jembatan.participants.tests.conftest import details

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_simultaneous_registrations_of_one_nik_make_one_record_and_one_friendly_error(
    sender_operator, lpk_a, privacy_notice, monkeypatch
) -> None:
    monkeypatch.setattr(registry, "_nik_taken_before_insert", lambda nik: False)
    start = threading.Barrier(2)
    results: list[object] = []

    def register(name: str) -> None:
        try:
            start.wait()
            outcome = registry.participant_register(
                details=details(full_name=name),
                sending_organisation=lpk_a,
                acting_user=sender_operator,
                privacy_notice=privacy_notice,
            )
            results.append(outcome.participant.full_name)
        except ValidationError as error:
            results.append(error.message_dict)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(n,)) for n in ("Andi Satu", "Andi Dua")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert Participant.objects.count() == 1
    winner = Participant.objects.get().full_name
    assert sorted(results, key=str) == sorted(
        [winner, {"nik": ["This NIK is already registered."]}], key=str
    )
