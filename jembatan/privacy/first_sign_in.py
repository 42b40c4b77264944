"""The privacy notice first: a participant who must confirm it sees nothing else until they do.

``NoticeFirstMiddleware`` sends a signed-in participant who still has to give
their own answer (``notice.awaiting_confirmation``) to the notice page from any
other page; signing out, the language switch and the public record of
processing stay open. The answer, once given, is remembered in the session so
the check costs one query per session, not per request.

``JEMBATAN_NOTICE_FIRST`` (default on) switches it off: the test settings do,
because the factories' participants have no consent at all and every other
app's tests of participants' pages would stop at the notice; the notice's own
tests switch it on.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from jembatan.core.access import role_of
from jembatan.core.roles import Role
from jembatan.participants.models import Participant
from jembatan.privacy.notice import awaiting_confirmation

SESSION_KEY = "privacy_notice_answered"
OPEN = frozenset(
    {
        "personal_data:notice",
        "personal_data:processing",
        "accounts:logout",
        "accounts:set_language",
        "accounts:password_change",
    }
)


def _open(request: HttpRequest) -> bool:
    if request.path_info.startswith("/api/"):  # the API answers its own clients, never a page
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return True
    return match.view_name in OPEN


def must_answer(request: HttpRequest) -> bool:
    """Whether the signed-in person still has to answer the notice (remembered once not)."""
    user = request.user
    if not user.is_authenticated or role_of(user) != Role.PARTICIPANT:
        return False
    if request.session.get(SESSION_KEY):
        return False
    participant = Participant.objects.filter(user=user).first()
    if participant is None or not awaiting_confirmation(participant):
        request.session[SESSION_KEY] = True
        return False
    return True


class NoticeFirstMiddleware:
    """Every page of a participant who has to answer the notice waits for the answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        enabled = getattr(settings, "JEMBATAN_NOTICE_FIRST", True)
        if enabled and not _open(request) and must_answer(request):
            return redirect("personal_data:notice")
        return self.get_response(request)
