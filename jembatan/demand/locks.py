"""Row locks of job orders, placements, targets and fee rules (house rule 5).

Each function returns the row locked (``SELECT ... FOR UPDATE``) until the
caller's transaction ends: two officers deciding the same job order, or two
partners confirming its last slot, wait for each other instead of both
succeeding (PostgreSQL; SQLite serialises writers anyway). Several rows are
locked in id order, so that two transactions locking the same rows cannot
deadlock. Other apps lock a job order through these functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from jembatan.core.models import Country
from jembatan.demand.models import FeeRule, JobOrder, Placement, Target
from jembatan.organisations.models import Organisation


def lock_job_order(pk: int) -> JobOrder:
    """The job order, locked, with what its checks read (partner, country, occupation table).

    Only the job order's own row is locked, not the rows joined to it.
    """
    return (
        JobOrder.objects.select_for_update(of=("self",))
        .select_related("partner", "country", "occupation__dataset")
        .get(pk=pk)
    )


def lock_job_orders(pks: Iterable[int]) -> list[JobOrder]:
    """These job orders, locked in id order (those that do not exist are left out)."""
    return list(JobOrder.objects.select_for_update().filter(pk__in=set(pks)).order_by("pk"))


def lock_placement(pk: int) -> Placement:
    """The placement, locked."""
    return Placement.objects.select_for_update().get(pk=pk)


def lock_target(
    *, year: int, partner: Organisation | None, country: Country | None
) -> Target | None:
    """The target set for this year, partner and country, locked; None while none is set."""
    return (
        Target.objects.select_for_update(of=("self",))
        .filter(year=year, partner=partner, country=country)
        .order_by("pk")
        .first()
    )


def lock_fee_rule(*, country: Country, scheme: str, replaced_on: dt.date) -> FeeRule | None:
    """The open-ended fee rule that a rule starting on ``replaced_on`` replaces, locked.

    That is the latest rule of this country and scheme without an end date that
    started before ``replaced_on``; None if there is none.
    """
    return (
        FeeRule.objects.select_for_update(of=("self",))
        .filter(country=country, scheme=scheme, valid_to__isnull=True, valid_from__lt=replaced_on)
        .order_by("-valid_from")
        .first()
    )


def lock_fee_rule_row(pk: int) -> FeeRule:
    """One fee rule by id, locked (closing it)."""
    return FeeRule.objects.select_for_update().get(pk=pk)
