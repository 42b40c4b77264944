"""Signing in and out, changing one's password, choosing the language."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jembatan.accounts.services import user_change_password, user_set_language
from jembatan.core.access import own_session, public, signed_in

LANGUAGE_COOKIE = "django_language"
LANGUAGE_AGE = 365 * 86400  # one year: the choice outlives sessions


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

    def get_success_url(self) -> str:
        return reverse("home")

    def form_valid(self, form: Any) -> HttpResponse:
        user = user_change_password(
            acting_user=self.request.user,  # type: ignore[arg-type]
            new_password=form.cleaned_data["new_password1"],
            request=self.request,
        )
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Your password has been changed."))
        return HttpResponseRedirect(self.get_success_url())


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
