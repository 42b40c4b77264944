"""The counts behind the licence risk view, for the organisations a person may see.

A handful of grouped queries whatever the number of organisations: apprentices
abroad, open cases and substantiated cases by category, early returns, each
quarter's figures, and the overdue monitoring reports (``deployment/overdue.py``,
three queries). ``risk.py`` turns the counts into rates and a score.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404

from jembatan.core.access import role_of
from jembatan.core.roles import NATIONAL, Role
from jembatan.deployment.models import ABROAD, Deployment, DeploymentStatus
from jembatan.deployment.overdue import overdue_reports
from jembatan.organisations.models import SENDING_KINDS, LicenceDecision, Organisation
from jembatan.protection.models import OPEN, Case, Outcome
from jembatan.protection.risk import Figures, Quarter, QuarterFigures, last_quarters, ranked

# Who reads the risk view: the whole country, or the sending organisations of one province.
RISK_READERS = NATIONAL | {Role.PROVINCIAL_OFFICER, Role.AUDITOR}
SUBSTANTIATED = (Outcome.SUBSTANTIATED, Outcome.PARTLY)
NEVER_LEFT = (DeploymentStatus.PREPARING, DeploymentStatus.CALLED_OFF)

Counts = dict[int, int]


def sending_organisations_for(user: Any) -> QuerySet[Organisation]:
    """The sending organisations in ``user``'s scope: all, or those of their province."""
    role = role_of(user)
    base = Organisation.objects.filter(kind__in=sorted(SENDING_KINDS))
    if role in NATIONAL or role == Role.AUDITOR:
        return base
    if role == Role.PROVINCIAL_OFFICER:
        return base.filter(province_id=user.province_id)
    return base.none()


def sending_organisation_for(user: Any, pk: int) -> Organisation:
    """One sending organisation in ``user``'s scope, or 404."""
    found = sending_organisations_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _by_organisation(
    rows: Iterable[dict[str, Any]], key: str = "sending_organisation_id"
) -> Counts:
    return {r[key]: r["n"] for r in rows if r[key] is not None}


def _grouped(queryset: QuerySet[Any], ids: list[int]) -> Counts:
    rows = (
        queryset.filter(sending_organisation_id__in=ids)
        .order_by()
        .values("sending_organisation_id")
        .annotate(n=Count("id"))
    )
    return _by_organisation(rows)


def _by_category(queryset: QuerySet[Case], ids: list[int]) -> dict[int, dict[str, int]]:
    rows = (
        queryset.filter(sending_organisation_id__in=ids)
        .order_by()
        .values("sending_organisation_id", "category")
        .annotate(n=Count("id"))
    )
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        found[row["sending_organisation_id"]][row["category"]] = row["n"]
    return found


def _found_between(start: dt.date, end: dt.date) -> QuerySet[Case]:
    """Cases found substantiated (wholly or partly) between ``start`` and ``end``."""
    return Case.objects.annotate(found_on=Coalesce("resolved_at__date", "closed_at__date")).filter(
        outcome__in=SUBSTANTIATED, found_on__range=(start, end)
    )


def _abroad_on(day: dt.date) -> QuerySet[Deployment]:
    """Deployments whose apprentice was abroad on ``day`` (departed, stay not yet over)."""
    return Deployment.objects.exclude(status__in=NEVER_LEFT).filter(
        Q(departed_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))
    )


def _early_returns_between(start: dt.date, end: dt.date) -> QuerySet[Deployment]:
    return Deployment.objects.filter(
        status=DeploymentStatus.RETURNED_EARLY, ended_on__range=(start, end)
    )


def _quarter(quarter: Quarter, today: dt.date, ids: list[int]) -> dict[int, QuarterFigures]:
    end = min(quarter.end, today)
    abroad = _grouped(_abroad_on(end), ids)
    reported = _grouped(Case.objects.filter(reported_at__date__range=(quarter.start, end)), ids)
    found = _grouped(
        _found_between(quarter.start, end),
        ids,
    )
    early = _grouped(_early_returns_between(quarter.start, end), ids)
    return {
        pk: QuarterFigures(
            quarter, abroad.get(pk, 0), reported.get(pk, 0), found.get(pk, 0), early.get(pk, 0)
        )
        for pk in ids
    }


def _overdue_by_organisation(today: dt.date, ids: list[int]) -> Counts:
    wanted = set(ids)
    counts: Counts = defaultdict(int)
    for overdue in overdue_reports(today=today):
        if overdue.sending_organisation_id in wanted:
            counts[overdue.sending_organisation_id] += 1
    return counts


def risk_figures(organisations: list[Organisation], *, today: dt.date) -> list[Figures]:
    """The figures of each of ``organisations`` (now, the last four quarters, the trend)."""
    ids = [o.pk for o in organisations]
    quarters = last_quarters(today)
    window_start = quarters[0].start
    abroad = _grouped(Deployment.objects.filter(status__in=sorted(ABROAD)), ids)
    open_cases = _by_category(Case.objects.filter(status__in=sorted(OPEN)), ids)
    found = _by_category(
        _found_between(window_start, today),
        ids,
    )
    early = _grouped(_early_returns_between(window_start, today), ids)
    overdue = _overdue_by_organisation(today, ids)
    per_quarter = [_quarter(q, today, ids) for q in quarters]
    return [
        Figures(
            organisation_id=o.pk,
            name=o.name,
            abroad=abroad.get(o.pk, 0),
            open_by_category=dict(open_cases.get(o.pk, {})),
            substantiated_by_category=dict(found.get(o.pk, {})),
            overdue_reports=overdue.get(o.pk, 0),
            early_returns=early.get(o.pk, 0),
            trend=tuple(q[o.pk] for q in per_quarter),
        )
        for o in organisations
    ]


def risk_ranking(user: Any, *, today: dt.date) -> list[Figures]:
    """The sending organisations in ``user``'s scope with any signal, the riskiest first."""
    organisations = list(sending_organisations_for(user).only("pk", "name"))
    return ranked(risk_figures(organisations, today=today))


def cases_for_sanction(organisation: Organisation) -> QuerySet[Case]:
    """The cases about ``organisation`` an officer may cite: open, or found substantiated."""
    return (
        Case.objects.filter(sending_organisation=organisation)
        .filter(Q(status__in=sorted(OPEN)) | Q(outcome__in=SUBSTANTIATED))
        .order_by("-reported_at", "-id")
    )


def decisions_from_cases(organisation: Organisation) -> QuerySet[LicenceDecision]:
    """The licence decisions about ``organisation`` that cited protection cases."""
    return (
        LicenceDecision.objects.filter(
            licence__organisation=organisation, cited_cases__isnull=False
        )
        .distinct()
        .order_by("-decided_at", "-id")
    )
