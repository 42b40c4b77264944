"""The only writers of user accounts. Each operation is audited."""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

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
