"""Public pages kept for a short while, for visitors who are not signed in.

The public vacancy list is the page most people open, and without an account. Its
answer depends only on the path, the query, the language and whether htmx asked
for a fragment, so each web process keeps it for ``JEMBATAN_PUBLIC_CACHE_SECONDS``
(``0`` turns this off) in its own ``public_pages`` cache.

What is never shared between visitors:

- anyone with a session cookie (signed in, or in the middle of signing in) or a
  pending message gets the page built for them, and it is not kept;
- the page's CSRF token: it is cut out before the page is kept and each visitor's
  own token is put back, so the language switch keeps working;
- answers other than a plain 200 page (redirects, errors, files, cookies set by the
  view).

Each process forgets on its own, so a change shows on every page within the
period. Nothing else needs the cache: a process that starts empty builds the page.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

CACHE_ALIAS = "public_pages"
# Where a page's CSRF token stood; NUL cannot occur in a page (core/input_guard.py).
TOKEN_MARK = "\x00csrf\x00"  # noqa: S105 (a placeholder, not a secret)
TOKEN_IN_FORM = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{32,64})"')
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")

View = Callable[..., HttpResponse]


def _is_personal(request: HttpRequest) -> bool:
    return any(name in request.COOKIES for name in PERSONAL_COOKIES)


def _key(request: HttpRequest) -> str:
    fragment = "htmx" if request.headers.get("HX-Request") else "page"
    raw = f"{request.get_full_path()}|{get_language()}|{fragment}"
    return "public-page:" + hashlib.sha256(raw.encode()).hexdigest()


def _keepable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and response.get("Content-Type", "").startswith("text/html")
    )


def _kept(response: HttpResponse) -> dict[str, Any]:
    text = response.content.decode(response.charset)
    found = TOKEN_IN_FORM.search(text)
    if found:
        text = text.replace(found.group(1), TOKEN_MARK)
    return {"text": text, "headers": dict(response.headers)}


def _answer(request: HttpRequest, kept: dict[str, Any]) -> HttpResponse:
    text = kept["text"]
    if TOKEN_MARK in text:
        text = text.replace(TOKEN_MARK, get_token(request))
    return HttpResponse(text, headers=kept["headers"])


def kept_for_visitors(view: View) -> View:
    """Serve a public page from the process's cache to visitors who are not signed in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seconds = settings.JEMBATAN_PUBLIC_CACHE_SECONDS
        if not seconds or request.method != "GET" or _is_personal(request):
            return view(request, *args, **kwargs)
        cache = caches[CACHE_ALIAS]
        key = _key(request)
        kept = cache.get(key)
        if kept is not None:
            return _answer(request, kept)
        response = view(request, *args, **kwargs)
        render = getattr(response, "render", None)
        if callable(render):
            render()  # a TemplateResponse: the text is needed now
        if _keepable(response):
            cache.set(key, _kept(response), seconds)
        return response

    return wrapper
