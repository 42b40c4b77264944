"""A lookup compiled once per database reads what the ORM reads, and refuses what it can't."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jembatan.accounts.factories import UserFactory
from jembatan.accounts.models import User
from jembatan.core.audit import ACCESS_FIELDS
from jembatan.core.compiled import CompiledInsert, CompiledLookup
from jembatan.core.models import AccessLog
from jembatan.core.roles import Role

pytestmark = pytest.mark.django_db


def _values(user: User) -> dict[str, object]:
    return {f.attname: getattr(user, f.attname) for f in User._meta.concrete_fields}


def test_a_row_read_by_key_is_the_row_the_orm_reads(provincial_officer: User) -> None:
    User.objects.filter(pk=provincial_officer.pk).update(last_login=timezone.now())
    expected = User.objects.get(pk=provincial_officer.pk)
    found = CompiledLookup(User, "pk").first(provincial_officer.pk)
    assert found is not None
    assert _values(found) == _values(expected)
    # The database's own converters ran: booleans are booleans, moments are aware.
    assert found.is_active is True and found.is_superuser is False
    assert found.last_login is not None and timezone.is_aware(found.last_login)
    assert found.province_id == provincial_officer.province_id
    assert found._state.adding is False and found._state.db == "default"


def test_each_call_runs_the_same_statement_with_its_own_values() -> None:
    first: User = UserFactory.create(role=Role.AUDITOR)
    second: User = UserFactory.create(role=Role.AUDITOR)
    by_id = CompiledLookup(User, "pk")
    with CaptureQueriesContext(connection) as queries:
        assert by_id.first(first.pk) == first
        assert by_id.first(second.pk) == second
        assert by_id.first(second.pk + 1000) is None
    assert len(queries) == 3
    statements = {re.sub(r"= \d+$", "= ?", q["sql"]) for q in queries}
    assert len(statements) == 1  # one statement, three sets of values


def test_lookups_keep_their_order_and_compare_prepared_values() -> None:
    now = timezone.now()
    Session.objects.create(
        session_key="live-key-1", session_data="a", expire_date=now + dt.timedelta(hours=1)
    )
    Session.objects.create(
        session_key="dead-key-1", session_data="b", expire_date=now - dt.timedelta(seconds=1)
    )
    live = CompiledLookup(Session, "session_key", "expire_date__gt", only=("session_data",))
    found = live.first("live-key-1", now)
    assert found is not None and found.session_data == "a"
    assert found.get_deferred_fields() == {"expire_date"}
    assert live.first("dead-key-1", now) is None  # expired a second ago
    assert live.first("live-key-1", now + dt.timedelta(hours=2)) is None  # later than its expiry
    assert live.first("no-such-key", now) is None


def test_a_lookup_whose_parameters_the_orm_rewrites_is_refused(auditor: User) -> None:
    # ``contains`` wraps the value in wildcards: running it as given would be a different question.
    with pytest.raises(ImproperlyConfigured, match="not the fields' prepared values"):
        CompiledLookup(User, "username__contains").first(auditor.username)


def test_one_value_per_lookup() -> None:
    with pytest.raises(TypeError, match="2 values expected, 1 given"):
        CompiledLookup(Session, "session_key", "expire_date__gt").first("key")


def test_an_inserted_row_holds_what_the_orm_would_write(
    provincial_officer: User, auditor: User
) -> None:
    at = timezone.now()
    subject = ContentType.objects.get_for_model(User)
    entry = CompiledInsert(AccessLog, *ACCESS_FIELDS)
    nobody = {
        **dict.fromkeys(["actor_id", "content_type_id", "ip_address"]),
        **dict.fromkeys(["actor_role", "method", "path", "object_id"], ""),
    }
    with CaptureQueriesContext(connection) as queries:
        entry.run(
            at=at,
            actor=auditor,
            actor_label="agus",
            actor_role="auditor",
            purpose="test.read",
            method="GET",
            path="/peserta/?q=siti",
            content_type=subject,
            object_id=str(provincial_officer.pk),
            ip_address="10.0.0.7",
        )
        entry.run(at=at, actor_label="-", purpose="test.none", **nobody)
    assert len(queries) == 2 and all(q["sql"].startswith("INSERT") for q in queries)
    read = AccessLog.objects.get(purpose="test.read")
    assert (read.at, read.actor, read.content_type, read.ip_address) == (
        at,
        auditor,
        subject,
        "10.0.0.7",
    )
    assert (read.actor_label, read.path, read.object_id) == (
        "agus",
        "/peserta/?q=siti",
        str(provincial_officer.pk),
    )
    none = AccessLog.objects.get(purpose="test.none")
    assert none.actor is None and none.content_type is None and none.ip_address is None


def test_an_insert_names_every_field_once(auditor: User) -> None:
    entry = CompiledInsert(AccessLog, "at", "actor", "purpose")
    with pytest.raises(TypeError, match=r"values for \['purpose'\] missing, for \['role'\]"):
        entry.run(at=timezone.now(), actor=auditor, role="auditor")
    assert not AccessLog.objects.exists()
