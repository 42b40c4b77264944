"""Refuse control characters in any request, in one place, before a view sees them.

A NUL byte in a query (``/api/v1/register?q=%00``) or a path (``/verifikasi/%00/``)
reached PostgreSQL, which refuses it: the visitor got a 500. No field of Jembatan
takes a control character other than tab, line feed and carriage return, so a
request carrying one — in its path, its query, its form fields or its JSON body —
is answered 400 with a message in the visitor's language, and nothing is read
further. Files uploaded are not inspected here (their content is checked by the
documents and import code); their names are, as form fields.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

# C0 controls except tab, line feed, carriage return; and DEL.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The same characters written as JSON escapes (\u0000 ... \u001f, \u007f).
JSON_ESCAPE = re.compile(r"\\u00(?:0[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF])")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_control(values: Iterable[str]) -> bool:
    return any(CONTROL.search(value) for value in values)


def _querydict_values(data: object) -> Iterable[str]:
    lists = getattr(data, "lists", None)
    if lists is None:
        return []
    return [text for key, values in lists() for text in (key, *values)]


def carries_control_characters(request: HttpRequest) -> bool:
    """Whether the path, the query, the form fields or the JSON body hold a control character."""
    if CONTROL.search(request.path) or _has_control(_querydict_values(request.GET)):
        return True
    content_type = request.content_type or ""
    if request.method in ("POST", "PUT", "PATCH"):
        if content_type in FORM_TYPES:
            uploads = [f.name or "" for files in request.FILES.lists() for f in files[1]]
            return _has_control(_querydict_values(request.POST)) or _has_control(uploads)
        if content_type == "application/json":
            body = request.body.decode("utf-8", errors="replace")
            return bool(CONTROL.search(body) or JSON_ESCAPE.search(body))
    return False


class RefuseControlCharactersMiddleware:
    """Answer 400, in the visitor's language, to a request carrying a control character."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if too_large(request):  # refused before a byte of the body is read
            return _answer(request, _too_large_message(), 413)
        if carries_control_characters(request):
            return refusal(request)
        return self.get_response(request)


def too_large(request: HttpRequest) -> bool:
    """Whether the declared body is larger than ``JEMBATAN_MAX_REQUEST_BYTES``."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > int(getattr(settings, "JEMBATAN_MAX_REQUEST_BYTES", 60 * 1024 * 1024))


def _too_large_message() -> str:
    limit = int(getattr(settings, "JEMBATAN_MAX_REQUEST_BYTES", 60 * 1024 * 1024))
    return _(
        "The request is larger than %(mb)d MB, the most Jembatan reads; send a smaller file."
    ) % {"mb": limit // (1024 * 1024)}


def refusal(request: HttpRequest) -> HttpResponse:
    message = _(
        "The request contains a control character (such as a NUL byte) that no field "
        "accepts. Remove it and try again."
    )
    return _answer(request, message, 400)


def _answer(request: HttpRequest, message: str, status: int) -> HttpResponse:
    """JSON for the API, a small page for the rest."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return HttpResponse(
        f"<!DOCTYPE html><title>{status}</title><p>{escape(message)}</p>".encode(),
        content_type="text/html; charset=utf-8",
        status=status,
    )
