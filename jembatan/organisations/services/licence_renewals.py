"""Renewing a licence, refusing a renewal, and a licence running out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from jembatan.organisations.errors import OrganisationErrorCode
from jembatan.organisations.locks import lock_licence
from jembatan.organisations.models import Licence, LicenceDecision
from jembatan.organisations.services.licence_decisions import take_decision, the_day, transition
from jembatan.organisations.workflows import LicenceAction


@transaction.atomic
def licence_request_renewal(*, licence: Licence, acting_user: Any) -> Licence:
    """Ask for an active licence to be renewed; it keeps letting the organisation act meanwhile."""
    return transition(
        licence=licence, action=LicenceAction.REQUEST_RENEWAL, acting_user=acting_user
    )[0]


@transaction.atomic
def licence_renew(
    *,
    licence: Licence,
    valid_to: dt.date,
    reason: str,
    acting_user: Any,
    attachment: File | None = None,
) -> LicenceDecision:
    """Grant a renewal: the licence stays active with a later ``valid_to``."""
    return take_decision(
        licence=licence,
        action=LicenceAction.RENEW,
        acting_user=acting_user,
        reason=reason,
        attachment=attachment,
        given={"valid_to": valid_to},
    )


@transaction.atomic
def licence_refuse_renewal(
    *, licence: Licence, reason: str, acting_user: Any, attachment: File | None = None
) -> LicenceDecision:
    """Refuse a renewal: the licence stays active until its ``valid_to``, then expires."""
    return take_decision(
        licence=licence,
        action=LicenceAction.REFUSE_RENEWAL,
        acting_user=acting_user,
        reason=reason,
        attachment=attachment,
    )


@transaction.atomic
def licence_expire(*, licence: Licence, acting_user: Any, today: dt.date | None = None) -> Licence:
    """Mark a licence whose ``valid_to`` has passed as expired (the daily task does this)."""
    locked = lock_licence(licence.pk)
    if locked.valid_to is None or locked.valid_to >= the_day(today):
        raise ValidationError(
            _("This licence has not run out yet."), code=OrganisationErrorCode.NOT_EXPIRED
        )
    return transition(licence=locked, action=LicenceAction.EXPIRE, acting_user=acting_user)[0]
