"""Fee rules on the national administrator's page: add one, end one, with history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord, Country
from jembatan.demand.errors import DemandErrorCode
from jembatan.demand.models import FeeRule
from jembatan.demand.services.planning import fee_rule_close, fee_rule_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule(national_admin: User) -> FeeRule:
    return fee_rule_set(
        country=Country.objects.get(pk="JP"),
        scheme="ssw",
        name="SSW placement costs",
        legal_basis="Permenaker 4/2023",
        valid_from=dt.date(2024, 1, 1),
        acting_user=national_admin,
    )


def test_the_administrator_adds_a_rule_that_ends_the_one_it_replaces(
    rule: FeeRule, national_admin: User, client: Any
) -> None:
    client.force_login(national_admin)

    response = client.post(
        reverse("demand:fee_rule_add"),
        {
            "country": "JP",
            "scheme": "ssw",
            "name": "SSW placement costs 2027",
            "legal_basis": "Permenaker 1/2027",
            "valid_from": "2027-01-01",
            "currency": "IDR",
            "max_total_amount": "15000000",
            "forbidden_kinds": [],
        },
    )

    assert response.status_code == 302
    assert FeeRule.objects.get(pk=rule.pk).valid_to == dt.date(2026, 12, 31)
    assert FeeRule.objects.filter(name="SSW placement costs 2027").exists()


def test_the_administrator_ends_a_rule_with_the_reason(
    rule: FeeRule, national_admin: User, client: Any
) -> None:
    client.force_login(national_admin)

    client.post(
        reverse("demand:fee_rule_close", args=[rule.pk]),
        {"valid_to": "2026-06-30", "reason": "The regulation was revoked."},
    )

    assert FeeRule.objects.get(pk=rule.pk).valid_to == dt.date(2026, 6, 30)
    record = ChangeRecord.objects.get(operation="demand.fee_rule_close")
    assert record.reason == "The regulation was revoked."


def test_an_end_before_the_start_or_a_second_end_is_refused(
    rule: FeeRule, national_admin: User
) -> None:
    with pytest.raises(ValidationError) as early:
        fee_rule_close(
            rule=rule, valid_to=dt.date(2023, 1, 1), reason="x", acting_user=national_admin
        )
    fee_rule_close(rule=rule, valid_to=dt.date(2025, 1, 1), reason="x", acting_user=national_admin)
    with pytest.raises(ValidationError) as again:
        fee_rule_close(
            rule=rule, valid_to=dt.date(2025, 6, 1), reason="x", acting_user=national_admin
        )

    assert early.value.error_dict["valid_to"][0].code == DemandErrorCode.FEE_RULE_END
    assert again.value.code == DemandErrorCode.FEE_RULE_CLOSED
    assert FeeRule.objects.get(pk=rule.pk).valid_to == dt.date(2025, 1, 1)


def test_a_national_officer_reads_the_rules_but_may_not_change_them(
    rule: FeeRule, national_officer: User, client: Any
) -> None:
    client.force_login(national_officer)

    page = client.get(reverse("demand:fee_rules"))
    refused = client.post(
        reverse("demand:fee_rule_close", args=[rule.pk]),
        {"valid_to": "2026-06-30", "reason": "No."},
    )

    assert page.status_code == 200 and "SSW placement costs" in page.content.decode()
    assert refused.status_code == 403
    assert FeeRule.objects.get(pk=rule.pk).valid_to is None
