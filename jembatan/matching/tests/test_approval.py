"""Approving and discarding runs: all or nothing, never twice, earlier placements untouched.

The click (services.run_approve) re-checks and queues; the task
(approval.execute_approval) re-checks again and creates the placements. The
``approve`` fixture does both, running the queued task as the worker would.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections, transaction

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.demand.factories import PlacementFactory
from jembatan.demand.models import JobOrder, JobOrderStatus, Placement, PlacementStatus
from jembatan.demand.selectors import slot_summary
from jembatan.matching.models import MatchingRun, RunOutcome, RunStatus
from jembatan.matching.services.approval import execute_approval
from jembatan.matching.services.runs import run_approve, run_discard
from jembatan.organisations.factories import OrganisationFactory
from jembatan.participants.factories import ParticipantFactory
from jembatan.participants.models import JourneyStatus, Participant

pytestmark = pytest.mark.django_db
StartRun = Callable[..., MatchingRun]
Approve = Callable[[MatchingRun, User], MatchingRun]
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL"
)


def _open_slots(job_order: JobOrder) -> int:
    return int(slot_summary(JobOrder.objects.filter(pk=job_order.pk)).get().slots_open)


def _operations() -> list[str]:
    rows = ChangeRecord.objects.filter(operation__startswith="matching.run_app")
    return list(rows.order_by("pk").values_list("operation", flat=True))


def _state() -> tuple[list[tuple[int, int, str]], list[tuple[int, str]]]:
    placements = list(
        Placement.objects.order_by("pk").values_list("job_order_id", "participant_id", "status")
    )
    journeys = list(Participant.objects.order_by("pk").values_list("pk", "status"))
    return placements, journeys


def test_approval_offers_placements_to_the_partner_and_moves_candidates_to_matched(
    start_run: StartRun,
    farm: JobOrder,
    factory: JobOrder,
    candidates: list[Participant],
    national_officer: User,
    approve: Approve,
) -> None:
    ani, budi, citra, dedi = candidates
    run = start_run(farm, factory, name="IM Japan November")

    approved = approve(run, national_officer)

    assert (approved.status, approved.decided_by) == (RunStatus.APPROVED, national_officer)
    assert (approved.approval_error, approved.progress_note) == ("", "Placements created")
    placements = Placement.objects.order_by("participant_id")
    assert [(p.participant_id, p.job_order_id, p.status) for p in placements] == [
        (ani.pk, farm.pk, PlacementStatus.PROPOSED),
        (budi.pk, farm.pk, PlacementStatus.PROPOSED),
        (citra.pk, factory.pk, PlacementStatus.PROPOSED),
    ]
    # The partner has not confirmed yet: the slots are not filled, but it sees the people.
    assert JobOrder.objects.get(pk=farm.pk).status != JobOrderStatus.FILLED
    partners = dict(Participant.objects.values_list("pk", "partner_id"))
    assert [partners[p.pk] for p in candidates] == [farm.partner_id] * 3 + [None]
    statuses = dict(Participant.objects.values_list("pk", "status"))
    assert [statuses[p.pk] for p in candidates] == ["matched", "matched", "matched", "selected"]
    step = ani.status_changes.latest("at")
    assert step.reason == (
        f"Matched to job order {farm.reference} by matching run {run.reference} "
        "(IM Japan November)."
    )
    linked = RunOutcome.objects.get(run=run, participant=ani).placement
    assert linked == Placement.objects.get(participant=ani)
    assert RunOutcome.objects.get(run=run, participant=dedi).placement is None
    assert _operations() == ["matching.run_approve", "matching.run_approval_finish"]


def test_the_click_marks_the_run_approving_and_the_task_then_creates_the_placements(
    start_run: StartRun,
    farm: JobOrder,
    candidates: list[Participant],
    national_officer: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    run = start_run(farm)

    with django_capture_on_commit_callbacks() as queued:
        clicked = run_approve(run=run, acting_user=national_officer)

    stored = MatchingRun.objects.get(pk=run.pk)
    assert (stored.status, stored.decided_by, stored.progress_note) == (
        RunStatus.APPROVING,
        national_officer,
        "Waiting to start",
    )
    assert clicked.decided_at is not None
    assert (len(queued), Placement.objects.count()) == (1, 0)
    queued[0]()
    assert MatchingRun.objects.get(pk=run.pk).status == RunStatus.APPROVED
    assert Placement.objects.filter(status=PlacementStatus.PROPOSED).count() == 2


def test_a_stale_run_is_refused_at_the_click_naming_what_changed_and_nothing_is_queued(
    start_run: StartRun,
    farm: JobOrder,
    factory: JobOrder,
    candidates: list[Participant],
    national_officer: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    ani, _budi, _citra, _dedi = candidates
    run = start_run(farm, factory)
    Participant.objects.filter(pk=ani.pk).update(status=JourneyStatus.WITHDRAWN)
    PlacementFactory(
        job_order=factory, participant=ParticipantFactory(), status=PlacementStatus.CONFIRMED
    )
    before = _state()

    with django_capture_on_commit_callbacks() as queued, pytest.raises(ValidationError) as refused:
        run_approve(run=run, acting_user=national_officer)

    assert refused.value.messages == [
        "Things changed since this run; nothing was approved. Start a new run. What changed:",
        f"Job order {factory.reference} now has 0 free slots; the run assigns 1 people to it.",
        "Ani is no longer selected (now: withdrawn).",
    ]
    assert _state() == before
    assert (MatchingRun.objects.get(pk=run.pk).status, queued, _operations()) == (
        RunStatus.DONE,
        [],
        [],
    )


def test_a_run_cannot_be_approved_twice(
    start_run: StartRun,
    farm: JobOrder,
    candidates: list[Participant],
    national_officer: User,
    approve: Approve,
) -> None:
    run = start_run(farm)
    approve(run, national_officer)
    before = _state()

    with pytest.raises(ValidationError) as refused:
        run_approve(run=run, acting_user=national_officer)

    assert refused.value.messages == [
        "Only a finished run awaiting approval can be decided; this one is: "
        "approved: placements created."
    ]
    assert _state() == before
    assert Placement.objects.count() == 2


def test_a_second_click_while_the_first_is_being_approved_is_refused(
    start_run: StartRun,
    farm: JobOrder,
    candidates: list[Participant],
    national_officer: User,
    national_admin: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    run = start_run(farm)
    with django_capture_on_commit_callbacks() as queued:
        run_approve(run=run, acting_user=national_officer)

    with pytest.raises(ValidationError) as refused:
        run_approve(run=run, acting_user=national_admin)

    assert refused.value.messages == [
        "Only a finished run awaiting approval can be decided; this one is: "
        "approving: creating placements."
    ]
    assert MatchingRun.objects.get(pk=run.pk).decided_by == national_officer
    assert (len(queued), Placement.objects.count()) == (1, 0)


def test_the_task_leaves_a_run_alone_unless_it_is_approving(
    start_run: StartRun,
    farm: JobOrder,
    candidates: list[Participant],
    national_officer: User,
    approve: Approve,
) -> None:
    run = start_run(farm)

    waiting = execute_approval(run.pk)
    approve(run, national_officer)
    placed = list(Placement.objects.order_by("pk").values_list("pk", "status"))
    again = execute_approval(run.pk)

    assert (waiting.status, again.status) == (RunStatus.DONE, RunStatus.APPROVED)
    assert list(Placement.objects.order_by("pk").values_list("pk", "status")) == placed
    assert _operations() == ["matching.run_approve", "matching.run_approval_finish"]


def test_the_task_refuses_a_job_order_cancelled_after_the_click_and_creates_nothing(
    start_run: StartRun,
    farm: JobOrder,
    factory: JobOrder,
    candidates: list[Participant],
    national_officer: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    run = start_run(farm, factory)
    with django_capture_on_commit_callbacks() as queued:
        run_approve(run=run, acting_user=national_officer)
    JobOrder.objects.filter(pk=farm.pk).update(status=JobOrderStatus.CANCELLED)
    before = _state()

    queued[0]()

    stored = MatchingRun.objects.get(pk=run.pk)
    assert (stored.status, stored.decided_by, stored.decided_at) == (RunStatus.DONE, None, None)
    heading, change = stored.approval_error.splitlines()
    assert heading == (
        "Things changed since this run; nothing was approved. Start a new run. What changed:"
    )
    assert change.startswith(
        f"Nobody can be matched to job order {farm.reference}: it is cancelled."
    )
    assert _state() == before
    assert Placement.objects.count() == 0
    assert _operations() == ["matching.run_approve", "matching.run_approval_fail"]


def test_a_failure_midway_rolls_back_every_placement_and_says_why(
    start_run: StartRun,
    farm: JobOrder,
    factory: JobOrder,
    candidates: list[Participant],
    national_officer: User,
    approve: Approve,
) -> None:
    _ani, _budi, citra, _dedi = candidates
    run = start_run(farm, factory)
    # Citra is placed last (on the welder order); her LPK has no licence to act.
    Participant.objects.filter(pk=citra.pk).update(
        sending_organisation=OrganisationFactory(name="LPK Tanpa Izin")
    )
    before = _state()

    stored = approve(run, national_officer)

    assert stored.status == RunStatus.DONE
    assert stored.approval_error == (
        "Nothing was approved: LPK Tanpa Izin has no licence to organise overseas apprenticeships. "
        "Apply for one at Kemnaker before registering or sending participants."
    )
    assert _state() == before
    assert RunOutcome.objects.filter(run=run, placement__isnull=False).count() == 0
    assert JobOrder.objects.get(pk=farm.pk).status == farm.status


def test_only_national_officers_approve(
    start_run: StartRun, farm: JobOrder, candidates: list[Participant], partner_user: User
) -> None:
    run = start_run(farm)

    with pytest.raises(PermissionDenied):
        run_approve(run=run, acting_user=partner_user)

    assert Placement.objects.count() == 0


def test_a_discarded_run_keeps_its_reason_and_cannot_be_approved(
    start_run: StartRun,
    farm: JobOrder,
    candidates: list[Participant],
    national_officer: User,
    approve: Approve,
) -> None:
    run = start_run(farm)

    with pytest.raises(ValidationError) as no_reason:
        run_discard(run=run, reason="  ", acting_user=national_officer)
    discarded = run_discard(run=run, reason="Wrong rounds", acting_user=national_officer)

    assert no_reason.value.message_dict == {"reason": ["Say why the run is discarded."]}
    assert (discarded.status, discarded.decision_note) == (RunStatus.DISCARDED, "Wrong rounds")
    with pytest.raises(ValidationError):
        approve(run, national_officer)
    assert Placement.objects.count() == 0


def test_a_rerun_after_a_withdrawal_leaves_approved_placements_untouched(
    start_run: StartRun,
    farm: JobOrder,
    factory: JobOrder,
    candidates: list[Participant],
    national_officer: User,
    approve: Approve,
) -> None:
    _ani, _budi, citra, dedi = candidates
    approve(start_run(farm), national_officer)
    placed_before = list(Placement.objects.order_by("pk").values_list("pk", "status"))
    stale = start_run(factory)
    Participant.objects.filter(pk=citra.pk).update(status=JourneyStatus.WITHDRAWN)

    with pytest.raises(ValidationError):
        approve(stale, national_officer)
    rerun = start_run(factory)
    approve(rerun, national_officer)

    assert _outcomes(stale) == {citra.pk: factory.pk}
    assert _outcomes(rerun) == {dedi.pk: factory.pk}
    assert rerun.summary["diff"] | {"previous": None} == {
        "previous": None,
        "newly_placed": [dedi.pk],
        "no_longer_placed": [citra.pk],
        "moved": [],
        "unchanged": 0,
        "approved_before": 0,
    }
    kept = Placement.objects.filter(pk__in=[pk for pk, _ in placed_before])
    assert list(kept.order_by("pk").values_list("pk", "status")) == placed_before
    assert Placement.objects.get(participant=dedi).job_order == factory


def test_a_rerun_after_a_cancelled_job_order_places_on_the_others(
    start_run: StartRun,
    farm: JobOrder,
    factory: JobOrder,
    candidates: list[Participant],
    national_officer: User,
    approve: Approve,
) -> None:
    ani, _budi, _citra, _dedi = candidates
    first = start_run(farm, factory)
    JobOrder.objects.filter(pk=farm.pk).update(status=JobOrderStatus.CANCELLED)

    with pytest.raises(ValidationError) as refused:
        run_approve(run=first, acting_user=national_officer)
    second = start_run(factory)

    assert refused.value.messages[1].startswith(
        f"Nobody can be matched to job order {farm.reference}: it is cancelled."
    )
    assert _outcomes(second) == {ani.pk: factory.pk}
    assert approve(second, national_officer).status == RunStatus.APPROVED
    assert list(Placement.objects.values_list("participant_id", "job_order_id")) == [
        (ani.pk, factory.pk)
    ]


def _outcomes(run: MatchingRun) -> dict[int, int]:
    return dict(
        RunOutcome.objects.filter(run=run, job_order__isnull=False).values_list(
            "participant_id", "job_order_id"
        )
    )


def _approve_in_thread(
    run: MatchingRun, by: User, outcomes: list[str], start: threading.Barrier
) -> None:
    try:
        start.wait()
        run_approve(run=run, acting_user=by)
        outcomes.append("approved")
    except ValidationError:
        outcomes.append("refused")
    finally:
        connections.close_all()


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_approvals_create_the_placements_once(
    start_run: StartRun, farm: JobOrder, candidates: list[Participant], national_admin: User
) -> None:
    ContentType.objects.clear_cache()  # an earlier flushing test may have renumbered them
    run = start_run(farm)
    officers: list[Any] = [national_admin, run.created_by]
    outcomes: list[str] = []
    start = threading.Barrier(2)
    threads = [
        threading.Thread(target=_approve_in_thread, args=(run, o, outcomes, start))
        for o in officers
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["approved", "refused"]
    assert Placement.objects.count() == 2
    assert MatchingRun.objects.get(pk=run.pk).status == RunStatus.APPROVED
    assert _operations() == ["matching.run_approve", "matching.run_approval_finish"]


def _hold_run(run: MatchingRun, held: threading.Event, release: threading.Event) -> None:
    """Hold the run's row as the approval task does while it places everyone."""
    try:
        with transaction.atomic():
            MatchingRun.objects.select_for_update().get(pk=run.pk)
            held.set()
            release.wait(timeout=30)
    finally:
        connections.close_all()


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_click_while_the_task_holds_the_run_is_refused_at_once_instead_of_waiting(
    start_run: StartRun, farm: JobOrder, candidates: list[Participant], national_officer: User
) -> None:
    ContentType.objects.clear_cache()  # an earlier flushing test may have renumbered them
    run = start_run(farm)
    held, release = threading.Event(), threading.Event()
    task = threading.Thread(target=_hold_run, args=(run, held, release))
    task.start()
    held.wait(timeout=30)

    try:
        with pytest.raises(ValidationError) as refused:
            run_approve(run=run, acting_user=national_officer)
    finally:
        release.set()
        task.join(timeout=30)

    assert refused.value.messages == [
        "This run is being approved or decided right now; reload the page in a moment to see "
        "how it ended."
    ]
    assert (MatchingRun.objects.get(pk=run.pk).status, Placement.objects.count()) == (
        RunStatus.DONE,
        0,
    )
