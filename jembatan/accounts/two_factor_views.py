"""Two-factor sign-in pages: the code prompt, enrolment, recovery codes, the admin's reset."""

from __future__ import annotations

import secrets
from base64 import b32encode
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from jembatan.accounts.forms import (
    EnrolForm,
    SecondFactorForm,
    SecondFactorResetForm,
    TwoFactorOffForm,
    UserLookupForm,
)
from jembatan.accounts.lockout import lockout_response
from jembatan.accounts.models import User
from jembatan.accounts.selectors import accounts_matching, second_factor_state
from jembatan.accounts.services import (
    recovery_codes_renew,
    two_factor_disable,
    two_factor_enrol,
    two_factor_reset,
)
from jembatan.accounts.two_factor import (
    authenticator_of,
    is_verified,
    pending,
    qr_svg,
    required_for,
    second_factor_url,
)
from jembatan.accounts.views import safe_next
from jembatan.core.access import allow, before_second_factor, own_session, signed_in
from jembatan.core.audit import record_access
from jembatan.core.paging import keyset_page, parse_cursor
from jembatan.core.password_check import mark_password_checked
from jembatan.core.refusals import attempt
from jembatan.core.roles import Role

ENROL_KEY = "jembatan_two_factor_key"  # the key being set up, until its first code proves it


def mark_verified(request: HttpRequest, device: Any) -> None:
    """This session gave the second factor: a new session key, and a fresh identity check."""
    request.session.cycle_key()
    otp_login(request, device)
    mark_password_checked(request)


def _locked(request: HttpRequest) -> bool:
    return bool(AxesProxyHandler.is_locked(request, {"username": request.user.get_username()}))


@before_second_factor
@own_session
@signed_in
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The code that finishes signing in; too many wrong ones lock the account and sign out."""
    target = safe_next(request)
    if not pending(request):
        return redirect(target)
    if authenticator_of(request.user) is None:
        return redirect(second_factor_url(request, target))
    if _locked(request):
        logout(request)
        return lockout_response(request)
    form = SecondFactorForm(request, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            mark_verified(request, form.device)
            return redirect(target)
        if getattr(request, "axes_locked_out", False):
            logout(request)  # axes' middleware answers with the lockout page
    return TemplateResponse(
        request, "accounts/two_factor_verify.html", {"form": form, "next": target}
    )


def _grouped(key: str) -> str:
    """The key as an app asks for it when typed: base32, in groups of four."""
    text = b32encode(bytes.fromhex(key)).decode("ascii")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@before_second_factor
@own_session
@signed_in
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the code (or type the key), then type its first code."""
    target = safe_next(request)
    if authenticator_of(request.user) is not None:
        return redirect(reverse("accounts:two_factor") if is_verified(request.user) else target)
    key = request.session.get(ENROL_KEY) or secrets.token_hex(20)
    request.session[ENROL_KEY] = key
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: two_factor_enrol(
                acting_user=request.user,  # type: ignore[arg-type]
                key=key,
                code=form.cleaned_data["code"],
                request=request,
            ),
        )
        if done is not None:
            device, codes = done
            del request.session[ENROL_KEY]
            mark_verified(request, device)
            return _show_codes(request, codes, target, first=True)
    user: Any = request.user
    app = TOTPDevice(user=user, key=key)  # unsaved: only for the app's link
    context = {
        "form": form,
        "next": target,
        "qr": qr_svg(app.config_url),
        "key": _grouped(key),
        "required": required_for(request.user),
    }
    return TemplateResponse(request, "accounts/two_factor_enrol.html", context)


def _show_codes(
    request: HttpRequest, codes: list[str], target: str, *, first: bool
) -> HttpResponse:
    context = {"codes": codes, "next": target, "first": first}
    return TemplateResponse(request, "accounts/recovery_codes.html", context)


@own_session
@signed_in
def two_factor(request: HttpRequest) -> HttpResponse:
    """One's own two-factor sign-in: whether it is on, recovery codes left, turning it on or off."""
    user: Any = request.user
    context = {"state": second_factor_state(user), "off_form": TwoFactorOffForm(request)}
    return TemplateResponse(request, "accounts/two_factor.html", context)


@own_session
@signed_in
@require_POST
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    """Ten new recovery codes, shown once; the old ones stop working."""
    codes = attempt(
        request,
        None,
        lambda: recovery_codes_renew(acting_user=request.user, request=request),  # type: ignore[arg-type]
    )
    if codes is None:
        return redirect("accounts:two_factor")
    return _show_codes(request, codes, reverse("accounts:two_factor"), first=False)


@own_session
@signed_in
@require_POST
def two_factor_off(request: HttpRequest) -> HttpResponse:
    """Turn two-factor sign-in off (participants), with the password and a code."""
    form = TwoFactorOffForm(request, request.POST)
    if form.is_valid():
        done = attempt(
            request,
            form,
            lambda: two_factor_disable(acting_user=request.user, request=request),  # type: ignore[arg-type]
        )
        if done is not None:
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("accounts:two_factor")
    if getattr(request, "axes_locked_out", False):
        logout(request)
    user: Any = request.user
    context = {"state": second_factor_state(user), "off_form": form}
    return TemplateResponse(request, "accounts/two_factor.html", context, status=400)


# --- a national administrator's view of accounts -----------------------------------------


@allow(Role.NATIONAL_ADMIN)
def accounts(request: HttpRequest) -> HttpResponse:
    """Find an account by username or e-mail address."""
    form = UserLookupForm(request.GET or None)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    page = keyset_page(accounts_matching(text), after=parse_cursor(request.GET.get("after")))
    record_access(acting_user=request.user, purpose="accounts.accounts", request=request)
    return TemplateResponse(request, "accounts/accounts.html", {"form": form, "page": page})


@allow(Role.NATIONAL_ADMIN)
def account(request: HttpRequest, pk: int) -> HttpResponse:
    """One account: role, scope and second factor; the administrator may reset the latter."""
    person = get_object_or_404(User.objects.select_related("organisation", "province"), pk=pk)
    form = SecondFactorResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: two_factor_reset(
                acting_user=request.user,  # type: ignore[arg-type]
                user=person,
                reason=form.cleaned_data["reason"],
                request=request,
            ),
        )
        if done is not None:
            messages.success(
                request,
                _(
                    "The second factor of %(username)s is reset: they set up a new one "
                    "at their next sign-in."
                )
                % {"username": person.username},
            )
            return redirect("accounts:account", pk=person.pk)
    record_access(
        acting_user=request.user, purpose="accounts.account", instance=person, request=request
    )
    context = {"person": person, "state": second_factor_state(person), "form": form}
    return TemplateResponse(request, "accounts/account.html", context)
