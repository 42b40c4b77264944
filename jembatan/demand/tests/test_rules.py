"""The rules a job order must meet: fee rules, lawful sex requirement, consistent requirements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord, Country, Occupation
from jembatan.demand.factories import FeeRuleFactory, JobOrderFactory
from jembatan.demand.models import FeeRule, JobOrder
from jembatan.demand.rules import CostLine, education_rank, fee_rule_in_force, meets_education
from jembatan.demand.services.job_orders import JobOrderInput, job_order_transition
from jembatan.demand.services.planning import fee_rule_set
from jembatan.demand.tests.conftest import PLACEMENT_FEE, TRAINING_FEE
from jembatan.participants.models import Education

pytestmark = pytest.mark.django_db


def test_a_placement_fee_is_refused_naming_the_item_and_the_rule(
    partner_user: User, post_job_order: Callable[..., JobOrder]
) -> None:
    with pytest.raises(ValidationError) as refused:
        post_job_order(partner_user, extra=JobOrderInput(costs=[TRAINING_FEE, PLACEMENT_FEE]))
    assert refused.value.messages == [
        "“Placement fee” (Placement fee) may not be charged to the apprentice under the rule "
        "Japan TITP costs (Permenaker 8/2008 (test))."
    ]
    assert JobOrder.objects.count() == 0
    assert not ChangeRecord.objects.filter(operation__startswith="demand.").exists()


def test_costs_above_the_cap_are_refused_with_the_total_and_the_cap(
    partner_user: User, post_job_order: Callable[..., JobOrder]
) -> None:
    costs = [TRAINING_FEE, CostLine("travel", "Flight", Decimal("15000000"), "IDR", "Airline")]
    with pytest.raises(ValidationError) as refused:
        post_job_order(partner_user, extra=JobOrderInput(costs=costs))
    assert refused.value.messages == [
        "The apprentice would pay 21,000,000.00 IDR in total; the rule Japan TITP costs "
        "(Permenaker 8/2008 (test)) allows at most 20,000,000.00 IDR."
    ]


def test_costs_in_another_currency_than_the_cap_are_refused(
    partner_user: User, post_job_order: Callable[..., JobOrder]
) -> None:
    yen = CostLine("documents", "Visa", Decimal("3000"), "JPY", "Embassy")
    with pytest.raises(ValidationError) as refused:
        post_job_order(partner_user, extra=JobOrderInput(costs=[yen]))
    assert refused.value.messages == [
        "“Visa” is stated in JPY; state costs paid at home in IDR so they can be checked "
        "against the rule Japan TITP costs (Permenaker 8/2008 (test))."
    ]


def test_costs_within_the_rule_are_accepted(
    partner_user: User, post_job_order: Callable[..., JobOrder]
) -> None:
    job_order = post_job_order(partner_user, extra=JobOrderInput(costs=[TRAINING_FEE]))
    assert job_order.costs.get().amount == Decimal("6000000")


def test_without_a_fee_rule_in_force_nothing_may_be_charged(
    partner_user: User, post_job_order: Callable[..., JobOrder], fee_rule: FeeRule
) -> None:
    today = timezone.localdate()
    FeeRule.objects.filter(pk=fee_rule.pk).update(
        valid_from=today - dt.timedelta(30), valid_to=today - dt.timedelta(1)
    )
    with pytest.raises(ValidationError, match="No fee rule is in force for Japan"):
        post_job_order(partner_user, extra=JobOrderInput(costs=[TRAINING_FEE]))
    free = post_job_order(partner_user, extra=JobOrderInput())
    assert free.costs.count() == 0


def test_submission_rechecks_the_fee_rule_in_force(
    partner_user: User, national_admin: User, post_job_order: Callable[..., JobOrder]
) -> None:
    job_order = post_job_order(partner_user)
    fee_rule_set(
        country=Country.objects.get(pk="JP"),
        scheme="titp",
        name="Stricter rule",
        legal_basis="Kepmen 2026 (test)",
        valid_from=timezone.localdate(),
        max_total_amount=Decimal("1000000"),
        acting_user=national_admin,
    )
    with pytest.raises(ValidationError, match=r"allows at most 1,000,000\.00 IDR"):
        job_order_transition(job_order=job_order, action="submit", acting_user=partner_user)
    job_order.refresh_from_db()
    assert job_order.status == "draft"


def test_a_new_fee_rule_ends_the_previous_one_the_day_before(
    fee_rule: FeeRule, national_admin: User
) -> None:
    start = fee_rule.valid_from + dt.timedelta(days=100)
    new = fee_rule_set(
        country=fee_rule.country,
        scheme="titp",
        name="2026 rule",
        legal_basis="test",
        valid_from=start,
        forbidden_kinds=["placement_fee"],
        acting_user=national_admin,
    )
    fee_rule.refresh_from_db()
    assert fee_rule.valid_to == start - dt.timedelta(days=1)
    assert fee_rule_in_force("JP", "titp", start) == new
    assert fee_rule_in_force("JP", "titp", start - dt.timedelta(days=1)) == fee_rule


def test_only_national_staff_set_fee_rules(partner_user: User) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        fee_rule_set(
            country=Country.objects.get(pk="JP"),
            scheme="titp",
            name="Mine",
            legal_basis="none",
            valid_from=timezone.localdate(),
            acting_user=partner_user,
        )
    assert FeeRule.objects.count() == 0


# --- sex only where lawfully required ----------------------------------------------


def test_the_database_refuses_a_sex_requirement_without_a_legal_reason() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        JobOrderFactory(sex_requirement="F", sex_requirement_legal_reason="")


def test_the_service_refuses_a_sex_requirement_without_a_legal_reason(
    partner_user: User, post_job_order: Callable[..., JobOrder]
) -> None:
    with pytest.raises(ValidationError) as refused:
        post_job_order(partner_user, sex_requirement="F", sex_requirement_legal_reason="  ")
    assert list(refused.value.message_dict) == ["sex_requirement_legal_reason"]
    assert JobOrder.objects.count() == 0


def test_a_sex_requirement_with_its_legal_reason_is_kept(
    partner_user: User, post_job_order: Callable[..., JobOrder]
) -> None:
    job_order = post_job_order(
        partner_user,
        sex_requirement="F",
        sex_requirement_legal_reason="Care of female residents only (test statute, art. 5).",
    )
    assert (job_order.sex_requirement, job_order.sex_requirement_legal_reason) == (
        "F",
        "Care of female residents only (test statute, art. 5).",
    )


# --- the other requirements --------------------------------------------------------


@pytest.mark.parametrize(
    ("test", "level", "score"),
    [
        ("jlpt", "", None),
        ("jlpt", "N4", 90),
        ("jft_basic", "", 251),
        ("jft_basic", "", 9),
        ("eps_topik", "", 201),
        ("", "", 100),
    ],
)
def test_the_database_refuses_an_inconsistent_language_requirement(
    test: str, level: str, score: int | None
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        JobOrderFactory(language_test=test, language_min_level=level, language_min_score=score)


@pytest.mark.parametrize(
    ("test", "level", "score"),
    [("jlpt", "N4", None), ("jft_basic", "", 200), ("eps_topik", "", 120), ("", "", None)],
)
def test_consistent_language_requirements_are_accepted(
    test: str, level: str, score: int | None
) -> None:
    job_order = JobOrderFactory(
        language_test=test, language_min_level=level, language_min_score=score
    )
    assert job_order.pk is not None


def test_an_age_below_eighteen_or_a_reversed_range_is_refused(
    partner_user: User, post_job_order: Callable[..., JobOrder]
) -> None:
    with pytest.raises(ValidationError) as young:
        post_job_order(partner_user, min_age=17)
    assert list(young.value.message_dict) == ["min_age"]
    with pytest.raises(IntegrityError), transaction.atomic():
        JobOrderFactory(min_age=30, max_age=25)


def test_a_wrongly_formed_skkni_code_is_refused(
    partner_user: User, post_job_order: Callable[..., JobOrder]
) -> None:
    with pytest.raises(ValidationError) as refused:
        post_job_order(partner_user, required_units=["A.010000.001.01", "welding"])
    assert refused.value.message_dict == {
        "required_units": ["Not an SKKNI unit code (expected the form X.000000.000.00): welding"]
    }


def test_an_ssw_occupation_does_not_fit_a_titp_job_order(
    partner_user: User, post_job_order: Callable[..., JobOrder]
) -> None:
    nursing = Occupation.objects.get(dataset__code="jp-ssw-2024", code="SSW-01")
    with pytest.raises(ValidationError) as refused:
        post_job_order(partner_user, occupation=nursing)
    assert list(refused.value.message_dict) == ["occupation"]


def test_a_japanese_programme_places_apprentices_in_japan_only(
    partner_user: User, post_job_order: Callable[..., JobOrder]
) -> None:
    with pytest.raises(ValidationError) as refused:
        post_job_order(partner_user, country=Country.objects.get(pk="KR"))
    assert refused.value.message_dict == {
        "country": [
            "Technical Intern Training (Japan) places apprentices in one country only (JP)."
        ]
    }


def test_education_follows_the_registry_order() -> None:
    assert [education_rank(e) for e in ("sd", "sma", "s2", "")] == [0, 2, 8, -1]
    assert meets_education(Education.D3, Education.SMA)
    assert not meets_education(Education.SMP, Education.SMA)
    assert meets_education("", "")


def test_a_fee_rule_cannot_end_before_it_starts() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        FeeRuleFactory(valid_to=dt.date(2000, 1, 1))
