"""Locking out password guessing, with django-axes (settings: ``AXES_*``, ``JEMBATAN_LOGIN_*``).

Axes counts every failed password: the sign-in form, the password re-check
before a sensitive action, the old password when changing it, the admin's
sign-in — and every wrong code of two-factor sign-in
(:func:`jembatan.accounts.services.second_factor_check` sends the same signal).
The API has no password of its own (it uses the signed-in session).
Failures within the cool-off lock

* the **account** at ``JEMBATAN_LOGIN_FAILURES_PER_ACCOUNT`` (whatever the address), and
* the **address** at ``JEMBATAN_LOGIN_FAILURES_PER_ADDRESS`` (whatever the account:
  one office behind one address shares it, hence the higher number).

A username that does not exist is counted and locked exactly like one that
does, so the answers never tell which accounts exist. When a lock begins, the
account's owner (if the account exists and has an e-mail address) and the
national administrators (else ``settings.ADMINS``) are told by e-mail; a lock
of a username that does not exist is only logged. Administrators lift a lock
early at ``/akun/terkunci/``.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from http import HTTPStatus
from smtplib import SMTPException
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.core.mail import mail_admins, send_mail
from django.db.models import QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from jembatan.accounts.models import User
from jembatan.core.audit import client_ip
from jembatan.core.roles import Role

logger = logging.getLogger(__name__)
ACCOUNT = "account"
ADDRESS = "address"


def client_address(request: HttpRequest) -> str | None:
    """The client's address for axes (``AXES_CLIENT_IP_CALLABLE``): core's one answer."""
    return client_ip(request)


def _failures(attempts: QuerySet[AccessAttempt]) -> int:
    total = attempts.aggregate(total=Sum("failures_since_start"))["total"]
    return int(total or 0)


def recent_attempts(request: HttpRequest | None = None) -> QuerySet[AccessAttempt]:
    """The failed attempts that still count (within the cool-off)."""
    attempts = AccessAttempt.objects.all()
    cool_off = get_cool_off(request)
    if cool_off is None:  # AXES_COOLOFF_TIME = None: a lock lasts until an administrator lifts it
        return attempts
    moment = getattr(request, "axes_attempt_time", None) or timezone.now()
    return attempts.filter(attempt_time__gte=moment - cool_off)


def address_limit() -> int:
    """Failures from one address (any account) that lock the address."""
    return int(settings.JEMBATAN_LOGIN_FAILURES_PER_ADDRESS)


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with separate limits per account and per address.

    Axes compares one number with one limit; :meth:`get_failures` gives it the
    account's failures, raised to the account limit once the address has reached
    its own. It also tells people when a lock begins (:func:`notify_lockout`).
    """

    def locks(self, request: HttpRequest, credentials: dict[str, Any] | None) -> set[str]:
        """Which of the request's account and address are locked now."""
        recent = recent_attempts(request)
        username = get_client_username(request, credentials)
        found = set()
        if username and _failures(recent.filter(username=username)) >= get_failure_limit(
            request, credentials
        ):
            found.add(ACCOUNT)
        address = request.axes_ip_address  # type: ignore[attr-defined]
        if address and _failures(recent.filter(ip_address=address)) >= address_limit():
            found.add(ADDRESS)
        return found

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        username = get_client_username(request, credentials)
        by_account = _failures(recent_attempts(request).filter(username=username))
        if ADDRESS in self.locks(request, credentials):
            return max(by_account, get_failure_limit(request, credentials))
        return by_account if username else 0

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        if request is None:  # see LockoutBackend: nothing to count without a request
            return
        before = self.locks(request, credentials)
        super().user_login_failed(sender, credentials, request, **kwargs)
        begun = self.locks(request, credentials) - before
        if begun:
            notify_lockout(
                request=request,
                username=get_client_username(request, credentials) or "",
                address=request.axes_ip_address or "",
                locked=begun,
            )


class LockoutBackend(AxesStandaloneBackend):
    """Refuse a locked-out account or address before Django's backend checks the password.

    Axes refuses any ``authenticate()`` without a request. Every page passes one;
    only code outside a request does not (the test client's ``login()``, a shell).
    Those have no address to count, so they are let through to Django's backend
    instead of failing.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is not None:
            super().authenticate(request, username, password, **kwargs)


def _until(request: HttpRequest | None) -> dt.datetime | None:
    cool_off = get_cool_off(request)
    return None if cool_off is None else timezone.now() + cool_off


def _moment(value: dt.datetime | None) -> str:
    return date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else "—"


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """The page shown instead of the form: what happened and when to try again.

    The same words whether the account exists or not, and whether the account or
    the address is locked (the page never says which).
    """
    cool_off = get_cool_off(request)
    context = {
        "until": _until(request),
        "minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "accounts/locked_out.html", context, status=HTTPStatus.TOO_MANY_REQUESTS)


@dataclass(frozen=True)
class Lockout:
    """A lock that has just begun, as the e-mails describe it."""

    username: str
    address: str
    locked: frozenset[str]
    at: dt.datetime
    until: dt.datetime | None
    unlock_url: str
    reset_url: str


def notify_lockout(*, request: HttpRequest, username: str, address: str, locked: set[str]) -> None:
    """Tell the locked account's owner and the administrators (a mail failure is only logged)."""
    owner = User.objects.filter(username=username).first() if username else None
    lockout = Lockout(
        username=username,
        address=address,
        locked=frozenset(locked if owner is not None else locked - {ACCOUNT}),
        at=timezone.now(),
        until=_until(request),
        unlock_url=request.build_absolute_uri(reverse("accounts:lockouts")),
        reset_url=request.build_absolute_uri(reverse("accounts:password_reset")),
    )
    logger.warning("Sign-in locked: %s", sorted(locked))
    try:
        if owner is not None and ACCOUNT in lockout.locked and owner.email:
            _tell_owner(owner, lockout)
        if lockout.locked:
            _tell_administrators(lockout, exclude=owner)
    except (SMTPException, OSError):
        logger.exception("The lockout e-mail could not be sent.")


def _tell_owner(owner: User, lockout: Lockout) -> None:
    with translation.override(owner.preferred_language or None):
        body = _(
            "Hello %(name)s,\n\nSeveral wrong passwords were typed to sign in to your "
            "Jembatan account %(username)s, the last one at %(time)s from the address "
            "%(address)s. To protect your account, signing in to it is paused until %(until)s "
            "(each new attempt before then starts the wait again).\n\nIf this was you, wait, or "
            "choose a new password here: %(reset_url)s\nIf it was not you, choose a new "
            "password as well and tell your administrator."
        ) % {
            "name": owner.get_full_name() or owner.username,
            "username": owner.username,
            "time": _moment(lockout.at),
            "address": lockout.address or "—",
            "until": _moment(lockout.until),
            "reset_url": lockout.reset_url,
        }
        send_mail(_("Jembatan: signing in to your account is paused"), body, None, [owner.email])


def _administrator_body(lockout: Lockout) -> str:
    lines = [_("Signing in to Jembatan was paused after repeated wrong passwords."), ""]
    if ACCOUNT in lockout.locked:
        lines.append(_("Account locked: %(username)s") % {"username": lockout.username})
    if ADDRESS in lockout.locked:
        lines.append(_("Address locked: %(address)s") % {"address": lockout.address})
    lines += [
        _("Last attempt: %(time)s, from %(address)s")
        % {"time": _moment(lockout.at), "address": lockout.address or "—"},
        _("Locked until: %(until)s, unless someone tries again before then.")
        % {"until": _moment(lockout.until)},
        "",
        _("To unlock it now: %(url)s") % {"url": lockout.unlock_url},
    ]
    return "\n".join(lines)


def _tell_administrators(lockout: Lockout, *, exclude: User | None) -> None:
    administrators = User.objects.filter(role=Role.NATIONAL_ADMIN, is_active=True).exclude(email="")
    if exclude is not None:  # the owner's own e-mail says it already
        administrators = administrators.exclude(pk=exclude.pk)
    if not administrators:
        with translation.override(settings.LANGUAGE_CODE):
            mail_admins(_("Jembatan: a sign-in was locked"), _administrator_body(lockout))
        return
    for administrator in administrators:
        with translation.override(administrator.preferred_language or None):
            subject = _("Jembatan: a sign-in was locked")
            send_mail(subject, _administrator_body(lockout), None, [administrator.email])
