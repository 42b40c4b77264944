"""Reads of organisations and licences, filtered by who asks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from jembatan.core.access import role_of
from jembatan.core.roles import READERS, Role
from jembatan.organisations.models import IN_FORCE_STATUSES, Licence, LicenceStatus, Organisation

AWAITING_REVIEW = (LicenceStatus.SUBMITTED, LicenceStatus.UNDER_REVIEW)


def organisations_visible_to(user: Any) -> QuerySet[Organisation]:
    """Officials and auditors see every organisation; partners see their own."""
    role = role_of(user)
    base = Organisation.objects.select_related("country", "province")
    if role in READERS:
        return base.all()
    if role == Role.PARTNER:
        return base.filter(pk=user.organisation_id)
    return base.none()


def organisation_for(user: Any, pk: int) -> Organisation:
    """One organisation by id, or 404 if ``user`` may not see it."""
    found = organisations_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def current_licence(organisation: Organisation) -> Licence | None:
    """The licence in force, else the most recent one."""
    licences = organisation.licences.order_by("-valid_to", "-id")
    return licences.filter(status__in=list(IN_FORCE_STATUSES)).first() or licences.first()


def licences_awaiting_review() -> QuerySet[Licence]:
    """Applications the ministry has to decide on."""
    return Licence.objects.filter(status__in=AWAITING_REVIEW).select_related("organisation")


def licences_expiring(within_days: int = 90) -> QuerySet[Licence]:
    """Licences that let their organisation act but run out soon."""
    today = timezone.localdate()
    return Licence.objects.filter(
        status__in=[LicenceStatus.ACTIVE, LicenceStatus.RENEWAL],
        valid_to__gte=today,
        valid_to__lte=today + dt.timedelta(days=within_days),
    ).select_related("organisation")
