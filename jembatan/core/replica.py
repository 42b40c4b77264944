"""Reads of read-heavy pages from a PostgreSQL read replica, when one is configured.

With ``DATABASE_REPLICA_URL`` set, the settings add the ``replica`` database and name
it in ``JEMBATAN_REPLICA``. A view marked ``@reads_replica`` (dashboards, long lists,
public pages: pages that only read) then reads from the replica while it runs and
while its template renders; everything else reads and writes the primary:

- every write, and every read inside a transaction on the primary (a service's
  reads before it writes must see the primary);
- sessions, users, sign-in lockouts and the audit trail (who is signed in, and the
  record that a person read personal data, are never a replica's stale copy);
- every view not marked, and all of the work done outside a request.

A replica runs a little behind the primary (streaming replication,
docs/operations.md): a marked page may show a change a second late, never refuse
one. Without a replica the router answers nothing and Django uses the primary.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.http import HttpResponse
from django.template.response import SimpleTemplateResponse

P = ParamSpec("P")
_reading: ContextVar[bool] = ContextVar("jembatan_read_replica", default=False)
# Read from the primary always: who is signed in, lockouts, and the audit trail.
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "accounts", "axes", "contenttypes"})
PRIMARY_ONLY_MODELS = frozenset({"core.changerecord", "core.accesslog"})


@contextmanager
def replica_reads() -> Iterator[None]:
    """Let the block's reads go to the replica (where one is configured)."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def reads_replica(view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
    """Mark a view that only reads: its queries (and its template's) may use the replica."""

    @functools.wraps(view)
    def marked(*args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        with replica_reads():
            response = view(*args, **kwargs)
            if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
                response.render()  # the template's lazy querysets run here, on the replica
        return response

    return marked


def replica_alias() -> str | None:
    """The replica's alias, if one is configured."""
    alias = getattr(settings, "JEMBATAN_REPLICA", None)
    return alias if alias and alias in connections.settings else None


class ReplicaRouter:
    """Send a marked page's reads to the replica; everything else to the primary."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        alias = replica_alias()
        if alias is None or not _reading.get():
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None  # inside a transaction: read what the transaction will write on
        meta = model._meta
        if meta.app_label in PRIMARY_ONLY_APPS or meta.label_lower in PRIMARY_ONLY_MODELS:
            return None
        return alias

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, first: Model, second: Model, **hints: Any) -> bool | None:
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db == DEFAULT_DB_ALIAS  # the replica follows the primary's schema by itself
