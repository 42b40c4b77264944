"""The only writers of user accounts. Each operation is audited."""

from __future__ import annotations

import math
import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from jembatan.accounts import two_factor as two_factor_rules
from jembatan.accounts.errors import AccountErrorCode
from jembatan.accounts.models import User
from jembatan.core.audit import record_change, snapshot
from jembatan.core.roles import ORGANISATION_SCOPED, Role

AUDITED_FIELDS = ("username", "role", "organisation_id", "province_id", "is_active", "email")


def _check_scope(*, role: Role, organisation: Any, province: Any) -> None:
    if role in ORGANISATION_SCOPED and organisation is None:
        raise ValidationError(_("This role works for one organisation: choose it."))
    if role == Role.PROVINCIAL_OFFICER and province is None:
        raise ValidationError(_("A provincial officer works in one province: choose it."))


def _first_language(role: Role, organisation: Any) -> str:
    """English for partners and anyone working for an organisation abroad, else Indonesian."""
    abroad = organisation is not None and getattr(organisation, "country_id", "ID") != "ID"
    return "en" if role == Role.PARTNER or abroad else "id"


@transaction.atomic
def user_create(
    *,
    username: str,
    role: Role,
    password: str | None,
    acting_user: Any,
    full_name: str = "",
    email: str = "",
    organisation: Any = None,
    province: Any = None,
) -> User:
    """Create a user with one role and its scope; ``password=None`` makes it unusable."""
    _check_scope(role=role, organisation=organisation, province=province)
    first, _sep, last = full_name.partition(" ")
    user = User(
        username=username,
        role=role,
        email=email,
        first_name=first,
        last_name=last,
        organisation=organisation,
        province=province,
        preferred_language=_first_language(role, organisation),
    )
    user.set_password(password) if password else user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    record_change(
        acting_user=acting_user,
        operation="accounts.user_create",
        instance=user,
        action="create",
        changes={
            k: {"before": None, "after": v} for k, v in snapshot(user, AUDITED_FIELDS).items()
        },
    )
    return user


@transaction.atomic
def user_set_language(*, acting_user: User, language: str) -> User:
    """Remember the interface language a person chose."""
    before = snapshot(acting_user, ["preferred_language"])
    acting_user.preferred_language = language
    acting_user.save(update_fields=["preferred_language"])
    record_change(
        acting_user=acting_user,
        operation="accounts.user_set_language",
        instance=acting_user,
        action="update",
        changes={"preferred_language": {"before": before["preferred_language"], "after": language}},
    )
    return acting_user


@transaction.atomic
def user_change_password(*, acting_user: User, new_password: str, request: Any = None) -> User:
    """Set a new password the person chose; the audit notes the change, never the value."""
    acting_user.set_password(new_password)
    acting_user.save(update_fields=["password"])
    record_change(
        acting_user=acting_user,
        operation="accounts.user_change_password",
        instance=acting_user,
        action="update",
        changes={"password": {"before": "•••", "after": "•••"}},
        request=request,
    )
    return acting_user


def participant_account_create(
    *, username: str, password: str, full_name: str, email: str = "", acting_user: Any = None
) -> User:
    """Create the account a participant signs in with (self-registration or on their behalf).

    The account has the participant role and no organisation or province: what
    it may see is the participant record linked to it, nothing else.
    ``created_by=None`` means the person registered themselves; the
    participant record's audit entries then name the new account as the actor.
    """
    user = user_create(
        username=username,
        role=Role.PARTICIPANT,
        password=password,
        acting_user=acting_user,
        full_name=full_name,
        email=email,
    )
    return user


@transaction.atomic
def user_set_password_by_link(*, user: User, new_password: str, request: Any = None) -> User:
    """Set the password chosen through an e-mailed link (a reset, or the first password).

    The link proved the person reads the account's e-mail, so a lockout of the
    account ends too (the address's lockout stays). Other sessions of the account
    end by themselves: Django ties each session to the password.
    """
    user.set_password(new_password)
    user.save(update_fields=["password"])
    AxesProxyHandler.reset_attempts(username=user.get_username())
    record_change(
        acting_user=user,
        operation="accounts.user_set_password_by_link",
        instance=user,
        action="update",
        changes={"password": {"before": "•••", "after": "•••"}},
        request=request,
    )
    return user


@transaction.atomic
def lockout_clear(
    *, acting_user: User, username: str = "", address: str = "", request: Any = None
) -> int:
    """Lift the sign-in lockout of one account or one address before its cool-off ends.

    Deletes axes' failed attempts of that account (from every address) or of that
    address (for every account); returns how many attempt records went.
    """
    if bool(username) == bool(address):
        raise ValidationError(
            _("Name one account or one address to unlock."),
            code=AccountErrorCode.NOTHING_TO_UNLOCK,
        )
    removed = AxesProxyHandler.reset_attempts(username=username or None, ip_address=address or None)
    if not removed:
        raise ValidationError(
            _("Nothing to unlock: there are no failed attempts left for it."),
            code=AccountErrorCode.NOTHING_TO_UNLOCK,
        )
    # Recorded on the account when it exists (its history shows the unlock), else on the attempts.
    account = User.objects.filter(username=username).first() if username else None
    record_change(
        acting_user=acting_user,
        operation="accounts.lockout_clear",
        instance=account or AccessAttempt,
        action="delete",
        changes={"failed_attempts": {"before": removed, "after": 0}},
        request=request,
        summary=f"sign-in lockout of {username or address}",
    )
    return removed


# --- two-factor sign-in (jembatan/accounts/two_factor.py, ADR 0014) --------------------------

RECOVERY_CODE_COUNT = 10


def _new_recovery_codes(device: StaticDevice) -> list[str]:
    """Replace the device's recovery codes with ten new ones; the only time they are readable."""
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _code in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def _totp_matches(key: str, code: str) -> int | None:
    """The time step at which ``code`` is right for ``key`` (one step of clock drift allowed)."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = TOTP(bytes.fromhex(key), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time()
    return totp.t() if totp.verify(int(code), tolerance=1) else None


@transaction.atomic
def two_factor_enrol(
    *, acting_user: User, key: str, code: str, request: Any = None
) -> tuple[TOTPDevice, list[str]]:
    """Set up the person's authenticator app from the key they scanned, proven by one code.

    Also gives them ten recovery codes (returned here, never shown again). Refused
    when an authenticator is already set up (an administrator resets it first).
    """
    if TOTPDevice.objects.filter(user=acting_user, confirmed=True).exists():
        raise ValidationError(
            _("Two-factor sign-in is already set up for this account."),
            code=AccountErrorCode.ALREADY_ENROLLED,
        )
    step = _totp_matches(key, code)
    if step is None:
        wrong = _("This code is not right. Type the six digits the app shows now.")
        raise ValidationError({"code": ValidationError(wrong, code=AccountErrorCode.WRONG_CODE)})
    TOTPDevice.objects.filter(user=acting_user).delete()
    device = TOTPDevice.objects.create(
        user=acting_user, name="authenticator", key=key, confirmed=True, last_t=step
    )
    StaticDevice.objects.filter(user=acting_user).delete()
    recovery = StaticDevice.objects.create(user=acting_user, name="recovery", confirmed=True)
    codes = _new_recovery_codes(recovery)
    record_change(
        acting_user=acting_user,
        operation="accounts.two_factor_enrol",
        instance=acting_user,
        action="update",
        changes={
            "two_factor": {"before": "off", "after": "authenticator app"},
            "recovery_codes": {"before": 0, "after": len(codes)},
        },
        request=request,
    )
    return device, codes


def second_factor_check(*, acting_user: User, code: str, request: Any = None) -> Any:
    """The device that accepts ``code`` (the authenticator's six digits or a recovery code).

    None when no device accepts it: the wrong code then counts towards the sign-in
    lockout like a wrong password (django-axes hears ``user_login_failed``), and
    django-otp makes the device wait before its next try. A recovery code works
    once (django-otp deletes it); its use is recorded. Not atomic on purpose: the
    counting of a wrong code must stay.
    """
    code = code.strip().replace(" ", "").lower()
    authenticator = TOTPDevice.objects.filter(user=acting_user, confirmed=True).first()
    recovery = StaticDevice.objects.filter(user=acting_user, confirmed=True).first()
    # Six digits are the app's; recovery codes are eight letters and digits.
    device = authenticator if code.isdigit() and len(code) == 6 else recovery
    if device is not None:
        _refuse_while_throttled(device)
    accepted = None
    if device is not None and code:
        accepted = verify_token(acting_user, device.persistent_id, code)
    if accepted is None:
        user_login_failed.send(
            sender=__name__, credentials={"username": acting_user.get_username()}, request=request
        )
    elif accepted == recovery:
        _recovery_code_used(acting_user=acting_user, device=recovery, request=request)
    return accepted


def _refuse_while_throttled(device: Any) -> None:
    """Refuse a try while django-otp makes the device wait after wrong codes (1, 2, 4 … s)."""
    allowed, data = device.verify_is_allowed()
    if allowed:
        return
    until = (data or {}).get("locked_until")
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds())) if until else 1
    raise ValidationError(
        ngettext(
            "Too many wrong codes in a row. Wait %(seconds)d second, then try again.",
            "Too many wrong codes in a row. Wait %(seconds)d seconds, then try again.",
            seconds,
        )
        % {"seconds": seconds},
        code=AccountErrorCode.TOO_MANY_CODES,
    )


@transaction.atomic
def _recovery_code_used(*, acting_user: User, device: StaticDevice, request: Any) -> None:
    left = device.token_set.count()
    record_change(
        acting_user=acting_user,
        operation="accounts.recovery_code_use",
        instance=acting_user,
        action="update",
        changes={"recovery_codes": {"before": left + 1, "after": left}},
        request=request,
    )


@transaction.atomic
def recovery_codes_renew(*, acting_user: User, request: Any = None) -> list[str]:
    """Ten new recovery codes for the person; the old ones stop working."""
    device = StaticDevice.objects.filter(user=acting_user, confirmed=True).first()
    if device is None or not TOTPDevice.objects.filter(user=acting_user, confirmed=True).exists():
        raise ValidationError(
            _("Two-factor sign-in is not set up for this account."),
            code=AccountErrorCode.NOT_ENROLLED,
        )
    before = device.token_set.count()
    codes = _new_recovery_codes(device)
    record_change(
        acting_user=acting_user,
        operation="accounts.recovery_codes_renew",
        instance=acting_user,
        action="update",
        changes={"recovery_codes": {"before": before, "after": len(codes)}},
        request=request,
    )
    return codes


def _remove_devices(user: User) -> int:
    """Delete every second-factor device of ``user``; how many there were."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    return int(removed)


@transaction.atomic
def two_factor_disable(*, acting_user: User, request: Any = None) -> int:
    """Turn off one's own two-factor sign-in (participants; the form checked password and code).

    Refused for a role that must sign in with it (every staff role in production).
    """
    if two_factor_rules.required_for(acting_user):
        raise ValidationError(
            _("Your role must sign in with a second factor; it cannot be turned off."),
            code=AccountErrorCode.TWO_FACTOR_REQUIRED,
        )
    removed = _remove_devices(acting_user)
    if not removed:
        raise ValidationError(
            _("Two-factor sign-in is not set up for this account."),
            code=AccountErrorCode.NOT_ENROLLED,
        )
    record_change(
        acting_user=acting_user,
        operation="accounts.two_factor_disable",
        instance=acting_user,
        action="update",
        changes={"two_factor": {"before": "authenticator app", "after": "off"}},
        request=request,
    )
    return removed


@transaction.atomic
def two_factor_reset(*, acting_user: User, user: User, reason: str, request: Any = None) -> int:
    """An administrator removes someone's authenticator and recovery codes (a lost phone).

    The person sets up a new authenticator at their next sign-in (staff) or may
    (participants); a session of theirs that gave the old one owes it again.
    Only a national administrator may; the reason is kept with the change.
    """
    if getattr(acting_user, "role", None) != Role.NATIONAL_ADMIN:
        raise PermissionDenied(_("Only a national administrator may reset a second factor."))
    if not reason.strip():
        missing = _("Say why the second factor is reset (e.g. how the phone was lost).")
        raise ValidationError(
            {"reason": ValidationError(missing, code=AccountErrorCode.REASON_REQUIRED)}
        )
    removed = _remove_devices(user)
    if not removed:
        raise ValidationError(
            _("%(username)s has no second factor to reset.") % {"username": user.username},
            code=AccountErrorCode.NOT_ENROLLED,
        )
    record_change(
        acting_user=acting_user,
        operation="accounts.two_factor_reset",
        instance=user,
        action="update",
        changes={"two_factor": {"before": "authenticator app", "after": "off"}},
        reason=reason.strip(),
        request=request,
    )
    return removed
