"""The pages: creating a programme, the feedback loop, the gap view, the unit reference table."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord, Occupation
from jembatan.insights import gap as gap_module
from jembatan.organisations.models import Organisation
from jembatan.participants.models import JourneyStatus, Participant, ParticipantStatusChange
from jembatan.training.models import Batch, CompetencyUnit, Programme
from jembatan.training.selectors import outcomes_for
from jembatan.training.services import programmes
from jembatan.training.services.certification import batch_complete

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_operator_creates_a_programme_at_their_own_centre_with_phases(
    training_operator: User, units: list[CompetencyUnit], blk: Organisation
) -> None:
    occupation = Occupation.objects.filter(dataset__code="jp-titp-2025").order_by("code")[0]
    response = _client(training_operator).post(
        reverse("training:programme_create"),
        {
            "name": "Magang Jepang IM 2026",
            "occupation": occupation.pk,
            "route": "im_japan",
            "units": [u.pk for u in units],
            "total_hours": 480,
            "language_hours": 200,
            "capacity": 24,
            "min_attendance_percent": 80,
            "language_test": "jlpt",
            "jlpt_level": "N4",
            "eps_topik_pass_mark": 80,
            "phases": "Regional phase | 240 | BLK Semarang\nCentral phase | 240 | BBPVP Bekasi",
        },
    )
    programme = Programme.objects.get()
    assert response.status_code == 302
    assert programme.organisation == blk
    assert list(programme.phases.values_list("order", "name", "hours", "location")) == [
        (1, "Regional phase", 240, "BLK Semarang"),
        (2, "Central phase", 240, "BBPVP Bekasi"),
    ]
    assert ChangeRecord.objects.filter(operation="training.programme_create").count() == 1


def test_phases_that_do_not_add_up_are_refused(
    training_operator: User, units: list[CompetencyUnit]
) -> None:
    occupation = Occupation.objects.order_by("pk")[0]
    response = _client(training_operator).post(
        reverse("training:programme_create"),
        {
            "name": "Salah",
            "occupation": occupation.pk,
            "route": "lpk",
            "units": [units[0].pk],
            "total_hours": 480,
            "language_hours": 0,
            "capacity": 10,
            "min_attendance_percent": 80,
            "eps_topik_pass_mark": 80,
            "phases": "Regional | 100 | BLK",
        },
    )
    assert response.status_code == 200
    assert "The phases add up to 100 hours; the programme has 480." in response.content.decode()
    assert not Programme.objects.exists()


def test_a_malformed_skkni_code_is_refused(national_admin: User) -> None:
    response = _client(national_admin).post(
        reverse("training:unit_create"),
        {"code": "C.81200.001.01", "title_id": "x", "title_en": "x", "hours": 8},
    )
    assert response.status_code == 200
    assert not CompetencyUnit.objects.exists()


def test_only_a_national_administrator_edits_units(national_admin: User) -> None:
    _client(national_admin).post(
        reverse("training:unit_create"),
        {"code": "C.812000.003.01", "title_id": "Las", "title_en": "Weld", "hours": 16},
    )
    assert CompetencyUnit.objects.get().code == "C.812000.003.01"


@pytest.fixture
def graduate(
    lpk_batch: Batch,
    make_participant: Callable[..., Participant],
    run_to_the_end: Callable[..., None],
    training_operator: User,
) -> Participant:
    person = make_participant(JourneyStatus.VERIFIED)
    enrolment = programmes.enrol(batch=lpk_batch, participant=person, acting_user=training_operator)
    run_to_the_end(enrolment)
    batch_complete(batch=lpk_batch, acting_user=training_operator)
    person.refresh_from_db()
    return person


def _reach(person: Participant, *statuses: str) -> None:
    previous = person.status
    for status in statuses:
        ParticipantStatusChange.objects.create(
            participant=person,
            from_status=previous,
            to_status=status,
            at=timezone.now(),
            by_label="system",
        )
        previous = status
    Participant.objects.filter(pk=person.pk).update(status=previous)


def test_the_centre_sees_how_its_graduates_fared_later(
    graduate: Participant,
    make_participant: Callable[..., Participant],
    lpk_batch: Batch,
    training_operator: User,
) -> None:
    _reach(graduate, "in_selection", "selected", "matched", "contracted", "departed")
    [outcome] = outcomes_for(training_operator)
    assert outcome.graduates == 1
    assert outcome.reached == {"selected": 1, "matched": 1, "departed": 1}
    assert outcome.shares["departed"] == 100
    page = _client(training_operator).get(reverse("training:outcomes")).content.decode()
    assert "Pengelasan Dasar" in page
    assert graduate.full_name not in page  # counts, not people


def test_the_gap_view_counts_open_slots_people_in_training_and_certified(
    graduate: Participant,
    lpk_batch: Batch,
    make_participant: Callable[..., Participant],
    training_operator: User,
    national_officer: User,
) -> None:
    from jembatan.demand.factories import JobOrderFactory, titp_occupation

    occupation = titp_occupation()
    Programme.objects.filter(pk=lpk_batch.programme_id).update(occupation=occupation)
    JobOrderFactory(approved=True, slots=10, occupation=occupation)
    JobOrderFactory(slots=50, occupation=occupation)  # a draft is no demand yet
    other = Batch.objects.create(
        programme=lpk_batch.programme,
        code="LAS-2026-09",
        starts_on=lpk_batch.starts_on,
        ends_on=lpk_batch.ends_on,
        capacity=3,
        status="running",
    )
    programmes.enrol(batch=other, participant=make_participant(), acting_user=training_operator)

    view = gap_module.gap_view()
    [row] = view.rows
    assert (row.occupation, row.demand, row.in_training, row.certified, row.gap) == (
        occupation,
        10,
        1,
        1,
        8,
    )
    assert view.demand_available
    assert _client(national_officer).get(reverse("insights:training_gap")).status_code == 200


def test_without_the_demand_app_the_gap_view_says_demand_is_unavailable(
    graduate: Participant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gap_module, "open_slots_by_occupation", lambda: None)
    view = gap_module.gap_view()
    assert not view.demand_available
    assert [(r.demand, r.certified, r.gap) for r in view.rows] == [(None, 1, None)]
    assert str(view.note) == (
        "Demand is not available: the demand module (job orders) is not installed."
    )


def test_the_completion_page_names_who_fails_and_why_and_asks_before_closing(
    lpk_batch: Batch,
    make_participant: Callable[..., Participant],
    run_to_the_end: Callable[..., None],
    training_operator: User,
) -> None:
    good = make_participant(JourneyStatus.VERIFIED, full_name="Ayu Lestari")
    weak = make_participant(JourneyStatus.VERIFIED, full_name="Bima Saputra")
    for person, competent in ((good, True), (weak, False)):
        enrolment = programmes.enrol(
            batch=lpk_batch, participant=person, acting_user=training_operator
        )
        run_to_the_end(enrolment, competent=competent)
    client = _client(training_operator)
    url = reverse("training:complete", args=[lpk_batch.pk])
    page = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert "Bima Saputra" in page and "C.812000.001.01: not yet competent." in page
    assert 'name="confirm"' in page
    assert 'name="early_reason"' not in page  # the batch ends today: not early

    refused = client.post(url, {}, headers={"accept-language": "en"})
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "confirm that you have checked the list" in body
    lpk_batch.refresh_from_db()
    assert lpk_batch.status == "running"

    done = client.post(url, {"confirm": "on"})
    assert done.status_code == 302
    lpk_batch.refresh_from_db()
    assert lpk_batch.status == "completed"
