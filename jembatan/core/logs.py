"""Logs: one JSON object a line in production, a request id on every line, no personal data.

- **The request id** names one request in every line it logs, and in the lines of
  the tasks it enqueued. It is the proxy's ``X-Request-ID`` when the request came
  from a trusted proxy (``JEMBATAN_BEHIND_PROXY`` and an address in
  ``JEMBATAN_TRUSTED_PROXIES``) and the value is sane; otherwise a new one. The
  response carries it back (``X-Request-ID``), so a person reporting a problem can
  quote it. ``enqueue`` stores it with a task (a ``request_id`` keyword the task
  accepts through ``@traced``) and the task's lines carry it when the worker runs it.
- **No personal data in a line**: ``PersonalDataFilter`` replaces anything shaped
  like a NIK (16 digits) or an e-mail address in the message, its arguments, the
  extra fields and the traceback before any handler writes it.
- **The format**: ``JEMBATAN_LOG_FORMAT=json`` (production's default) writes JSON
  lines through python-json-logger; ``text`` (elsewhere) one readable line.
"""

from __future__ import annotations

import functools
import logging
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django_tasks.base import Task, TaskResult

P = ParamSpec("P")
T = TypeVar("T")

HEADER = "X-Request-ID"
KEYWORD = "request_id"
_current: ContextVar[str] = ContextVar("jembatan_request_id", default="")
SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")

# A NIK is 16 digits (core/nik.py); a longer run of digits is left alone, a NIK with
# spaces or dots between its groups is caught too. E-mail addresses as people write them.
NIK_LIKE = re.compile(r"(?<![0-9])(?:[0-9][ .-]?){15}[0-9](?![0-9])")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
STANDARD_FIELDS = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    KEYWORD,
}


def current_request_id() -> str:
    """The id of the request (or the task) this code runs for; empty outside both."""
    return _current.get()


@contextmanager
def request_context(request_id: str) -> Iterator[str]:
    """Run the block as ``request_id`` (a new id when it is empty)."""
    value = request_id or uuid.uuid4().hex
    token = _current.set(value)
    try:
        yield value
    finally:
        _current.reset(token)


def masked(text: str) -> str:
    """``text`` with NIK-like numbers and e-mail addresses replaced."""
    return EMAIL.sub("[email]", NIK_LIKE.sub("[nik]", text))


class PersonalDataFilter(logging.Filter):
    """Replace NIK-like numbers and e-mail addresses in everything a record will print."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = masked(record.getMessage())
        record.args = None
        if record.exc_info:
            record.exc_text = masked(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = masked(record.exc_text)
        if record.stack_info:
            record.stack_info = masked(record.stack_info)
        for name, value in list(record.__dict__.items()):
            if name not in STANDARD_FIELDS and isinstance(value, str):
                setattr(record, name, masked(value))
        return True


class RequestIdFilter(logging.Filter):
    """Put the current request id on every record (``-`` outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True


def _from_trusted_proxy(request: HttpRequest) -> bool:
    if not settings.JEMBATAN_BEHIND_PROXY:
        return False
    trusted = {a.strip() for a in settings.JEMBATAN_TRUSTED_PROXIES.split(",") if a.strip()}
    return "*" in trusted or request.META.get("REMOTE_ADDR", "") in trusted


def request_id_of(request: HttpRequest) -> str:
    """The proxy's id when a trusted proxy sent a sane one, else a new one."""
    given = request.headers.get(HEADER, "")
    if given and _from_trusted_proxy(request) and SANE_ID.fullmatch(given):
        return given
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Give each request its id for the logs, and send it back in ``X-Request-ID``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_context(request_id_of(request)) as request_id:
            request.request_id = request_id  # type: ignore[attr-defined]
            response = self.get_response(request)
        response[HEADER] = request_id
        return response


def traced(function: Callable[P, T]) -> Callable[P, T]:
    """Let a task take the ``request_id`` ``enqueue`` stored, and log under it.

    Put it under ``@task()``: the task then runs as the request that enqueued it
    (or as a new id when it was enqueued outside a request).
    """

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        request_id = str(kwargs.pop(KEYWORD, "") or "")
        with request_context(request_id):
            return function(*args, **kwargs)

    return run


def enqueue(task: Task[Any, Any], *args: Any, **kwargs: Any) -> TaskResult[Any]:
    """Enqueue ``task`` (``@traced``) with the current request id, if there is one."""
    request_id = current_request_id()
    if request_id:
        kwargs[KEYWORD] = request_id
    return task.enqueue(*args, **kwargs)
