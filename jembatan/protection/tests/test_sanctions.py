"""sanction_from_cases: a decision citing cases; a case of another organisation refuses it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from jembatan.organisations.models import LicenceDecision
from jembatan.organisations.workflows import LicenceAction
from jembatan.protection.factories import make_case
from jembatan.protection.models import SanctionCase
from jembatan.protection.services.sanctions import sanction_from_cases

pytestmark = pytest.mark.django_db


def test_a_case_about_another_organisation_refuses_the_whole_decision(
    lpk_a, lpk_b, national_officer
) -> None:
    ours = make_case(sending_organisation=lpk_a)
    theirs = make_case(sending_organisation=lpk_b)

    with pytest.raises(ValidationError) as refused:
        sanction_from_cases(
            licence=lpk_a.licences.get(),
            action=LicenceAction.WARN,
            cases=[ours, theirs],
            data={"reason": "Unpaid wages."},
            acting_user=national_officer,
        )

    assert theirs.code in str(refused.value)
    assert LicenceDecision.objects.count() == 0 and SanctionCase.objects.count() == 0


def test_a_suspension_from_cases_suspends_the_licence_and_cites_them(
    lpk_a, national_officer
) -> None:
    cases = [make_case(sending_organisation=lpk_a) for _ in range(2)]

    decision = sanction_from_cases(
        licence=lpk_a.licences.get(),
        action=LicenceAction.SUSPEND,
        cases=cases,
        data={"reason": "Passports retained by the host companies it chose."},
        acting_user=national_officer,
    )

    assert decision.kind == "suspension"
    assert lpk_a.licences.get().status == "suspended"
    assert sorted(decision.cited_cases.values_list("case_id", flat=True)) == sorted(
        c.pk for c in cases
    )
