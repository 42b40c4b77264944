"""Sensitive actions ask for the password again when the last check is old.

Signing in checks the password; so does the confirmation page
(``/akun/konfirmasi/``, in ``accounts``), which also takes a fresh code from
the person's authenticator app instead (two-factor sign-in). Both stamp the session with
:func:`mark_password_checked`. A view decorated with :func:`recent_password`
(a licence sanction, starting or approving a matching run, exporting someone's
personal data) sends the person to that page first when the stamp is older than
``JEMBATAN_PASSWORD_RECHECK_SECONDS``, and back to the view afterwards: someone
who finds a session left open cannot take such a decision without the password.

It lives in ``core`` because the decorated views are in apps below ``accounts``.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast, overload
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

V = TypeVar("V", bound=Callable[..., HttpResponse])
CHECKED_AT = "jembatan_password_checked_at"
CONFIRM_URL_NAME = "accounts:confirm_password"


def mark_password_checked(request: HttpRequest) -> None:
    """Remember in the session that the person has just typed their password."""
    request.session[CHECKED_AT] = time.time()


def password_checked_recently(request: HttpRequest) -> bool:
    """True if the password was checked within ``JEMBATAN_PASSWORD_RECHECK_SECONDS``."""
    checked = request.session.get(CHECKED_AT)
    if not isinstance(checked, int | float):
        return False
    return time.time() - checked <= settings.JEMBATAN_PASSWORD_RECHECK_SECONDS


def confirm_url(next_url: str) -> str:
    """The confirmation page, returning to ``next_url`` once the password is typed."""
    return f"{reverse(CONFIRM_URL_NAME)}?{urlencode({'next': next_url})}"


def _ask(request: HttpRequest) -> HttpResponse:
    target = confirm_url(request.get_full_path())
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


@overload
def recent_password(view: V) -> V: ...


@overload
def recent_password(*, when: Callable[..., bool]) -> Callable[[V], V]: ...


def recent_password(
    view: V | None = None, *, when: Callable[..., bool] | None = None
) -> V | Callable[[V], V]:
    """Ask for the password again before ``view`` runs, if the last check is too old.

    ``when(request, **view_kwargs)`` limits the question to some uses of the view
    (e.g. only the sanctions among a licence's actions). Put it under the access
    declaration: the declaration is copied onto the wrapper either way.
    """

    def decorate(inner: V) -> V:
        @functools.wraps(inner)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            applies = when is None or when(request, *args, **kwargs)
            if applies and not password_checked_recently(request):
                return _ask(request)
            return inner(request, *args, **kwargs)

        return cast(V, wrapper)

    return decorate(view) if view is not None else decorate
