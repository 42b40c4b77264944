"""Forms for choosing, resetting and re-typing a password, and for unlocking a sign-in.

Every form where a person chooses a password (the reset link, an invitation,
self-registration) uses :func:`new_password_fields` and :func:`check_new_password`:
the same two boxes, the same rules shown, the same validators
(``AUTH_PASSWORD_VALIDATORS``). Every form that checks a password goes through
``authenticate()``, so django-axes counts the failures and locks out guessing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from jembatan.accounts.errors import AccountErrorCode
from jembatan.accounts.models import User
from jembatan.accounts.services import second_factor_check


def _rules() -> str:
    return " ".join(str(text) for text in password_validators_help_texts())


# The password rules in the page's language (the validators' own words).
password_rules = lazy(_rules, str)


def new_password_fields() -> tuple[forms.CharField, forms.CharField]:
    """The two boxes in which a person chooses a password, the rules shown under the first."""
    widget = {"autocomplete": "new-password"}
    first = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs=widget),
        help_text=password_rules(),
    )
    second = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs=widget)
    )
    return first, second


def check_new_password(form: forms.BaseForm, data: dict[str, Any], user: User) -> None:
    """The two passwords agree and pass the password rules for ``user``; errors beside the boxes."""
    first, second = data.get("password1"), data.get("password2")
    if first and second and first != second:
        form.add_error(
            "password2",
            ValidationError(_("The two passwords differ."), code=AccountErrorCode.PASSWORDS_DIFFER),
        )
    elif first:
        try:
            validate_password(first, user)
        except ValidationError as error:
            form.add_error("password1", error)


class NewPasswordForm(forms.Form):
    """A new password chosen through an e-mailed link (a reset, or the first one)."""

    password1, password2 = new_password_fields()

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_new_password(self, data, self.user)
        return data


class ResetRequestForm(auth_forms.PasswordResetForm):
    """Ask for a link by e-mail address; the answer never says whether the address is known.

    Unlike Django's form, an account without a password yet (created by an
    administrator with ``password=None``) gets the link too: that is how its
    owner chooses the first password. The e-mail is in the account's language.
    """

    def get_users(self, email: str) -> Iterator[Any]:
        found = User.objects.filter(email__iexact=email.strip(), is_active=True)
        return (user for user in found if user.email.casefold() == email.strip().casefold())

    def send_mail(self, *args: Any, **kwargs: Any) -> None:
        context = args[2] if len(args) > 2 else kwargs["context"]
        validity = dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
        context["valid_until"] = timezone.now() + validity
        with translation.override(context["user"].preferred_language or None):
            super().send_mail(*args, **kwargs)


def _password_of(request: HttpRequest, user: Any, password: str) -> bool:
    """True if ``password`` is ``user``'s; a wrong one counts towards the lockout."""
    found = authenticate(request, username=user.get_username(), password=password)
    return found is not None and found.pk == user.pk


class ConfirmPasswordForm(forms.Form):
    """The signed-in person types their password again before a sensitive action."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not _password_of(self.request, self.request.user, password):
            raise ValidationError(
                _("This is not your password."), code=AccountErrorCode.WRONG_PASSWORD
            )
        return password


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form, with the old password checked through ``authenticate`` (counted)."""

    def __init__(self, user: Any, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self) -> str:
        old_password: str = self.cleaned_data["old_password"]
        if not _password_of(self.request, self.user, old_password):
            raise ValidationError(
                self.error_messages["password_incorrect"], code=AccountErrorCode.WRONG_PASSWORD
            )
        return old_password


class UnlockForm(forms.Form):
    """Which lockout a national administrator lifts: an account's or an address's."""

    username = forms.CharField(required=False, max_length=255)
    address = forms.GenericIPAddressField(required=False)


# --- two-factor sign-in ------------------------------------------------------------------


def _code_field(label: Any) -> forms.CharField:
    attrs = {"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
    return forms.CharField(label=label, max_length=32, widget=forms.TextInput(attrs=attrs))


class SecondFactorForm(forms.Form):
    """The code that finishes signing in: six digits from the app, or a recovery code.

    A wrong code counts towards the lockout like a wrong password
    (:func:`~jembatan.accounts.services.second_factor_check`).
    """

    code = _code_field(_("Code from your authenticator app, or a recovery code"))

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.device: Any = None
        super().__init__(*args, **kwargs)

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        user: Any = self.request.user
        self.device = second_factor_check(acting_user=user, code=code, request=self.request)
        if self.device is None:
            raise ValidationError(
                _("This code is not right. Type the six digits your app shows now."),
                code=AccountErrorCode.WRONG_CODE,
            )
        return code


class EnrolForm(forms.Form):
    """The first code from the app just set up: it proves the key was scanned."""

    code = _code_field(_("The six digits your app shows"))


class TwoFactorOffForm(SecondFactorForm):
    """A participant turns two-factor sign-in off: the password and a code, both checked."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["password", "code"]

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not _password_of(self.request, self.request.user, password):
            raise ValidationError(
                _("This is not your password."), code=AccountErrorCode.WRONG_PASSWORD
            )
        return password


class SecondFactorResetForm(forms.Form):
    """Why an administrator removes someone's second factor."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the account's history, e.g. how the phone was lost."),
    )


class UserLookupForm(forms.Form):
    """Find an account by its username or e-mail address."""

    q = forms.CharField(label=_("Username or e-mail address"), max_length=254, required=False)
