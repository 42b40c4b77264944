"""Slots are counted from placements; the last slot goes to exactly one confirmation."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from jembatan.accounts.factories import UserFactory
from jembatan.accounts.models import User
from jembatan.core.roles import Role
from jembatan.demand.factories import JobOrderFactory, PlacementFactory
from jembatan.demand.models import JobOrder, JobOrderStatus, Placement, PlacementStatus
from jembatan.demand.rules import JobOrderNotOpen
from jembatan.demand.selectors import slot_summary
from jembatan.demand.services.placements import (
    placement_cancel,
    placement_confirm,
    placement_propose,
)
from jembatan.participants.factories import ParticipantFactory

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL"
)
C, P, X = PlacementStatus.CONFIRMED, PlacementStatus.PROPOSED, PlacementStatus.CANCELLED


def _summary(job_order: JobOrder) -> tuple[int, int, int]:
    row = slot_summary(JobOrder.objects.filter(pk=job_order.pk)).get()
    return row.slots_filled, row.slots_proposed, row.slots_open


def test_slots_are_counted_from_placements_in_one_query() -> None:
    first = JobOrderFactory(approved=True, slots=3)
    second = JobOrderFactory(approved=True, slots=1)
    for status in (C, C, P, X):
        PlacementFactory(
            job_order=first,
            participant=ParticipantFactory(),
            status=status,
            cancel_reason="gone" if status == X else "",
        )
    PlacementFactory(job_order=second, participant=ParticipantFactory(), status=C)
    with CaptureQueriesContext(connection) as queries:
        rows = {
            o.pk: (o.slots_filled, o.slots_proposed, o.slots_open)
            for o in slot_summary(JobOrder.objects.all())
        }
    assert len(queries) == 1
    assert rows == {first.pk: (2, 1, 1), second.pk: (1, 0, 0)}


def test_a_participant_has_at_most_one_live_placement_per_job_order() -> None:
    placement = PlacementFactory(participant=ParticipantFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(job_order=placement.job_order, participant=placement.participant)
    Placement.objects.filter(pk=placement.pk).update(status=X, cancel_reason="withdrew")
    again = Placement.objects.create(
        job_order=placement.job_order, participant=placement.participant
    )
    assert again.status == P


def test_proposing_twice_is_refused_with_a_clear_message(national_officer: User) -> None:
    job_order = JobOrderFactory(approved=True)
    participant = ParticipantFactory(full_name="Dewi Lestari")
    placement_propose(job_order=job_order, participant=participant, acting_user=national_officer)
    with pytest.raises(ValidationError) as refused:
        placement_propose(
            job_order=job_order, participant=participant, acting_user=national_officer
        )
    assert refused.value.messages == [
        f"Dewi Lestari is already proposed for or placed on job order {job_order.reference}."
    ]


def test_nobody_can_be_proposed_for_a_job_order_not_approved(national_officer: User) -> None:
    job_order = JobOrderFactory(status=JobOrderStatus.SUBMITTED)
    with pytest.raises(JobOrderNotOpen):
        placement_propose(
            job_order=job_order, participant=ParticipantFactory(), acting_user=national_officer
        )
    assert Placement.objects.count() == 0


def test_another_partner_cannot_confirm_a_placement(partner_user: User) -> None:
    placement = PlacementFactory(participant=ParticipantFactory())
    with pytest.raises(PermissionDenied):
        placement_confirm(placement=placement, acting_user=partner_user)
    placement.refresh_from_db()
    assert placement.status == P


def test_the_last_slot_fills_the_job_order_and_a_further_confirmation_is_refused(
    partner_user: User, im_japan: Any
) -> None:
    job_order = JobOrderFactory(partner=im_japan, approved=True, slots=1)
    first, second = (
        PlacementFactory(job_order=job_order, participant=ParticipantFactory()) for _ in range(2)
    )
    placement_confirm(placement=first, acting_user=partner_user)
    job_order.refresh_from_db()
    assert job_order.status == JobOrderStatus.FILLED
    assert _summary(job_order) == (1, 1, 0)
    with pytest.raises(JobOrderNotOpen):
        placement_confirm(placement=second, acting_user=partner_user)
    second.refresh_from_db()
    assert second.status == P


def test_a_full_job_order_refuses_confirmation_naming_its_slots(national_officer: User) -> None:
    job_order = JobOrderFactory(status=JobOrderStatus.OPEN, slots=1)
    PlacementFactory(job_order=job_order, participant=ParticipantFactory(), status=C)
    waiting = PlacementFactory(job_order=job_order, participant=ParticipantFactory())
    with pytest.raises(ValidationError) as refused:
        placement_confirm(placement=waiting, acting_user=national_officer)
    assert refused.value.messages == [
        f"No open slot remains on job order {job_order.reference}: all 1 slots are filled."
    ]


def test_cancelling_a_confirmed_placement_reopens_a_filled_job_order(
    national_officer: User,
) -> None:
    job_order = JobOrderFactory(status=JobOrderStatus.OPEN, slots=1)
    placement = PlacementFactory(job_order=job_order, participant=ParticipantFactory())
    placement_confirm(placement=placement, acting_user=national_officer)
    with pytest.raises(ValidationError):
        placement_cancel(placement=placement, reason=" ", acting_user=national_officer)
    placement_cancel(placement=placement, reason="Failed the medical", acting_user=national_officer)
    job_order.refresh_from_db()
    assert job_order.status == JobOrderStatus.OPEN
    assert _summary(job_order) == (0, 0, 1)


# --- two confirmations for the last slot at once -----------------------------------


def _confirm(placement: Any, by: Any, outcomes: list[str], start: threading.Barrier) -> None:
    try:
        start.wait()
        placement_confirm(placement=placement, acting_user=by)
        outcomes.append("confirmed")
    except ValidationError:
        outcomes.append("refused")
    finally:
        connections.close_all()


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_confirmations_for_the_last_slot_fill_it_once() -> None:
    ContentType.objects.clear_cache()  # an earlier flushing test may have renumbered them
    officer = UserFactory(role=Role.NATIONAL_OFFICER)
    job_order = JobOrderFactory(status=JobOrderStatus.OPEN, slots=2)
    PlacementFactory(job_order=job_order, participant=ParticipantFactory(), status=C)
    rivals = [
        PlacementFactory(job_order=job_order, participant=ParticipantFactory()) for _ in range(2)
    ]
    outcomes: list[str] = []
    start = threading.Barrier(2)
    threads = [
        threading.Thread(target=_confirm, args=(p, officer, outcomes, start)) for p in rivals
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["confirmed", "refused"]
    assert job_order.placements.filter(status=C).count() == 2
    job_order.refresh_from_db()
    assert job_order.status == JobOrderStatus.FILLED


def _approve(job_order: Any, by: Any, outcomes: list[str], start: threading.Barrier) -> None:
    from jembatan.demand.services.job_orders import job_order_transition

    try:
        start.wait()
        job_order_transition(job_order=job_order, action="approve", acting_user=by)
        outcomes.append("approved")
    except ValidationError:
        outcomes.append("refused")
    finally:
        connections.close_all()


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_approvals_make_one_decision() -> None:
    from jembatan.core.models import ChangeRecord

    ContentType.objects.clear_cache()
    officers = [UserFactory(role=Role.NATIONAL_OFFICER) for _ in range(2)]
    job_order = JobOrderFactory(status=JobOrderStatus.SUBMITTED)
    outcomes: list[str] = []
    start = threading.Barrier(2)
    threads = [
        threading.Thread(target=_approve, args=(job_order, o, outcomes, start)) for o in officers
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["approved", "refused"]
    assert ChangeRecord.objects.filter(operation="demand.job_order_approve").count() == 1
