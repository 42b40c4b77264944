"""``/healthz`` and ``/readyz`` for a load balancer, answered before anything else.

``/healthz``: the process is alive (no database, no session, no personal data).
``/readyz``: the process can serve: the database answers, every migration is
applied, the file storage is writable, and a task worker beat within
``JEMBATAN_WORKER_SEEN_SECONDS`` (checked only where tasks go through the database
backend, and not at all when that setting is 0). Each check is named in the JSON answer;
any failure makes it 503, so a load balancer sends no traffic to a process that
cannot serve it.

The middleware sits first in ``MIDDLEWARE``: a probe comes with the balancer's
own address as its host (not in ``ALLOWED_HOSTS``) and over plain HTTP (before
``SECURE_SSL_REDIRECT``), and must not open a session or write an access log.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from jembatan.core.models import TaskWorker

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
    except Exception:  # any backend's failure: a full disk, a bucket refused or unreachable
        return False
    return True


def worker_seen() -> bool:
    """Whether a ``jembatan worker`` that did not stop beat within the allowed time."""
    since = timezone.now() - dt.timedelta(seconds=settings.JEMBATAN_WORKER_SEEN_SECONDS)
    try:
        beating = TaskWorker.objects.filter(stopped_at__isnull=True, last_seen_at__gte=since)
        return beating.exists()
    except DatabaseError:
        return False


def workers_expected() -> bool:
    """Tasks wait for a worker (the database backend) and the check is not turned off."""
    uses_queue = isinstance(task_backends["default"], DatabaseBackend)
    return uses_queue and settings.JEMBATAN_WORKER_SEEN_SECONDS > 0


CHECKS: dict[str, Callable[[], bool]] = {
    "database": database_answers,
    "migrations": migrations_applied,
    "storage": storage_writable,
    "worker": worker_seen,
}
NEED_DATABASE = frozenset({"migrations", "worker"})


def readiness() -> dict[str, bool | None]:
    """Each check's answer; without a database the migrations and workers cannot be
    checked (None). The worker check is left out where no worker is expected."""
    answers: dict[str, bool | None] = {}
    for name, check in CHECKS.items():
        if name == "worker" and not workers_expected():
            continue
        needs_database = name in NEED_DATABASE
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
