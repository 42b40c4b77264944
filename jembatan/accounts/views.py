"""Signing in and out, passwords (change, reset by e-mail, re-check), language, lockouts."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jembatan.accounts.forms import (
    ConfirmPasswordForm,
    NewPasswordForm,
    PasswordChangeForm,
    ResetRequestForm,
    SecondFactorForm,
    UnlockForm,
)
from jembatan.accounts.selectors import locked_sign_ins
from jembatan.accounts.services import (
    lockout_clear,
    user_change_password,
    user_set_language,
    user_set_password_by_link,
)
from jembatan.accounts.two_factor import authenticator_of, pending, second_factor_url
from jembatan.core.access import allow, before_second_factor, own_session, public, signed_in
from jembatan.core.audit import client_ip, record_access
from jembatan.core.password_check import mark_password_checked
from jembatan.core.refusals import attempt
from jembatan.core.roles import Role
from jembatan.core.throttle import seconds_to_wait

LANGUAGE_COOKIE = "django_language"
LANGUAGE_AGE = 365 * 86400  # one year: the choice outlives sessions
RESET_REQUEST_WINDOW = 3600  # seconds: the reset-request limits count per hour


@public
class LoginView(auth_views.LoginView):
    """The sign-in page; a signed-in person is sent on to their home page."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        """Sign in, and restore the language the person chose on another device."""
        response = super().form_valid(form)
        language = form.get_user().preferred_language
        if language in ("id", "en") and "django_language" not in self.request.COOKIES:
            response.set_cookie(LANGUAGE_COOKIE, language, samesite="Lax", max_age=LANGUAGE_AGE)
        return response

    def get_success_url(self) -> str:
        """Where the sign-in leads: through the second factor first when it is owed."""
        target = super().get_success_url()
        return second_factor_url(self.request, target) if pending(self.request) else target


@before_second_factor
@own_session
@signed_in
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Sign out (POST only, so a link elsewhere cannot sign someone out)."""
    from django.contrib.auth import logout

    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("accounts:login")


@own_session
@signed_in
class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password through the audited service."""

    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}

    def get_success_url(self) -> str:
        return reverse("home")

    def form_valid(self, form: Any) -> HttpResponse:
        user = user_change_password(
            acting_user=self.request.user,  # type: ignore[arg-type]
            new_password=form.cleaned_data["new_password1"],
            request=self.request,
        )
        update_session_auth_hash(self.request, user)
        mark_password_checked(self.request)
        messages.success(self.request, _("Your password has been changed."))
        return HttpResponseRedirect(self.get_success_url())


# --- a new password through a link sent by e-mail (a reset, or the first password) -----------


@public
class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a link by e-mail; the next page is the same whether the address is known or not."""

    template_name = "accounts/password_reset_form.html"
    form_class = ResetRequestForm
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        """Send the link, unless this address or this e-mail asked too often within the hour.

        Both counters count every request, whether an account has the e-mail or not,
        so the refusal never tells which addresses are known.
        """
        wait = reset_request_wait(self.request, form.cleaned_data["email"])
        if wait:
            minutes = max(1, round(wait / 60))
            form.add_error(
                None,
                ngettext(
                    "Too many requests for a new password. Try again in %(minutes)d minute.",
                    "Too many requests for a new password. Try again in %(minutes)d minutes.",
                    minutes,
                )
                % {"minutes": minutes},
            )
            context = self.get_context_data(form=form)
            return self.render_to_response(context, status=HTTPStatus.TOO_MANY_REQUESTS)
        return super().form_valid(form)


def reset_request_wait(request: HttpRequest, email: str) -> int:
    """Seconds to wait before another reset request from this address or for this e-mail."""
    window = RESET_REQUEST_WINDOW
    by_address = seconds_to_wait(
        "reset-address",
        client_ip(request) or "",
        limit=settings.JEMBATAN_RESET_REQUESTS_PER_ADDRESS,
        window=window,
    )
    by_email = seconds_to_wait(
        "reset-email",
        email.strip().casefold(),
        limit=settings.JEMBATAN_RESET_REQUESTS_PER_EMAIL,
        window=window,
    )
    return max(by_address, by_email)


@public
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    """Where the link was sent, if the address belongs to an account."""

    template_name = "accounts/password_reset_done.html"


@public
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose the new password (the link works once, for ``PASSWORD_RESET_TIMEOUT``)."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        user_set_password_by_link(
            user=form.user, new_password=form.cleaned_data["password1"], request=self.request
        )
        # Django's own view would call form.save(); the audited service writes instead.
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(str(self.success_url))


@public
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    """The password is set: sign in with it."""

    template_name = "accounts/password_reset_complete.html"


# --- the password again before a sensitive action ------------------------------------------


def safe_next(request: HttpRequest) -> str:
    """Where to go afterwards (``next``), if it is on this site; else the home page."""
    target = request.POST.get("next") or request.GET.get("next") or "/"
    allowed = url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else "/"


@signed_in
def confirm_password(request: HttpRequest) -> HttpResponse:
    """Type the password again, or a code from the app; then back to the sensitive action."""
    target = safe_next(request)
    posted = request.POST if request.method == "POST" else None
    by_code = posted is not None and "code" in posted
    form = ConfirmPasswordForm(request, None if by_code else posted)
    code_form = None
    if authenticator_of(request.user) is not None:
        code_form = SecondFactorForm(request, posted if by_code else None)
    checked = code_form if by_code else form
    if posted is not None and checked is not None and checked.is_valid():
        mark_password_checked(request)
        return redirect(target)
    context = {"form": form, "code_form": code_form, "next": target}
    return TemplateResponse(request, "accounts/confirm_password.html", context)


# --- locked sign-ins ----------------------------------------------------------------------


@allow(Role.NATIONAL_ADMIN)
def lockouts(request: HttpRequest) -> HttpResponse:
    """The accounts and addresses locked now; an administrator may unlock one."""
    if request.method == "POST":
        form = UnlockForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            removed = attempt(
                request,
                None,
                lambda: lockout_clear(
                    acting_user=request.user,  # type: ignore[arg-type]
                    username=data["username"],
                    address=data["address"] or "",
                    request=request,
                ),
            )
            if removed:
                target = data["username"] or data["address"]
                messages.success(request, _("%(target)s may sign in again.") % {"target": target})
        return redirect("accounts:lockouts")
    record_access(acting_user=request.user, purpose="accounts.lockouts", request=request)
    return TemplateResponse(request, "accounts/lockouts.html", {"locks": locked_sign_ins()})


@own_session
@public
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language, remembered in a cookie and on the account."""
    language = request.POST.get("language", "")
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "/"
    response = redirect(target)
    if check_for_language(language) and language in ("id", "en"):
        response.set_cookie(LANGUAGE_COOKIE, language, samesite="Lax", max_age=LANGUAGE_AGE)
        if request.user.is_authenticated:
            user_set_language(acting_user=request.user, language=language)
    return response
