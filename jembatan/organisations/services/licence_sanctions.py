"""Sanctions on a licence: a warning, an order to improve, a suspension and its lift, revocation.

Each is a decision (:func:`~.licence_decisions.take_decision`) with a reason, an
optional attachment, and, for sanctions only, publication on the public register.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from jembatan.core.models import Country
from jembatan.organisations.errors import OrganisationErrorCode
from jembatan.organisations.models import Licence, LicenceActivity, LicenceDecision
from jembatan.organisations.services.licence_decisions import take_decision, the_day
from jembatan.organisations.workflows import LicenceAction


@transaction.atomic
def licence_warn(
    *,
    licence: Licence,
    reason: str,
    acting_user: Any,
    published: bool = False,
    attachment: File | None = None,
    attachment_public: bool = False,
) -> LicenceDecision:
    """Record a warning; the licence stays as it is."""
    return take_decision(
        licence=licence,
        action=LicenceAction.WARN,
        acting_user=acting_user,
        reason=reason,
        attachment=attachment,
        published=published,
        attachment_public=attachment_public,
    )


@transaction.atomic
def licence_order_improvement(
    *,
    licence: Licence,
    reason: str,
    deadline: dt.date,
    acting_user: Any,
    published: bool = False,
    attachment: File | None = None,
    attachment_public: bool = False,
    today: dt.date | None = None,
) -> LicenceDecision:
    """Order the organisation to put something right by ``deadline``; the licence stays."""
    if deadline <= the_day(today):
        raise ValidationError(
            _("The deadline must be in the future."), code=OrganisationErrorCode.DEADLINE
        )
    return take_decision(
        licence=licence,
        action=LicenceAction.ORDER_IMPROVEMENT,
        acting_user=acting_user,
        reason=reason,
        attachment=attachment,
        published=published,
        attachment_public=attachment_public,
        deadline=deadline,
    )


def _activity_codes(activities: Iterable[str]) -> list[str]:
    codes = sorted({str(a) for a in activities})
    unknown = [c for c in codes if c not in LicenceActivity.values]
    if unknown:
        raise ValidationError(
            _("Unknown activity: %(codes)s.") % {"codes": ", ".join(unknown)},
            code=OrganisationErrorCode.ACTIVITY,
        )
    return codes


def _countries(countries: Iterable[Country | str]) -> list[Country]:
    codes = sorted({c.pk if isinstance(c, Country) else str(c).upper() for c in countries})
    found = list(Country.objects.filter(pk__in=codes))
    if len(found) != len(codes):
        missing = sorted(set(codes) - {c.pk for c in found})
        raise ValidationError(
            _("Unknown country: %(codes)s.") % {"codes": ", ".join(missing)},
            code=OrganisationErrorCode.COUNTRY,
        )
    return found


@transaction.atomic
def licence_suspend(
    *,
    licence: Licence,
    reason: str,
    acting_user: Any,
    activities: Sequence[str] = (),
    countries: Sequence[Country | str] = (),
    published: bool = False,
    attachment: File | None = None,
    attachment_public: bool = False,
) -> LicenceDecision:
    """Suspend the licence, wholly or only for some activities and/or destination countries.

    Side effects: status SUSPENDED (the previous status is kept in
    ``resumes_as`` for the lift); a SUSPENSION decision recording the scope.
    An empty scope suspends everything. ``ensure_can_act`` enforces the scope.
    """
    codes = _activity_codes(activities)
    found = _countries(countries)
    decision = take_decision(
        licence=licence,
        action=LicenceAction.SUSPEND,
        acting_user=acting_user,
        reason=reason,
        attachment=attachment,
        published=published,
        attachment_public=attachment_public,
        suspended_activities=codes,
    )
    decision.suspended_countries.set(found)
    return decision


@transaction.atomic
def licence_lift_suspension(
    *,
    licence: Licence,
    reason: str,
    acting_user: Any,
    published: bool = False,
    attachment: File | None = None,
    attachment_public: bool = False,
) -> LicenceDecision:
    """End a suspension: the licence returns to the status it had before (active or renewal)."""
    return take_decision(
        licence=licence,
        action=LicenceAction.LIFT_SUSPENSION,
        acting_user=acting_user,
        reason=reason,
        attachment=attachment,
        published=published,
        attachment_public=attachment_public,
    )


@transaction.atomic
def licence_revoke(
    *,
    licence: Licence,
    reason: str,
    bar_until: dt.date,
    acting_user: Any,
    published: bool = False,
    attachment: File | None = None,
    attachment_public: bool = False,
    today: dt.date | None = None,
) -> LicenceDecision:
    """Revoke the licence for good; the organisation may not apply again before ``bar_until``."""
    if bar_until <= the_day(today):
        raise ValidationError(
            _("The bar on applying again must end in the future."),
            code=OrganisationErrorCode.BAR_UNTIL,
        )
    return take_decision(
        licence=licence,
        action=LicenceAction.REVOKE,
        acting_user=acting_user,
        reason=reason,
        attachment=attachment,
        published=published,
        attachment_public=attachment_public,
        bar_until=bar_until,
    )
