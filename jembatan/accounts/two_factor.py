"""Two-factor sign-in: who owes a second factor, and holding them until they give it.

After the password, a person signs in with a six-digit code from an
authenticator app (a django-otp TOTP device) or with one of ten recovery codes
(a static device; each works once). It is owed by

* every staff role (everyone but participants) while ``JEMBATAN_TWO_FACTOR_REQUIRED``
  is on — always in production (``config/settings/prod.py`` refuses it off), and
* anyone who has set up an authenticator (participants opt in), whatever the setting.

Signing in notes in the session whether the second factor is owed
(:func:`note_sign_in`, on Django's ``user_logged_in``); django-otp's middleware
knows whether this session gave it (``request.user.is_verified()``).
:class:`TwoFactorMiddleware` sends a person who still owes it to the code
prompt, or to enrolment when they have no authenticator yet, from every page
but the public ones and those marked ``@before_second_factor`` (the two-factor
pages, signing out). The API answers 403 ``two_factor_required`` instead
(``jembatan/api/access.py``). ADR 0014 says why django-otp.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

import qrcode
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathImage

from jembatan.core.access import access_of
from jembatan.core.roles import Role

SESSION_KEY = "jembatan_two_factor_owed"
VERIFY_URL_NAME = "accounts:two_factor_verify"
ENROL_URL_NAME = "accounts:two_factor_enrol"


def required_for(user: Any) -> bool:
    """True if the person's role must sign in with a second factor (every staff role)."""
    return bool(settings.JEMBATAN_TWO_FACTOR_REQUIRED) and getattr(user, "role", None) != (
        Role.PARTICIPANT
    )


def authenticator_of(user: Any) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_of(user: Any) -> StaticDevice | None:
    """The device holding the person's unused recovery codes, if any."""
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def is_verified(user: Any) -> bool:
    """True if this session's person gave the second factor (django-otp's middleware says)."""
    check: Callable[[], bool] | None = getattr(user, "is_verified", None)
    return bool(check()) if check is not None else False


def owes_second_factor(user: Any) -> bool:
    """True if signing in as ``user`` needs the second factor (the role, or an opt-in)."""
    return required_for(user) or authenticator_of(user) is not None


def note_sign_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """On sign-in (``user_logged_in``): note whether this session owes the second factor."""
    request.session[SESSION_KEY] = owes_second_factor(user)


def pending(request: HttpRequest) -> bool:
    """True if the signed-in person still owes this session's second factor."""
    user = request.user
    if not user.is_authenticated or is_verified(user):
        return False
    owed = request.session.get(SESSION_KEY)
    if owed is None:  # a session from before two-factor sign-in
        owed = request.session[SESSION_KEY] = owes_second_factor(user)
    if owed and not required_for(user) and authenticator_of(user) is None:
        # A participant whose authenticator was reset since signing in owes nothing now.
        owed = request.session[SESSION_KEY] = False
    return bool(owed)


def second_factor_url(request: HttpRequest, next_url: str) -> str:
    """The code prompt, or enrolment for someone without an authenticator; then ``next_url``."""
    name = VERIFY_URL_NAME if authenticator_of(request.user) is not None else ENROL_URL_NAME
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def qr_svg(text: str) -> str:
    """A QR code of ``text`` as an inline ``<svg>`` element (no script, no data URI)."""
    image = qrcode.make(
        text, image_factory=SvgPathImage, error_correction=qrcode.constants.ERROR_CORRECT_M
    )
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    return svg[svg.index("<svg") :]


class TwoFactorMiddleware:
    """Hold a person who owes the second factor at the code prompt (after the access rules)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is not None and "api" in match.namespaces:
            return None  # the API's auth answers 403 two_factor_required itself
        access = access_of(view_func)
        if access is not None and (access.public or access.before_second_factor):
            return None
        if not pending(request):
            return None
        if getattr(request, "htmx", False):  # a fragment: send the whole page there instead
            current = urlsplit(request.headers.get("HX-Current-URL", ""))
            page = current.path + (f"?{current.query}" if current.query else "") or "/"
            response = HttpResponse(status=204)
            response["HX-Redirect"] = second_factor_url(request, page)
            return response
        return redirect(second_factor_url(request, request.get_full_path()))
