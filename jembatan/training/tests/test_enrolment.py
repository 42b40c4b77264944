"""Who may enrol in a batch: the route's rule, one active batch, capacity, scope, licence."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.organisations.factories import OrganisationFactory
from jembatan.organisations.models import Licence, LicenceStatus
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.training.factories import BatchFactory
from jembatan.training.models import Batch, BatchStatus, Enrolment, EnrolmentStatus
from jembatan.training.rules import enrolment_blockers
from jembatan.training.selectors import candidates_for
from jembatan.training.services import programmes

pytestmark = pytest.mark.django_db


def test_a_verified_participant_enrols_on_the_lpk_route_and_is_in_training(
    lpk_batch: Batch, make_participant: Callable[..., Participant], training_operator: User
) -> None:
    person = make_participant(JourneyStatus.VERIFIED)
    enrolment = programmes.enrol(batch=lpk_batch, participant=person, acting_user=training_operator)
    person.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED
    assert person.status == JourneyStatus.IN_TRAINING
    step = person.status_changes.get(to_status=JourneyStatus.IN_TRAINING)
    assert (step.from_status, step.by) == (JourneyStatus.VERIFIED, training_operator)
    assert step.reason == "Enrolled in batch Pengelasan Dasar · LAS-2026-01."


def test_a_selected_participant_enrols_on_the_im_japan_route(
    im_batch: Batch, make_participant: Callable[..., Participant], training_operator: User
) -> None:
    person = make_participant(JourneyStatus.SELECTED)
    programmes.enrol(batch=im_batch, participant=person, acting_user=training_operator)
    person.refresh_from_db()
    assert person.status == JourneyStatus.IN_TRAINING


@pytest.mark.parametrize(
    ("route_batch", "status", "eligible"),
    [
        ("lpk_batch", JourneyStatus.VERIFIED, True),
        ("lpk_batch", JourneyStatus.SELECTED, False),
        ("lpk_batch", JourneyStatus.REGISTERED, False),
        ("im_batch", JourneyStatus.SELECTED, True),
        ("im_batch", JourneyStatus.VERIFIED, False),
        ("im_batch", JourneyStatus.CERTIFIED, False),
        (
            "lpk_batch",
            JourneyStatus.IN_TRAINING,
            True,
        ),  # a previous batch ended without certification
        ("im_batch", JourneyStatus.IN_TRAINING, True),
        ("lpk_batch", JourneyStatus.WITHDRAWN, False),
        ("lpk_batch", JourneyStatus.REJECTED, False),
        ("im_batch", JourneyStatus.DEPARTED, False),
    ],
)
def test_the_eligibility_rule_per_route(
    route_batch: str,
    status: str,
    eligible: bool,
    make_participant: Callable[..., Participant],
    request: pytest.FixtureRequest,
) -> None:
    batch = request.getfixturevalue(route_batch)
    person = make_participant(status)
    assert (enrolment_blockers(person, batch, active_batch=None) == []) is eligible


def test_the_refusal_names_the_route_and_the_statuses(
    im_batch: Batch, make_participant: Callable[..., Participant], training_operator: User
) -> None:
    person = make_participant(JourneyStatus.VERIFIED)
    with pytest.raises(ValidationError) as refused:
        programmes.enrol(batch=im_batch, participant=person, acting_user=training_operator)
    assert refused.value.messages == [
        "On the IM Japan: selection before training route participants enter training when "
        "they are “Selected”; this participant is “Verified”."
    ]
    person.refresh_from_db()
    assert person.status == JourneyStatus.VERIFIED
    assert not Enrolment.objects.exists()


def test_a_participant_in_another_active_batch_is_refused(
    lpk_batch: Batch, make_participant: Callable[..., Participant], training_operator: User
) -> None:
    person = make_participant(JourneyStatus.VERIFIED)
    programmes.enrol(batch=lpk_batch, participant=person, acting_user=training_operator)
    other = BatchFactory(programme=lpk_batch.programme, code="LAS-2026-02")
    with pytest.raises(ValidationError) as refused:
        programmes.enrol(batch=other, participant=person, acting_user=training_operator)
    assert refused.value.messages == [
        "The participant is already enrolled in batch Pengelasan Dasar · LAS-2026-01."
    ]
    assert Enrolment.objects.filter(participant=person).count() == 1


def test_the_database_allows_one_active_enrolment_per_participant(
    lpk_batch: Batch, make_participant: Callable[..., Participant], training_operator: User
) -> None:
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    person = make_participant(JourneyStatus.IN_TRAINING)
    other = BatchFactory(programme=lpk_batch.programme, code="LAS-2026-02")
    Enrolment.objects.create(batch=lpk_batch, participant=person, enrolled_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(batch=other, participant=person, enrolled_at=timezone.now())


def test_a_full_batch_refuses_the_next_participant_and_changes_nothing(
    lpk_batch: Batch, make_participant: Callable[..., Participant], training_operator: User
) -> None:
    for _ in range(3):
        programmes.enrol(
            batch=lpk_batch, participant=make_participant(), acting_user=training_operator
        )
    late = make_participant()
    changes = ChangeRecord.objects.count()
    with pytest.raises(ValidationError) as refused:
        programmes.enrol(batch=lpk_batch, participant=late, acting_user=training_operator)
    assert refused.value.messages == ["The batch is full (3 places)."]
    late.refresh_from_db()
    assert late.status == JourneyStatus.VERIFIED
    assert ChangeRecord.objects.count() == changes
    assert programmes.enrolled_count(lpk_batch) == 3


def test_a_completed_batch_takes_nobody(
    lpk_batch: Batch, make_participant: Callable[..., Participant], training_operator: User
) -> None:
    Batch.objects.filter(pk=lpk_batch.pk).update(status=BatchStatus.COMPLETED)
    lpk_batch.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        programmes.enrol(
            batch=lpk_batch, participant=make_participant(), acting_user=training_operator
        )
    assert refused.value.messages == ["The batch is completed: it takes no more participants."]


def test_the_sending_organisation_enrols_its_own_candidate_and_the_centre_takes_over(
    lpk_batch: Batch,
    make_participant: Callable[..., Participant],
    sender_operator: User,
    training_operator: User,
) -> None:
    person = make_participant(JourneyStatus.VERIFIED, training_centre=None)
    assert not candidates_for(training_operator, lpk_batch).filter(pk=person.pk).exists()
    assert candidates_for(sender_operator, lpk_batch).filter(pk=person.pk).exists()
    programmes.enrol(batch=lpk_batch, participant=person, acting_user=sender_operator)
    person.refresh_from_db()
    assert person.training_centre_id == lpk_batch.programme.organisation_id
    assert person.status == JourneyStatus.IN_TRAINING


def test_nobody_enrols_a_participant_outside_their_scope(
    lpk_batch: Batch,
    participant_jatim: Participant,
    other_sender_operator: User,
    sender_operator: User,
) -> None:
    Participant.objects.filter(pk=participant_jatim.pk).update(status=JourneyStatus.VERIFIED)
    with pytest.raises(PermissionDenied):
        programmes.enrol(
            batch=lpk_batch, participant=participant_jatim, acting_user=sender_operator
        )
    assert not Enrolment.objects.exists()


def test_an_operator_of_another_centre_may_not_enrol_into_this_batch(
    lpk_batch: Batch, make_participant: Callable[..., Participant]
) -> None:
    from jembatan.accounts.factories import UserFactory
    from jembatan.core.roles import Role

    other_centre = OrganisationFactory(kind="blk", name="BLK Surakarta")
    operator = UserFactory(role=Role.TRAINING_OPERATOR, organisation=other_centre)
    person = make_participant(JourneyStatus.VERIFIED, training_centre=other_centre)
    with pytest.raises(PermissionDenied):
        programmes.enrol(batch=lpk_batch, participant=person, acting_user=operator)


def test_a_suspended_sending_organisation_cannot_move_its_candidate_into_training(
    lpk_batch: Batch, make_participant: Callable[..., Participant], training_operator: User
) -> None:
    person = make_participant(JourneyStatus.VERIFIED)
    Licence.objects.filter(organisation=person.sending_organisation).update(
        status=LicenceStatus.SUSPENDED
    )
    with pytest.raises(ValidationError):
        programmes.enrol(batch=lpk_batch, participant=person, acting_user=training_operator)
    person.refresh_from_db()
    assert (person.status, Enrolment.objects.count()) == (JourneyStatus.VERIFIED, 0)


def test_an_im_japan_participant_without_a_sending_organisation_needs_no_licence(
    im_batch: Batch, make_participant: Callable[..., Participant], provincial_officer: User
) -> None:
    person = make_participant(JourneyStatus.SELECTED, sending_organisation=None)
    programmes.enrol(batch=im_batch, participant=person, acting_user=provincial_officer)
    person.refresh_from_db()
    assert person.status == JourneyStatus.IN_TRAINING


def test_leaving_a_batch_frees_the_place_and_allows_another_batch(
    lpk_batch: Batch, make_participant: Callable[..., Participant], training_operator: User
) -> None:
    person = make_participant(JourneyStatus.VERIFIED)
    enrolment = programmes.enrol(batch=lpk_batch, participant=person, acting_user=training_operator)
    with pytest.raises(ValidationError):
        programmes.enrolment_withdraw(
            enrolment=enrolment, reason=" ", acting_user=training_operator
        )
    programmes.enrolment_withdraw(
        enrolment=enrolment, reason="Moved to Bekasi.", acting_user=training_operator
    )
    other = BatchFactory(programme=lpk_batch.programme, code="LAS-2026-02")
    again = programmes.enrol(batch=other, participant=person, acting_user=training_operator)
    assert programmes.enrolled_count(lpk_batch) == 0
    assert again.batch == other
