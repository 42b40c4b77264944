"""Fixtures for the demand tests: a fee rule for Japan's TITP, a valid job order's fields."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from jembatan.accounts.factories import UserFactory
from jembatan.accounts.models import User
from jembatan.core.models import Occupation, Region
from jembatan.core.roles import Role
from jembatan.demand.factories import (
    FeeRuleFactory,
    JobOrderFactory,
    PlacementFactory,
    titp_occupation,
)
from jembatan.demand.models import FeeRule, JobOrder, PlacementStatus
from jembatan.demand.rules import CostLine
from jembatan.demand.services.job_orders import AllowanceLine, JobOrderInput, job_order_create
from jembatan.organisations.factories import OrganisationFactory
from jembatan.organisations.models import Organisation, OrganisationKind
from jembatan.participants.factories import ParticipantFactory

# An interview date still ahead whenever the suite runs.
INTERVIEW = (_dt.date.today() + _dt.timedelta(days=60)).isoformat()


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted in English, the source language."""
    with translation.override("en"):
        yield


@pytest.fixture
def fee_rule(db: None) -> FeeRule:
    """Japan TITP: no placement fee or deposit; at most Rp 20,000,000 in total."""
    return FeeRuleFactory(name="Japan TITP costs", legal_basis="Permenaker 8/2008 (test)")


@pytest.fixture
def host_company(im_japan: Organisation) -> Organisation:
    """A farm in Ibaraki that hosts apprentices through IM Japan."""
    return OrganisationFactory(
        name="Hokota Farm Co.",
        kind=OrganisationKind.HOST_COMPANY,
        country_id="JP",
        province_id=None,
        region_id=None,
        parent=im_japan,
    )


def job_order_fields(**overrides: Any) -> dict[str, Any]:
    """The fields of a valid TITP job order for ten greenhouse workers."""
    fields: dict[str, Any] = {
        "country": _japan(),
        "scheme": "titp",
        "occupation": titp_occupation(),
        "title": "Greenhouse worker",
        "slots": 10,
        "work_prefecture": "Ibaraki",
        "work_city": "Hokota",
        "contract_months": 36,
        "wage_amount": Decimal("200000"),
        "wage_currency": "JPY",
        "wage_period": "month",
        "min_age": 19,
        "max_age": 30,
        "min_education": "sma",
        "language_test": "jlpt",
        "language_min_level": "N4",
        "required_units": ["A.010000.001.01"],
        "interview_dates": [INTERVIEW],
    }
    return fields | overrides


def _japan() -> Any:
    from jembatan.core.models import Country

    return Country.objects.get(pk="JP")


TRAINING_FEE = CostLine("training", "Pre-departure training", Decimal("6000000"), "IDR", "LPK A")
PLACEMENT_FEE = CostLine("placement_fee", "Placement fee", Decimal("5000000"), "IDR", "Agency X")
HOUSING = AllowanceLine("Housing", Decimal("20000"), "JPY", "month")


@pytest.fixture
def post_job_order(im_japan: Organisation, fee_rule: FeeRule) -> Callable[..., JobOrder]:
    """Post a job order as ``by`` (the partner user unless told), with a training cost."""

    def post(by: User, extra: JobOrderInput | None = None, **overrides: Any) -> JobOrder:
        lines = extra or JobOrderInput(
            allowances=[HOUSING], costs=[TRAINING_FEE], training_provinces=["33", "35"]
        )
        return job_order_create(acting_user=by, fields=job_order_fields(**overrides), extra=lines)

    return post


@pytest.fixture
def published(im_japan: Organisation) -> dict[str, JobOrder]:
    """Orders in every situation the public list must tell apart."""
    creator = UserFactory(username="pembuat", full_name="Hidden Creator", role=Role.PARTNER)
    greenhouse = JobOrderFactory(
        partner=im_japan, approved=True, title="Greenhouse", created_by=creator
    )
    greenhouse.training_provinces.set([Region.objects.get(code="33")])
    nursing = JobOrderFactory(
        approved=True,
        scheme="ssw",
        title="Nursing care",
        occupation=Occupation.objects.get(dataset__code="jp-ssw-2024", code="SSW-01"),
    )
    nursing.training_provinces.set([Region.objects.get(code="35")])
    korea = JobOrderFactory(
        approved=True,
        country_id="KR",
        scheme="eps",
        title="Shipyard",
        occupation=Occupation.objects.get(dataset__code="kbji-2014", code="7"),
    )
    full = JobOrderFactory(approved=True, title="Full farm", slots=1)
    PlacementFactory(
        job_order=full,
        participant=ParticipantFactory(full_name="Rahasia Peserta"),
        status=PlacementStatus.CONFIRMED,
    )
    PlacementFactory(job_order=greenhouse, participant=ParticipantFactory(full_name="Ani Rahasia"))
    draft = JobOrderFactory(title="Draft farm")
    return {
        "greenhouse": greenhouse,
        "nursing": nursing,
        "korea": korea,
        "full": full,
        "draft": draft,
    }
