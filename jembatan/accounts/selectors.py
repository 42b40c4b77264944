"""Reads about accounts that a page shows: locked sign-ins, accounts, second factors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from axes.helpers import get_cool_off
from django.conf import settings
from django.db.models import Max, Q, QuerySet, Sum

from jembatan.accounts.lockout import address_limit, recent_attempts
from jembatan.accounts.models import User
from jembatan.accounts.two_factor import authenticator_of, recovery_codes_of, required_for


@dataclass(frozen=True)
class LockedSignIn:
    """One account or address that may not sign in now, and until when at the latest."""

    username: str
    address: str
    failures: int
    last_attempt: dt.datetime
    until: dt.datetime | None
    account_exists: bool = False


def _until(last: dt.datetime) -> dt.datetime | None:
    cool_off = get_cool_off()
    return None if cool_off is None else last + cool_off


def locked_sign_ins() -> list[LockedSignIn]:
    """Accounts past the account limit and addresses past the address limit, latest first."""
    recent = recent_attempts()
    account_rows = (
        recent.exclude(username__isnull=True)
        .values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    )
    address_rows = (
        recent.exclude(ip_address__isnull=True)
        .values("ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=address_limit())
    )
    known = set(
        User.objects.filter(username__in=[r["username"] for r in account_rows]).values_list(
            "username", flat=True
        )
    )
    locks = [
        LockedSignIn(
            r["username"], "", r["failures"], r["last"], _until(r["last"]), r["username"] in known
        )
        for r in account_rows
    ] + [
        LockedSignIn("", r["ip_address"], r["failures"], r["last"], _until(r["last"]))
        for r in address_rows
    ]
    return sorted(locks, key=lambda lock: lock.last_attempt, reverse=True)


# --- accounts as a national administrator sees them (the second factor's reset) ----------


def accounts_matching(text: str) -> QuerySet[User]:
    """Accounts whose username or e-mail address contains ``text`` (none for no text).

    Only the national administrator's account pages call this (their access rule);
    the page shows them by keyset, fifty at a time (core/paging.py).
    """
    text = text.strip()
    if not text:
        return User.objects.none()
    found = User.objects.filter(Q(username__icontains=text) | Q(email__icontains=text))
    return found.select_related("organisation", "province")


@dataclass(frozen=True)
class SecondFactorState:
    """Whether an account signs in with a second factor, and what it has left."""

    required: bool
    authenticator_since: dt.datetime | None
    recovery_codes_left: int


def second_factor_state(user: User) -> SecondFactorState:
    """The account's second factor as its own page and the administrator's page show it."""
    authenticator = authenticator_of(user)
    recovery = recovery_codes_of(user)
    return SecondFactorState(
        required=required_for(user),
        authenticator_since=authenticator.created_at if authenticator else None,
        recovery_codes_left=recovery.token_set.count() if recovery else 0,
    )
