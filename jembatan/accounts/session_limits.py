"""Sessions end after a while without activity and after a maximum age.

Staff: ``JEMBATAN_SESSION_IDLE_SECONDS`` without a request, or
``JEMBATAN_SESSION_MAX_SECONDS`` after signing in; participants have their own
pair (``JEMBATAN_PARTICIPANT_SESSION_*``). :class:`SessionLimitsMiddleware`
ends such a session before any view runs and says why; the access rules then
send the person to the sign-in page, which returns them to where they were.

Signing in (the form, or ``Client.force_login`` in tests: both send Django's
``user_logged_in``) starts the clocks and counts as a password check for the
sensitive actions (:mod:`jembatan.core.password_check`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from jembatan.core.password_check import mark_password_checked
from jembatan.core.roles import Role

SIGNED_IN_AT = "jembatan_signed_in_at"
SEEN_AT = "jembatan_seen_at"
# How often the "last seen" stamp is rewritten, at most (a session write per request is waste).
TOUCH_EVERY_SECONDS = 60


@dataclass(frozen=True)
class Limits:
    """How long a session may stay unused, and how long it may last at all (seconds)."""

    idle: int
    maximum: int


def limits_for(user: Any) -> Limits:
    """The participants' limits for a participant, the staff limits for everyone else."""
    if getattr(user, "role", None) == Role.PARTICIPANT:
        return Limits(
            settings.JEMBATAN_PARTICIPANT_SESSION_IDLE_SECONDS,
            settings.JEMBATAN_PARTICIPANT_SESSION_MAX_SECONDS,
        )
    return Limits(settings.JEMBATAN_SESSION_IDLE_SECONDS, settings.JEMBATAN_SESSION_MAX_SECONDS)


def session_started(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """On sign-in: start the clocks; the password was just checked (``user_logged_in``)."""
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[SEEN_AT] = now
    mark_password_checked(request)


def ended_because(request: HttpRequest, now: float) -> str | None:
    """Why the session is over ("idle" or "maximum"), or None while it may go on."""
    limits = limits_for(request.user)
    session = request.session
    signed_in_at = session.get(SIGNED_IN_AT)
    seen_at = session.get(SEEN_AT)
    if not isinstance(signed_in_at, int | float) or not isinstance(seen_at, int | float):
        # A session from before these limits: its clocks start now.
        session[SIGNED_IN_AT] = session[SEEN_AT] = now
        return None
    if now - signed_in_at > limits.maximum:
        return "maximum"
    if now - seen_at > limits.idle:
        return "idle"
    if now - seen_at >= min(TOUCH_EVERY_SECONDS, limits.idle // 10):
        session[SEEN_AT] = now
    return None


REASONS = {
    "idle": lambda: _(
        "You were signed out because the page was not used for a while. Sign in again to continue."
    ),
    "maximum": lambda: _(
        "You were signed out because your session reached its maximum length. Sign in again "
        "to continue."
    ),
}


class SessionLimitsMiddleware:
    """End a signed-in session that was idle or lasted too long, and say why."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            reason = ended_because(request, time.time())
            if reason is not None:
                logout(request)
                messages.info(request, REASONS[reason]())
                if getattr(request, "htmx", False):
                    return _htmx_to_login(request)
        return self.get_response(request)


def _htmx_to_login(request: HttpRequest) -> HttpResponse:
    """htmx swaps fragments: send the whole page to the sign-in form instead."""
    current = urlsplit(request.headers.get("HX-Current-URL", ""))
    page = current.path + (f"?{current.query}" if current.query else "") or "/"
    response = HttpResponse(status=204)
    response["HX-Redirect"] = redirect_to_login(page)["Location"]
    return response
