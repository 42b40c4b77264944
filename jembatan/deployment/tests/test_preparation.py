"""Before departure: a deployment from a confirmed placement, the contract, the steps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord, Occupation
from jembatan.demand.factories import JobOrderFactory
from jembatan.demand.models import JobOrder, Placement, PlacementStatus
from jembatan.demand.rules import CostLine
from jembatan.deployment.errors import DeploymentErrorCode
from jembatan.deployment.factories import HostCompanyFactory, SupervisorFactory
from jembatan.deployment.models import (
    Contract,
    Deployment,
    DeploymentStatus,
    PreDepartureStep,
    StepKind,
)
from jembatan.deployment.rules import ContractTerms
from jembatan.deployment.services.preparation import (
    DeploymentDetails,
    StepInput,
    contract_differences_approve,
    contract_record,
    deployment_create,
    step_record,
)
from jembatan.organisations.models import Organisation
from jembatan.participants.models import JourneyStatus, Participant

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _details(**overrides: Any) -> DeploymentDetails:
    values: dict[str, Any] = {
        "host_company": HostCompanyFactory(name="Hokota Farm Co."),
        "host_prefecture": "Ibaraki",
        "host_city": "Hokota",
        "host_address": "1-2-3 Hokota, Hokota-shi, Ibaraki-ken 311-1500",
        "host_contact_name": "Suzuki Kenji",
        "host_contact_phone": "+81 291 00 0000",
        "supervising_organisation": SupervisorFactory(name="Ibaraki Agricultural Cooperative"),
        "planned_departure": TODAY + dt.timedelta(days=30),
        "planned_months": 36,
    }
    return DeploymentDetails(**(values | overrides))


@pytest.fixture
def placement(participant_jateng: Participant, im_japan: Organisation) -> Placement:
    order = JobOrderFactory(partner=im_japan, approved=True)
    return Placement.objects.create(
        job_order=order,
        participant=participant_jateng,
        status=PlacementStatus.CONFIRMED,
        confirmed_at=timezone.now(),
    )


def test_a_confirmed_placement_starts_a_deployment_being_prepared(
    placement: Placement, sender_operator: User
) -> None:
    deployment = deployment_create(
        placement=placement, details=_details(), acting_user=sender_operator
    )

    assert deployment.status == DeploymentStatus.PREPARING
    assert deployment.sending_organisation == placement.participant.sending_organisation
    assert deployment.partner_id == placement.job_order.partner_id
    assert deployment.reference == f"DP-{deployment.pk:06d}"
    assert list(deployment.events.values_list("action", "to_status")) == [("create", "preparing")]
    assert ChangeRecord.objects.filter(operation="deployment.deployment_create").count() == 1


def test_a_stay_past_three_years_is_refused_for_an_operation_not_eligible_for_stage_3(
    placement: Placement, sender_operator: User
) -> None:
    """OTIT: pickle making (4-10-1) may not move on to stage 3 (years 4-5)."""
    pickles = Occupation.objects.get(dataset__code="jp-titp-2025", code="TITP-S4-10-01")
    JobOrder.objects.filter(pk=placement.job_order_id).update(occupation=pickles)

    with pytest.raises(ValidationError) as refused:
        deployment_create(
            placement=placement, details=_details(planned_months=60), acting_user=sender_operator
        )

    [error] = refused.value.error_dict["planned_months"]
    assert error.code == "not_eligible_for_stage3"
    assert "not eligible for stage 3" in error.messages[0]
    assert not Deployment.objects.exists()
    assert (
        deployment_create(
            placement=placement, details=_details(planned_months=36), acting_user=sender_operator
        ).planned_months
        == 36
    )


def test_a_proposed_placement_is_not_prepared(placement: Placement, sender_operator: User) -> None:
    Placement.objects.filter(pk=placement.pk).update(status=PlacementStatus.PROPOSED)

    with pytest.raises(ValidationError) as refused:
        deployment_create(placement=placement, details=_details(), acting_user=sender_operator)

    assert refused.value.code == DeploymentErrorCode.PLACEMENT_NOT_CONFIRMED
    assert not Deployment.objects.exists()


def test_a_placement_is_prepared_once(placement: Placement, sender_operator: User) -> None:
    deployment_create(placement=placement, details=_details(), acting_user=sender_operator)

    with pytest.raises(ValidationError) as refused:
        deployment_create(placement=placement, details=_details(), acting_user=sender_operator)

    assert refused.value.code == DeploymentErrorCode.ALREADY_DEPLOYED
    assert Deployment.objects.count() == 1


def test_another_sending_organisation_may_not_prepare_it(
    placement: Placement, other_sender_operator: User
) -> None:
    with pytest.raises(PermissionDenied):
        deployment_create(
            placement=placement, details=_details(), acting_user=other_sender_operator
        )

    assert not Deployment.objects.exists()


def test_technical_intern_training_needs_its_supervising_organisation(
    placement: Placement, sender_operator: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        deployment_create(
            placement=placement,
            details=_details(supervising_organisation=None),
            acting_user=sender_operator,
        )

    assert refused.value.error_dict["supervising_organisation"][0].code == (
        DeploymentErrorCode.SUPERVISOR_REQUIRED
    )


def test_the_host_must_be_a_host_company_abroad(
    placement: Placement, sender_operator: User, lpk_b: Organisation
) -> None:
    with pytest.raises(ValidationError) as refused:
        deployment_create(
            placement=placement, details=_details(host_company=lpk_b), acting_user=sender_operator
        )

    assert refused.value.error_dict["host_company"][0].code == (
        DeploymentErrorCode.NOT_A_HOST_COMPANY
    )


# --- the contract --------------------------------------------------------------------


def _terms(**overrides: Any) -> ContractTerms:
    values: dict[str, Any] = {
        "signed_on": TODAY - dt.timedelta(days=3),
        "starts_on": TODAY + dt.timedelta(days=30),
        "months": 36,
        "wage_amount": Decimal("200000"),
        "wage_currency": "JPY",
        "wage_period": "month",
        "weekly_hours": 40,
    }
    return ContractTerms(**(values | overrides))


def _contract_state(deployment: Deployment) -> tuple[Any, ...]:
    person = Participant.objects.get(pk=deployment.participant_id)
    return Contract.objects.filter(deployment=deployment).count(), person.status


@pytest.fixture
def matched(deployment: Deployment) -> Deployment:
    Participant.objects.filter(pk=deployment.participant_id).update(status=JourneyStatus.MATCHED)
    return deployment


def test_a_contract_as_the_job_order_promised_moves_the_person_to_contracted(
    matched: Deployment, sender_operator: User
) -> None:
    terms = _terms(starts_on=dt.date(2027, 1, 15))
    contract = contract_record(deployment=matched, terms=terms, acting_user=sender_operator)

    assert contract.differences == []
    assert contract.differences_settled
    assert contract.ends_on == dt.date(2030, 1, 14)
    assert Participant.objects.get(pk=matched.participant_id).status == JourneyStatus.CONTRACTED


def test_a_wage_below_the_job_orders_is_refused_and_nothing_is_written(
    matched: Deployment, sender_operator: User
) -> None:
    before = _contract_state(matched)

    with pytest.raises(ValidationError) as refused:
        contract_record(
            deployment=matched,
            terms=_terms(wage_amount=Decimal("180000")),
            acting_user=sender_operator,
        )

    error = refused.value.error_dict["wage_amount"][0]
    assert error.code == DeploymentErrorCode.WAGE_BELOW_JOB_ORDER
    assert error.messages == [
        "The contract's wage 180,000.00 JPY is below the 200,000.00 JPY job order "
        f"{matched.job_order.reference} promised. A contract may not pay less than the job "
        "order the apprentice was matched to."
    ]
    assert _contract_state(matched) == before


def test_a_wage_in_another_period_cannot_be_compared_and_is_refused(
    matched: Deployment, sender_operator: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        contract_record(
            deployment=matched,
            terms=_terms(wage_amount=Decimal("1200"), wage_period="hour"),
            acting_user=sender_operator,
        )

    assert refused.value.error_dict["wage_amount"][0].code == DeploymentErrorCode.WAGE_TERMS_DIFFER


def test_a_difference_without_a_reason_is_refused(
    matched: Deployment, sender_operator: User
) -> None:
    before = _contract_state(matched)

    with pytest.raises(ValidationError) as refused:
        contract_record(
            deployment=matched, terms=_terms(weekly_hours=44), acting_user=sender_operator
        )

    error = refused.value.error_dict["difference_reason"][0]
    assert error.code == DeploymentErrorCode.DIFFERENCE_NEEDS_REASON
    assert "44 working hours a week instead of the job order's 40" in error.messages[0]
    assert _contract_state(matched) == before


def test_a_difference_with_a_reason_waits_for_kemnakers_approval(
    matched: Deployment, sender_operator: User, national_officer: User
) -> None:
    contract = contract_record(
        deployment=matched,
        terms=_terms(months=24),
        difference_reason="The host company's licence for year 3 is pending.",
        acting_user=sender_operator,
    )
    assert not contract.differences_settled

    approved = contract_differences_approve(
        deployment=matched, reason="Checked with OTIT.", acting_user=national_officer
    )

    assert approved.differences_settled
    assert approved.differences_approved_by == national_officer


def test_only_kemnaker_approves_a_difference(matched: Deployment, sender_operator: User) -> None:
    contract_record(
        deployment=matched,
        terms=_terms(months=24),
        difference_reason="x",
        acting_user=sender_operator,
    )

    with pytest.raises(PermissionDenied):
        contract_differences_approve(deployment=matched, reason="ok", acting_user=sender_operator)

    assert Contract.objects.get(deployment=matched).differences_approved_at is None


def test_a_difference_kemnaker_records_with_its_reason_is_approved_at_once(
    matched: Deployment, national_officer: User
) -> None:
    contract = contract_record(
        deployment=matched,
        terms=_terms(months=24),
        difference_reason="Two-year programme agreed with IM Japan.",
        acting_user=national_officer,
    )

    assert contract.differences_settled


def test_costs_the_fee_rule_forbids_are_refused(matched: Deployment, sender_operator: User) -> None:
    fee = CostLine("placement_fee", "Placement fee", Decimal("5000000"), "IDR", "Agency X")

    with pytest.raises(ValidationError) as refused:
        contract_record(
            deployment=matched,
            terms=_terms(fees=[fee]),
            difference_reason="x",
            acting_user=sender_operator,
        )

    assert "may not be charged to the apprentice" in refused.value.messages[0]
    assert not Contract.objects.exists()


# --- the steps ----------------------------------------------------------------------


def test_a_step_records_its_evidence_and_who_confirmed_it(
    deployment: Deployment, sender_operator: User
) -> None:
    step = step_record(
        deployment=deployment,
        kind=StepKind.MEDICAL,
        step=StepInput(done_on=TODAY, reference="MCU-7", passed=True),
        acting_user=sender_operator,
    )

    assert (step.kind, step.reference, step.passed) == ("medical", "MCU-7", True)
    assert step.confirmed_by == sender_operator


def test_a_medical_check_without_its_result_is_refused(
    deployment: Deployment, sender_operator: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        step_record(
            deployment=deployment,
            kind=StepKind.MEDICAL,
            step=StepInput(done_on=TODAY),
            acting_user=sender_operator,
        )

    assert refused.value.error_dict["passed"][0].code == DeploymentErrorCode.MEDICAL_RESULT


def test_an_orientation_dated_ahead_is_refused_but_a_flight_may_be(
    deployment: Deployment, sender_operator: User
) -> None:
    ahead = TODAY + dt.timedelta(days=5)
    with pytest.raises(ValidationError) as refused:
        step_record(
            deployment=deployment,
            kind=StepKind.ORIENTATION,
            step=StepInput(done_on=ahead),
            acting_user=sender_operator,
        )
    assert refused.value.error_dict["done_on"][0].code == DeploymentErrorCode.FUTURE_DATE

    flight = step_record(
        deployment=deployment,
        kind=StepKind.FLIGHT,
        step=StepInput(done_on=ahead, reference="GA874"),
        acting_user=sender_operator,
    )
    assert flight.done_on == ahead


def test_a_passport_expiring_before_the_contract_ends_is_refused_and_nothing_is_written(
    matched: Deployment, sender_operator: User
) -> None:
    contract = contract_record(deployment=matched, terms=_terms(), acting_user=sender_operator)
    records = ChangeRecord.objects.count()

    with pytest.raises(ValidationError) as refused:
        step_record(
            deployment=matched,
            kind=StepKind.PASSPORT,
            step=StepInput(done_on=TODAY, reference="C1234567", expires_on=contract.ends_on),
            acting_user=sender_operator,
        )

    error = refused.value.error_dict["expires_on"][0]
    assert error.code == DeploymentErrorCode.PASSPORT_EXPIRES
    assert "before the contract ends on" in error.messages[0]
    assert not PreDepartureStep.objects.exists()
    assert ChangeRecord.objects.count() == records


def test_nothing_before_departure_changes_after_it(
    ready: Deployment, sender_operator: User
) -> None:
    Deployment.objects.filter(pk=ready.pk).update(status="departed", departed_on=TODAY)

    with pytest.raises(ValidationError) as refused:
        step_record(
            deployment=ready,
            kind=StepKind.FLIGHT,
            step=StepInput(done_on=TODAY, reference="JL726"),
            acting_user=sender_operator,
        )

    assert refused.value.code == DeploymentErrorCode.DEPARTURE_CLOSED
    assert PreDepartureStep.objects.get(deployment=ready, kind="flight").reference == "GA874"
