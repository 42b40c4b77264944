"""Reads of organisations and licences, filtered by who asks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from jembatan.core.access import role_of
from jembatan.core.roles import NATIONAL, ORGANISATION_SCOPED, Role
from jembatan.organisations.models import (
    IN_FORCE_STATUSES,
    ContactPerson,
    Licence,
    LicenceDecision,
    LicenceStatus,
    Organisation,
)

# Who sees every organisation (with its contacts, operators and decisions).
SEE_ALL = NATIONAL | {Role.AUDITOR, Role.PROVINCIAL_OFFICER}

AWAITING_REVIEW = (LicenceStatus.SUBMITTED, LicenceStatus.UNDER_REVIEW)


def organisations_visible_to(user: Any) -> QuerySet[Organisation]:
    """Officials and auditors see every organisation; operators and partners their own."""
    role = role_of(user)
    base = Organisation.objects.select_related("country", "province", "region")
    if role in SEE_ALL:
        return base.all()
    if role in ORGANISATION_SCOPED:
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


def licences_visible_to(user: Any) -> QuerySet[Licence]:
    """Licences of the organisations ``user`` may see."""
    return Licence.objects.filter(
        organisation__in=organisations_visible_to(user).values("pk")
    ).select_related("organisation")


def licence_for(user: Any, pk: int) -> Licence:
    """One licence by id, or 404 if ``user`` may not see its organisation."""
    found = licences_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def decisions_of(licence: Licence) -> QuerySet[LicenceDecision]:
    """A licence's decisions, newest first, with what the history table shows."""
    return licence.decisions.select_related("decided_by").prefetch_related("suspended_countries")


def decision_attachment_for(user: Any, pk: int) -> LicenceDecision:
    """A decision whose attachment ``user`` may download: national staff, auditors, own operators.

    Anyone else gets 404, as if it did not exist.
    """
    role = role_of(user)
    rows = LicenceDecision.objects.exclude(attachment="").select_related("licence")
    if role in NATIONAL or role == Role.AUDITOR:
        found = rows.filter(pk=pk).first()
    elif role == Role.SENDER_OPERATOR:
        found = rows.filter(pk=pk, licence__organisation_id=user.organisation_id).first()
    else:
        found = None
    if found is None:
        raise Http404
    return found


def public_attachment(pk: int) -> LicenceDecision:
    """A published decision whose attachment the ministry made public, or 404."""
    found = (
        LicenceDecision.objects.filter(pk=pk, published=True, attachment_public=True)
        .exclude(attachment="")
        .first()
    )
    if found is None:
        raise Http404
    return found


def contacts_of(organisation: Organisation) -> QuerySet[ContactPerson]:
    """The organisation's current contact persons, primary first."""
    return organisation.contacts.filter(archived_at__isnull=True)


def operators_of(organisation: Organisation) -> QuerySet[Any]:
    """The signed-in users who work for ``organisation``."""
    return organisation.operators.order_by("username")
