"""Reads of protection cases, always filtered by who asks (rules.scope_filter).

A lookup by code outside one's scope answers 404. The organisations a case is
about never reach a case here; the reporter reads their own cases through
:func:`cases_reported_by` and only the public lines (:func:`public_timeline`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from jembatan.protection.models import (
    Case,
    CaseAttachment,
    CaseEvent,
    Referral,
    overdue_filter,
)
from jembatan.protection.reporter_secret import normalise_secret
from jembatan.protection.rules import scope_filter

RELATED = (
    "participant",
    "deployment",
    "host_company",
    "sending_organisation",
    "partner",
    "owner",
    "province",
    "country",
)


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """The cases ``user`` may open; nobody outside the rules sees any."""
    scope = scope_filter(user)
    if scope is None:
        return Case.objects.none()
    return Case.objects.filter(scope)


def case_for(user: Any, code: str) -> Case:
    """The case ``code`` if ``user`` may open it, else 404 (never says that it exists)."""
    found = cases_visible_to(user).select_related(*RELATED).filter(code=code).first()
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class CaseFilters:
    """What the officer's list is narrowed to."""

    status: str = ""
    category: str = ""
    severity: str = ""
    overdue: bool = False
    mine: bool = False


def case_list(user: Any, filters: CaseFilters, *, now: dt.datetime | None = None) -> QuerySet[Case]:
    """The officer's list: visible cases narrowed by ``filters``, newest first."""
    cases = cases_visible_to(user).select_related("owner", "province")
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.category:
        cases = cases.filter(category=filters.category)
    if filters.severity:
        cases = cases.filter(severity=filters.severity)
    if filters.overdue:
        cases = cases.filter(overdue_filter(now or timezone.now()))
    if filters.mine:
        cases = cases.filter(owner_id=user.pk)
    return cases.order_by("-id")


def overdue_count(user: Any, *, now: dt.datetime | None = None) -> int:
    """How many visible cases are past their deadline (the home page's figure)."""
    return cases_visible_to(user).filter(overdue_filter(now or timezone.now())).count()


def timeline(case: Case) -> QuerySet[CaseEvent]:
    """Every line of the case's timeline, oldest first (the officer's view)."""
    return case.events.select_related("by", "owner", "attachment", "referral").order_by("at", "id")


def public_timeline(case: Case) -> QuerySet[CaseEvent]:
    """The lines the reporter reads: public messages, status changes told to them, the outcome."""
    return case.events.filter(public=True).select_related("attachment").order_by("at", "id")


def referrals_of(case: Case) -> QuerySet[Referral]:
    return case.referrals.select_related("organisation", "referred_by").order_by("due_on", "id")


def attachments_of(case: Case, *, public_only: bool = False) -> QuerySet[CaseAttachment]:
    files = case.attachments.order_by("uploaded_at", "id")
    return files.filter(public=True) if public_only else files


def attachment_for(user: Any, code: str, pk: int) -> CaseAttachment:
    """A file of a case ``user`` may open, else 404."""
    case = case_for(user, code)
    found = case.attachments.exclude(file="").filter(pk=pk).first()  # "": removed
    if found is None:
        raise Http404
    return found


def overdue_referrals(user: Any, *, today: dt.date | None = None) -> QuerySet[Referral]:
    """Unanswered referrals past their due date, of cases ``user`` may open."""
    day = today or timezone.localdate()
    return (
        Referral.objects.filter(
            case__in=cases_visible_to(user), answered_at__isnull=True, due_on__lt=day
        )
        .select_related("case")
        .order_by("due_on", "id")
    )


def cases_reported_by(user: Any) -> QuerySet[Case]:
    """The cases ``user`` reported with their account (the portal's list)."""
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    return Case.objects.filter(reporter_id=user.pk).order_by("-id")


# A hash of a random secret, checked when the code is unknown, so that an unknown code
# and a wrong secret take the same time (the answer never tells which part was wrong).
_DUMMY_HASH = make_password("not-a-secret-of-any-case")


def reporter_case(code: str, secret: str) -> Case | None:
    """The case whose code and secret the anonymous reporter gave, or None for any mismatch.

    The secret is normalised as people type it (case, spaces, hyphens). Rate limits and
    the follow-up page are the public side's (public_views.py).
    """
    found = Case.objects.filter(code=(code or "").strip().upper(), reporter__isnull=True).first()
    typed = normalise_secret(secret)
    if found is None or not found.secret_hash:
        check_password(typed, _DUMMY_HASH)
        return None
    return found if found.secret_matches(typed) else None
