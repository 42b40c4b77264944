"""``/healthz`` and ``/readyz`` for a load balancer, answered before anything else.

``/healthz``: the process is alive (no database, no session, no personal data).
``/readyz``: the process can serve: the database answers, every migration is
applied, the file storage is writable. Each check is named in the JSON answer;
any failure makes it 503, so a load balancer sends no traffic to a process that
cannot serve it.

The middleware sits first in ``MIDDLEWARE``: a probe comes with the balancer's
own address as its host (not in ``ALLOWED_HOSTS``) and over plain HTTP (before
``SECURE_SSL_REDIRECT``), and must not open a session or write an access log.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse

PATHS = frozenset({"/healthz", "/readyz"})
# Once every migration is applied it stays so until the next deploy restarts the process.
_applied: set[str] = set()


def database_answers() -> bool:
    """Whether a trivial query comes back."""
    try:
        connection.ensure_connection()
    except DatabaseError:
        return False
    return connection.is_usable()


def migrations_applied() -> bool:
    """Whether the database holds every migration this code has."""
    if connection.alias in _applied:
        return True
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return False
    if not pending:
        _applied.add(connection.alias)
    return not pending


def storage_writable() -> bool:
    """Whether a small file can be written to and removed from the file storage."""
    name = f"health/readyz-{uuid.uuid4().hex}.txt"
    try:
        saved = default_storage.save(name, ContentFile(b"ok"))
        default_storage.delete(saved)
    except OSError:
        return False
    return True


CHECKS: dict[str, Callable[[], bool]] = {
    "database": database_answers,
    "migrations": migrations_applied,
    "storage": storage_writable,
}


def readiness() -> dict[str, bool | None]:
    """Each check's answer; without a database the migrations cannot be checked (None)."""
    answers: dict[str, bool | None] = {}
    for name, check in CHECKS.items():
        needs_database = name == "migrations"
        answers[name] = None if needs_database and not answers["database"] else check()
    return answers


WORDS = {True: "ok", False: "failed", None: "not checked"}


class HealthMiddleware:
    """Answer the two probes before hosts, sessions, redirects or access rules."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info not in PATHS or request.method not in {"GET", "HEAD"}:
            return self.get_response(request)
        if request.path_info == "/healthz":
            response: HttpResponse = HttpResponse("ok\n", content_type="text/plain")
        else:
            answers = readiness()
            ready = all(answers.values())
            body = {
                "ready": ready,
                "checks": {name: WORDS[answer] for name, answer in answers.items()},
            }
            response = JsonResponse(body, status=200 if ready else 503)
        response["Cache-Control"] = "no-store"
        return response
