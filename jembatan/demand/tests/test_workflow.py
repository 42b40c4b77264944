"""The job order's workflow: who may post, submit, approve, return, open, close and cancel."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.demand.factories import JobOrderFactory, PlacementFactory
from jembatan.demand.models import JobOrder, JobOrderStatus, PlacementStatus
from jembatan.demand.rules import JobOrderNotOpen, ensure_job_order_open
from jembatan.demand.services.job_orders import (
    JobOrderInput,
    JobOrderTransitionRefused,
    job_order_transition,
    job_order_update,
)
from jembatan.demand.tests.conftest import job_order_fields
from jembatan.demand.workflows import JOB_ORDER_WORKFLOW, JobOrderAction
from jembatan.organisations.factories import OrganisationFactory
from jembatan.organisations.models import Organisation
from jembatan.participants.factories import ParticipantFactory

pytestmark = pytest.mark.django_db
A = JobOrderAction
S = JobOrderStatus


def _changes(job_order: JobOrder) -> list[str]:
    rows = ChangeRecord.objects.filter(object_id=str(job_order.pk), content_type__model="joborder")
    return list(rows.order_by("id").values_list("operation", flat=True))


def test_the_table_allows_exactly_the_moves_of_the_documented_workflow() -> None:
    documented = {
        S.DRAFT: {S.SUBMITTED, S.CANCELLED},
        S.SUBMITTED: {S.APPROVED, S.RETURNED, S.CANCELLED},
        S.RETURNED: {S.SUBMITTED, S.CANCELLED},
        S.APPROVED: {S.OPEN, S.FILLED, S.CLOSED, S.CANCELLED},
        S.OPEN: {S.FILLED, S.CLOSED, S.CANCELLED},
        S.FILLED: {S.OPEN, S.CLOSED},
        S.CLOSED: set(),
        S.CANCELLED: set(),
    }
    assert {s: set(JOB_ORDER_WORKFLOW.targets(s)) for s in S} == documented


def test_a_partner_posts_a_draft_for_its_own_organisation_and_it_is_audited(
    partner_user: User, im_japan: Organisation, post_job_order: Callable[..., JobOrder]
) -> None:
    job_order = post_job_order(partner_user)
    assert (job_order.status, job_order.partner, job_order.created_by) == (
        S.DRAFT,
        im_japan,
        partner_user,
    )
    assert sorted(job_order.training_provinces.values_list("code", flat=True)) == ["33", "35"]
    assert [c.description for c in job_order.costs.all()] == ["Pre-departure training"]
    record = ChangeRecord.objects.get(operation="demand.job_order_create")
    assert record.actor == partner_user
    assert record.changes["costs"]["after"] == [
        ["training", "Pre-departure training", "6000000.00", "IDR", "LPK A"]
    ]


def test_a_partner_cannot_post_for_another_partner(
    partner_user: User, post_job_order: Callable[..., JobOrder]
) -> None:
    other = OrganisationFactory(partner=True)
    with pytest.raises(PermissionDenied):
        post_job_order(partner_user, partner=other)
    assert JobOrder.objects.count() == 0


def test_a_national_officer_posts_on_behalf_of_a_partner(
    national_officer: User, im_japan: Organisation, post_job_order: Callable[..., JobOrder]
) -> None:
    job_order = post_job_order(national_officer, partner=im_japan)
    assert job_order.partner == im_japan


@pytest.mark.parametrize("fixture", ["sender_operator", "provincial_officer", "auditor"])
def test_other_roles_cannot_post_job_orders(
    fixture: str, request: pytest.FixtureRequest, post_job_order: Callable[..., JobOrder]
) -> None:
    with pytest.raises(PermissionDenied):
        post_job_order(request.getfixturevalue(fixture))
    assert JobOrder.objects.count() == 0


def test_submit_then_approve_records_who_and_when(
    partner_user: User, national_officer: User, post_job_order: Callable[..., JobOrder]
) -> None:
    job_order = post_job_order(partner_user)
    job_order = job_order_transition(job_order=job_order, action=A.SUBMIT, acting_user=partner_user)
    assert job_order.status == S.SUBMITTED
    assert job_order.submitted_at is not None
    job_order = job_order_transition(
        job_order=job_order, action=A.APPROVE, acting_user=national_officer
    )
    assert (job_order.status, job_order.approved_by) == (S.APPROVED, national_officer)
    assert _changes(job_order) == [
        "demand.job_order_create",
        "demand.job_order_submit",
        "demand.job_order_approve",
    ]


def test_a_partner_cannot_approve_its_own_job_order(
    partner_user: User, post_job_order: Callable[..., JobOrder]
) -> None:
    job_order = post_job_order(partner_user)
    job_order_transition(job_order=job_order, action=A.SUBMIT, acting_user=partner_user)
    with pytest.raises(PermissionDenied, match="Only Kemnaker's national officers approve"):
        job_order_transition(job_order=job_order, action=A.APPROVE, acting_user=partner_user)
    job_order.refresh_from_db()
    assert job_order.status == S.SUBMITTED


def test_another_partner_cannot_submit_the_job_order(
    partner_user: User, post_job_order: Callable[..., JobOrder]
) -> None:
    from jembatan.accounts.factories import UserFactory
    from jembatan.core.roles import Role

    stranger = UserFactory(role=Role.PARTNER)
    job_order = post_job_order(partner_user)
    with pytest.raises(PermissionDenied):
        job_order_transition(job_order=job_order, action=A.SUBMIT, acting_user=stranger)
    job_order.refresh_from_db()
    assert job_order.status == S.DRAFT


def test_returning_needs_a_reason_and_the_partner_then_corrects_and_resubmits(
    partner_user: User, national_officer: User, post_job_order: Callable[..., JobOrder]
) -> None:
    job_order = post_job_order(partner_user)
    job_order_transition(job_order=job_order, action=A.SUBMIT, acting_user=partner_user)
    with pytest.raises(ValidationError) as refused:
        job_order_transition(job_order=job_order, action=A.RETURN, acting_user=national_officer)
    assert refused.value.message_dict == {
        "reason": ["Say why: the partner and the record keep it."]
    }
    returned = job_order_transition(
        job_order=job_order, action=A.RETURN, acting_user=national_officer, reason=" Wage too low. "
    )
    assert (returned.status, returned.status_reason) == (S.RETURNED, "Wage too low.")
    job_order_update(
        job_order=returned,
        acting_user=partner_user,
        fields=job_order_fields(wage_amount=200000),
        extra=JobOrderInput(),
    )
    resubmitted = job_order_transition(
        job_order=returned, action=A.SUBMIT, acting_user=partner_user
    )
    assert (resubmitted.status, resubmitted.status_reason, resubmitted.wage_amount) == (
        S.SUBMITTED,
        "",
        200000,
    )


def test_a_submitted_job_order_cannot_be_edited(
    partner_user: User, post_job_order: Callable[..., JobOrder]
) -> None:
    job_order = post_job_order(partner_user)
    job_order_transition(job_order=job_order, action=A.SUBMIT, acting_user=partner_user)
    with pytest.raises(JobOrderTransitionRefused, match="only a draft or a returned order"):
        job_order_update(
            job_order=job_order,
            acting_user=partner_user,
            fields=job_order_fields(slots=99),
            extra=JobOrderInput(),
        )
    job_order.refresh_from_db()
    assert job_order.slots == 10


def test_a_second_approval_is_refused_as_already_approved(
    national_officer: User, national_admin: User
) -> None:
    job_order = JobOrderFactory(status=S.SUBMITTED)
    job_order_transition(job_order=job_order, action=A.APPROVE, acting_user=national_officer)
    with pytest.raises(JobOrderTransitionRefused) as refused:
        job_order_transition(job_order=job_order, action=A.APPROVE, acting_user=national_admin)
    assert refused.value.messages == [
        f"Job order {job_order.reference} has already been approved (it is approved)."
    ]
    job_order.refresh_from_db()
    assert job_order.approved_by == national_officer
    assert _changes(job_order) == ["demand.job_order_approve"]


def test_approving_a_draft_is_refused(national_officer: User) -> None:
    job_order = JobOrderFactory()
    with pytest.raises(JobOrderTransitionRefused) as refused:
        job_order_transition(job_order=job_order, action=A.APPROVE, acting_user=national_officer)
    assert refused.value.messages == [
        f"Job order {job_order.reference} is draft; it cannot be given “approve”."
    ]


def test_cancelling_keeps_the_reason_and_withdraws_pending_proposals(
    national_officer: User,
) -> None:
    placement = PlacementFactory(participant=ParticipantFactory())
    job_order = job_order_transition(
        job_order=placement.job_order,
        action=A.CANCEL,
        acting_user=national_officer,
        reason="The host company closed.",
    )
    placement.refresh_from_db()
    assert (job_order.status, job_order.status_reason) == (S.CANCELLED, "The host company closed.")
    assert placement.status == PlacementStatus.CANCELLED
    assert placement.cancel_reason == "The job order was cancelled: The host company closed."


def test_a_job_order_with_confirmed_placements_cannot_be_cancelled(national_officer: User) -> None:
    placement = PlacementFactory(participant=ParticipantFactory(), status=PlacementStatus.CONFIRMED)
    with pytest.raises(JobOrderTransitionRefused, match="has 1 confirmed placement"):
        job_order_transition(
            job_order=placement.job_order, action=A.CANCEL, acting_user=national_officer, reason="x"
        )
    placement.job_order.refresh_from_db()
    assert placement.job_order.status == S.APPROVED


@pytest.mark.parametrize(
    ("status", "matchable"),
    [
        (S.DRAFT, False),
        (S.SUBMITTED, False),
        (S.RETURNED, False),
        (S.APPROVED, True),
        (S.OPEN, True),
        (S.FILLED, False),
        (S.CLOSED, False),
        (S.CANCELLED, False),
    ],
)
def test_only_approved_and_open_job_orders_can_receive_participants(
    status: str, matchable: bool
) -> None:
    job_order = JobOrderFactory(status=status)
    if matchable:
        ensure_job_order_open(job_order)
        return
    with pytest.raises(JobOrderNotOpen) as refused:
        ensure_job_order_open(job_order)
    label = JobOrderStatus(status).label.lower()
    assert refused.value.messages == [
        f"Nobody can be matched to job order {job_order.reference}: it is {label}. Only a job "
        "order approved by Kemnaker and open for recruitment can receive participants."
    ]


# The officer is only read; each example works on a job order of its own.
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(actions=st.lists(st.sampled_from(list(A)), max_size=8))
def test_any_sequence_of_actions_only_follows_allowed_transitions(
    actions: list[JobOrderAction], national_officer: User
) -> None:
    job_order = JobOrderFactory()
    for action in actions:
        before = job_order.status
        try:
            job_order = job_order_transition(
                job_order=job_order, action=action, acting_user=national_officer, reason="because"
            )
        except ValidationError:
            job_order.refresh_from_db()
            assert job_order.status == before
        else:
            assert job_order.status in JOB_ORDER_WORKFLOW.targets(before)
