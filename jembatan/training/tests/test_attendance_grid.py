"""The attendance grid: a session's marks for the whole batch, all saved or none."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jembatan.accounts.factories import UserFactory
from jembatan.accounts.models import User
from jembatan.core.grids import RowsRefused
from jembatan.core.models import ChangeRecord
from jembatan.core.roles import Role
from jembatan.organisations.factories import OrganisationFactory
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.training.factories import BatchFactory, ProgrammeFactory
from jembatan.training.models import Attendance, Batch, Enrolment, TrainingSession
from jembatan.training.services import programmes

pytestmark = pytest.mark.django_db
YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


@pytest.fixture
def trio(
    lpk_batch: Batch, make_participant: Callable[..., Participant], training_operator: User
) -> list[Enrolment]:
    """Ani, Bayu and Citra enrolled in the welding batch (3 places)."""
    people = [
        make_participant(JourneyStatus.VERIFIED, full_name=name)
        for name in ("Ani Wijaya", "Bayu Saputra", "Citra Dewi")
    ]
    return [
        programmes.enrol(batch=lpk_batch, participant=p, acting_user=training_operator)
        for p in people
    ]


def _url(batch: Batch) -> str:
    return reverse("training:attendance_grid", args=[batch.pk])


def _post(client: Client, batch: Batch, rows: dict[int, tuple[str, str]], **header: Any) -> Any:
    data: dict[str, Any] = {
        "date": YESTERDAY.isoformat(),
        "topic": "Welding safety",
        "hours": 8,
        "phase": "",
    } | header
    for key, (mark, note) in rows.items():
        data |= {f"r{key}-mark": mark, f"r{key}-note": note}
    return client.post(_url(batch), data)


def test_the_grid_lists_every_enrolled_participant_in_a_scrolling_table(
    client_for: Callable[..., Client], training_operator: User, trio: list[Enrolment]
) -> None:
    page = client_for(training_operator).get(_url(trio[0].batch)).content.decode()
    assert '<div class="table-scroll"><table class="grid">' in page
    assert [f'data-testid="row-{e.pk}"' in page for e in trio] == [True, True, True]


def test_several_rows_are_saved_at_once_and_blank_rows_are_skipped(
    client_for: Callable[..., Client], training_operator: User, trio: list[Enrolment]
) -> None:
    ani, bayu, citra = trio
    response = _post(
        client_for(training_operator),
        ani.batch,
        {
            ani.pk: ("present", ""),
            bayu.pk: ("absent", "Sick, letter from the clinic"),
            citra.pk: ("", ""),
        },
    )
    assert response.status_code == 302
    session = TrainingSession.objects.get()
    assert (session.date, session.topic, session.hours) == (YESTERDAY, "Welding safety", 8)
    assert sorted(session.attendance.values_list("enrolment_id", "mark", "note")) == [
        (ani.pk, "present", ""),
        (bayu.pk, "absent", "Sick, letter from the clinic"),
    ]
    operations = ChangeRecord.objects.filter(operation="training.attendance_record_many")
    assert sorted(operations.values_list("content_type__model", flat=True)) == [
        "attendance",
        "attendance",
        "trainingsession",
    ]


def test_the_same_grid_sent_twice_records_once(
    client_for: Callable[..., Client], training_operator: User, trio: list[Enrolment]
) -> None:
    client, ani = client_for(training_operator), trio[0]
    rows = {ani.pk: ("present", "")}
    _post(client, ani.batch, rows)
    changes = ChangeRecord.objects.count()
    second = _post(client, ani.batch, rows)
    assert second.status_code == 302
    assert Attendance.objects.count() == 1
    assert ChangeRecord.objects.count() == changes


def test_a_later_grid_completes_the_rows_left_blank(
    client_for: Callable[..., Client], training_operator: User, trio: list[Enrolment]
) -> None:
    client, (ani, bayu, _citra) = client_for(training_operator), trio
    _post(client, ani.batch, {ani.pk: ("present", "")})
    page = client.get(
        _url(ani.batch), {"date": YESTERDAY.isoformat(), "topic": "Welding safety"}
    ).content.decode()
    assert 'value="present" selected' in page
    _post(client, ani.batch, {ani.pk: ("present", ""), bayu.pk: ("excused", "")})
    assert sorted(Attendance.objects.values_list("enrolment_id", "mark")) == [
        (ani.pk, "present"),
        (bayu.pk, "excused"),
    ]


def test_one_refused_row_saves_nothing_and_shows_its_refusal_in_its_row(
    client_for: Callable[..., Client], training_operator: User, trio: list[Enrolment]
) -> None:
    client, (ani, bayu, citra) = client_for(training_operator), trio
    programmes.enrolment_withdraw(
        enrolment=citra, reason="Moved away", acting_user=training_operator
    )
    before = (
        TrainingSession.objects.count(),
        Attendance.objects.count(),
        ChangeRecord.objects.count(),
    )
    response = _post(
        client,
        ani.batch,
        {ani.pk: ("present", ""), bayu.pk: ("absent", "Flu"), citra.pk: ("present", "late")},
    )
    page = response.content.decode()
    assert response.status_code == 200
    after = (
        TrainingSession.objects.count(),
        Attendance.objects.count(),
        ChangeRecord.objects.count(),
    )
    assert after == before
    assert _errors(page, citra.pk) == ["The participant is no longer enrolled in this batch."]
    assert _errors(page, ani.pk) == [] and _errors(page, bayu.pk) == []
    assert f'name="r{bayu.pk}-note" value="Flu"' in page
    assert f'name="r{citra.pk}-note" value="late"' in page


def _errors(page: str, key: int) -> list[str]:
    start = page.index(f'data-testid="errors-{key}"')
    cell = page[start : page.index("</td>", start)]
    return [part.split("</p>")[0] for part in cell.split('role="alert">')[1:]]


def test_a_mark_differing_from_the_recorded_one_is_refused_on_its_row(
    client_for: Callable[..., Client], training_operator: User, trio: list[Enrolment]
) -> None:
    client, (ani, bayu, _citra) = client_for(training_operator), trio
    _post(client, ani.batch, {ani.pk: ("absent", "")})
    response = _post(client, ani.batch, {ani.pk: ("present", ""), bayu.pk: ("present", "")})
    page = response.content.decode()
    assert "Already recorded as “Absent” for this session" in page
    recorded = page.index(f'data-testid="row-{ani.pk}"')
    assert "<td>Absent</td>" in page[recorded : page.index("</tr>", recorded)]
    assert list(Attendance.objects.values_list("enrolment_id", "mark")) == [(ani.pk, "absent")]


def test_a_future_date_is_refused_as_on_the_session_page(
    client_for: Callable[..., Client], training_operator: User, trio: list[Enrolment]
) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    Batch.objects.filter(pk=trio[0].batch_id).update(ends_on=tomorrow + dt.timedelta(days=30))
    response = _post(
        client_for(training_operator),
        trio[0].batch,
        {trio[0].pk: ("present", "")},
        date=tomorrow.isoformat(),
    )
    assert response.status_code == 200
    assert "is in the future." in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_a_note_without_a_mark_asks_for_the_mark(
    client_for: Callable[..., Client], training_operator: User, trio: list[Enrolment]
) -> None:
    ani = trio[0]
    response = _post(client_for(training_operator), ani.batch, {ani.pk: ("", "came late")})
    assert "Choose present, absent or excused, or clear the note." in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_the_service_names_every_refused_row(
    training_operator: User, trio: list[Enrolment]
) -> None:
    ani, bayu, citra = trio
    programmes.enrolment_withdraw(enrolment=bayu, reason="Left", acting_user=training_operator)
    programmes.enrolment_withdraw(enrolment=citra, reason="Left", acting_user=training_operator)
    marks = {e.pk: programmes.Mark("present") for e in trio}
    with pytest.raises(RowsRefused) as refused:
        programmes.attendance_record_many(
            batch=ani.batch,
            date=YESTERDAY,
            topic="Welding",
            hours=8,
            phase=None,
            marks=marks,
            acting_user=training_operator,
        )
    assert sorted(refused.value.rows) == sorted([bayu.pk, citra.pk])
    assert not TrainingSession.objects.exists()


# --- who may use the grid ---------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SENDER_OPERATOR, Role.PROVINCIAL_OFFICER, Role.AUDITOR])
def test_roles_that_do_not_run_training_are_refused(
    client_for: Callable[..., Client],
    users_by_role: dict[Role, User],
    role: Role,
    trio: list[Enrolment],
) -> None:
    client = client_for(users_by_role[role])
    assert client.get(_url(trio[0].batch)).status_code == 403
    assert _post(client, trio[0].batch, {trio[0].pk: ("present", "")}).status_code == 403
    assert not TrainingSession.objects.exists()


def test_another_centres_batch_is_not_found(
    client_for: Callable[..., Client], training_operator: User, trio: list[Enrolment]
) -> None:
    elsewhere = OrganisationFactory(kind="blk", name="BLK Surakarta")
    batch = BatchFactory(programme=ProgrammeFactory(organisation=elsewhere))
    client = client_for(training_operator)
    assert client.get(_url(batch)).status_code == 404
    assert _post(client, batch, {}).status_code == 404


def test_the_operator_of_another_centre_may_not_touch_this_batch(
    client_for: Callable[..., Client], trio: list[Enrolment]
) -> None:
    elsewhere = OrganisationFactory(kind="blk", name="BLK Surakarta")
    operator = UserFactory(role=Role.TRAINING_OPERATOR, organisation=elsewhere)
    response = _post(client_for(operator), trio[0].batch, {trio[0].pk: ("present", "")})
    assert response.status_code == 404
    assert not TrainingSession.objects.exists()


def test_the_batch_page_links_to_the_grid(
    client_for: Callable[..., Client], training_operator: User, trio: list[Enrolment]
) -> None:
    page = client_for(training_operator).get(reverse("training:batch", args=[trio[0].batch.pk]))
    assert _url(trio[0].batch) in page.content.decode()


def test_a_grid_left_all_blank_saves_nothing_and_says_so(
    client_for: Callable[..., Client], training_operator: User, trio: list[Enrolment]
) -> None:
    response = _post(client_for(training_operator), trio[0].batch, {e.pk: ("", "") for e in trio})
    assert "Mark the attendance of at least one participant." in response.content.decode()
    assert not TrainingSession.objects.exists()
