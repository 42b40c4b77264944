"""A job order takes its occupation from its programme's current table (core/data/occupations.*).

SSW uses the 2026 table of 19 fields, ESD (育成就労, from April 2027) its own 17 fields,
TITP its occupations and operations, whose stage-3 eligibility limits a stay past 3 years.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord, Occupation
from jembatan.demand.errors import DemandErrorCode
from jembatan.demand.models import JobOrder
from jembatan.demand.services.job_orders import JobOrderInput

pytestmark = pytest.mark.django_db
NO_COSTS = JobOrderInput(training_provinces=["33"])


def _occupation(dataset: str, code: str) -> Occupation:
    return Occupation.objects.get(dataset__code=dataset, code=code)


def test_an_ssw_2026_field_added_by_the_cabinet_decision_is_usable_on_an_ssw_job_order(
    partner_user: User, post_job_order: Callable[..., JobOrder]
) -> None:
    logistics = _occupation("jp-ssw-2026", "SSW-18")
    order = post_job_order(partner_user, extra=NO_COSTS, scheme="ssw", occupation=logistics)
    assert (order.occupation.name_ja, order.scheme) == ("物流倉庫", "ssw")


def test_an_esd_field_is_usable_on_an_esd_job_order(
    partner_user: User, post_job_order: Callable[..., JobOrder]
) -> None:
    linen = _occupation("jp-esd-2027", "ESD-15")
    order = post_job_order(partner_user, extra=NO_COSTS, scheme="esd", occupation=linen)
    assert (order.occupation.name_ja, order.scheme) == ("リネンサプライ", "esd")


def test_a_titp_occupation_is_refused_on_an_esd_job_order_and_nothing_is_written(
    partner_user: User, post_job_order: Callable[..., JobOrder]
) -> None:
    greenhouse = _occupation("jp-titp-2025", "TITP-S1-01-01")
    with pytest.raises(ValidationError) as refused:
        post_job_order(partner_user, extra=NO_COSTS, scheme="esd", occupation=greenhouse)
    assert refused.value.message_dict["occupation"] == [
        f"{greenhouse} is not an occupation of Employment for Skill Development (Japan, from "
        "April 2027): its job orders take an occupation from jp-esd-2027, kbji-2014."
    ]
    assert not JobOrder.objects.exists()
    assert not ChangeRecord.objects.filter(operation__startswith="demand.").exists()


def test_an_ssw_2024_field_is_no_longer_offered_to_a_new_ssw_job_order(
    partner_user: User, post_job_order: Callable[..., JobOrder]
) -> None:
    old = _occupation("jp-ssw-2024", "SSW-01")
    with pytest.raises(ValidationError) as refused:
        post_job_order(partner_user, extra=NO_COSTS, scheme="ssw", occupation=old)
    assert list(refused.value.message_dict) == ["occupation"]
    assert not JobOrder.objects.exists()


def test_a_titp_stay_past_three_years_is_refused_for_an_operation_not_eligible_for_stage_3(
    partner_user: User, post_job_order: Callable[..., JobOrder]
) -> None:
    pickles = _occupation("jp-titp-2025", "TITP-S4-10-01")
    with pytest.raises(ValidationError) as refused:
        post_job_order(partner_user, occupation=pickles, contract_months=60)
    error = refused.value.error_dict["contract_months"][0]
    assert error.code == DemandErrorCode.NOT_ELIGIBLE_FOR_STAGE3
    assert "not eligible for stage 3" in error.messages[0]
    assert "OTIT" in error.messages[0]
    assert not JobOrder.objects.exists()


def test_an_occupation_whose_every_operation_stops_at_stage_2_is_refused_past_three_years(
    partner_user: User, post_job_order: Callable[..., JobOrder]
) -> None:
    pickles_occupation = _occupation("jp-titp-2025", "TITP-S4-10")
    with pytest.raises(ValidationError) as refused:
        post_job_order(partner_user, occupation=pickles_occupation, contract_months=48)
    assert refused.value.error_dict["contract_months"][0].code == "not_eligible_for_stage3"


def test_the_same_operation_may_run_three_years_and_an_eligible_one_five(
    partner_user: User, post_job_order: Callable[..., JobOrder]
) -> None:
    pickles = _occupation("jp-titp-2025", "TITP-S4-10-01")
    three_years = post_job_order(partner_user, occupation=pickles, contract_months=36)
    greenhouse = _occupation("jp-titp-2025", "TITP-S1-01-01")
    five_years = post_job_order(partner_user, occupation=greenhouse, contract_months=60)
    assert (three_years.contract_months, five_years.contract_months) == (36, 60)
