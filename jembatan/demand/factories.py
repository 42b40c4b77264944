# mypy: disable-error-code="no-untyped-call"
# (factory_boy declares its declarations without types.)
"""Test data for demand (factory_boy).

``JobOrderFactory`` writes a draft through the ORM (with a partner, Japan,
Technical Intern Training and a TITP occupation); tests of the workflow call
the services. ``approved=True`` gives an order as the ministry approved it.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from factory.declarations import LazyFunction, SubFactory, Trait
from factory.django import DjangoModelFactory

from jembatan.core.models import Occupation
from jembatan.demand.models import (
    Currency,
    FeeRule,
    JobOrder,
    JobOrderStatus,
    PayPeriod,
    Placement,
    Scheme,
)
from jembatan.organisations.factories import OrganisationFactory

TITP_OCCUPATION = "TITP-S1-01-01"  # protected horticulture


def titp_occupation() -> Occupation:
    """An occupation of Japan's Technical Intern Training table."""
    return Occupation.objects.get(dataset__code="jp-titp-2025", code=TITP_OCCUPATION)


class JobOrderFactory(DjangoModelFactory[JobOrder]):
    """A draft for ten apprentices in protected horticulture in Japan."""

    class Meta:
        model = JobOrder
        skip_postgeneration_save = True

    class Params:
        approved = Trait(
            status=JobOrderStatus.APPROVED,
            submitted_at=LazyFunction(timezone.now),
            approved_at=LazyFunction(timezone.now),
        )

    partner = SubFactory(OrganisationFactory, partner=True)
    country_id = "JP"
    scheme = Scheme.TITP
    occupation = LazyFunction(titp_occupation)
    title = "Pekerja rumah kaca (greenhouse worker)"
    slots = 10
    work_prefecture = "Ibaraki"
    work_city = "Hokota"
    contract_months = 36
    wage_amount = Decimal("200000")
    wage_currency = Currency.JPY
    wage_period = PayPeriod.MONTH


class PlacementFactory(DjangoModelFactory[Placement]):
    """A proposal of a participant for a job order."""

    class Meta:
        model = Placement

    job_order = SubFactory(JobOrderFactory, approved=True)


class FeeRuleFactory(DjangoModelFactory[FeeRule]):
    """Japan, Technical Intern Training: no placement fee, no deposit, at most Rp 20 million."""

    class Meta:
        model = FeeRule

    country_id = "JP"
    scheme = Scheme.TITP
    name = "Biaya magang Jepang (uji)"
    legal_basis = "Test rule"
    max_total_amount = Decimal("20000000")
    currency = Currency.IDR
    forbidden_kinds = LazyFunction(lambda: ["placement_fee", "deposit"])
    valid_from = LazyFunction(lambda: timezone.localdate().replace(month=1, day=1))
