"""The session engine: Django's database sessions, read by a statement compiled once.

Every signed-in request reads its session before anything else. Django's store
builds and compiles the same queryset each time (about 0.3 ms of Python); this
store asks the same question — the session with this key that has not expired —
through :class:`jembatan.core.compiled.CompiledLookup`. Writing, rotating and
deleting sessions are Django's own.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from jembatan.core.compiled import CompiledLookup

_LIVE = CompiledLookup(Session, "session_key", "expire_date__gt", only=("session_data",))


class SessionStore(DatabaseSessionStore):
    """Database sessions (``SESSION_ENGINE = "jembatan.accounts.sessions"``)."""

    def _get_session_from_db(self) -> Any:
        session = (
            None if self.session_key is None else _LIVE.first(self.session_key, timezone.now())
        )
        if session is None:
            self._session_key = None  # as Django's store does: a new key on the next save
        return session
