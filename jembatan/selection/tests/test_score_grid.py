"""The score grid: a stage's results for every candidate, saved at once or not at all."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jembatan.accounts.factories import UserFactory
from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.core.roles import Role
from jembatan.organisations.factories import OrganisationFactory
from jembatan.selection.models import Candidacy, CandidacyStatus, RoundStage, Score
from jembatan.selection.services.scoring import score_record

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(stage: RoundStage) -> str:
    return reverse("selection:score_grid", args=[stage.round_id, stage.pk])


def _row(candidacy: Candidacy, **fields: Any) -> dict[str, Any]:
    return {f"r{candidacy.pk}-{name}": value for name, value in fields.items()}


def _pass_administrative(enrolled: list[Candidacy], stage: RoundStage, officer: User) -> None:
    for candidacy in enrolled:
        score_record(
            candidacy=candidacy,
            stage=stage,
            value=None,
            passed=True,
            note="",
            correction_reason="",
            acting_user=officer,
        )


def _errors(page: str, key: int) -> list[str]:
    start = page.index(f'data-testid="row-{key}"')
    row = page[start : page.index("</tr>", start)]
    return [part.split("</p>")[0] for part in row.split('role="alert">')[1:]]


def _current(stage: RoundStage) -> list[tuple[str, Any, bool]]:
    rows = Score.objects.filter(stage=stage, superseded_at__isnull=True)
    return sorted(rows.values_list("candidacy__participant__full_name", "value", "passed"))


def test_a_pass_fail_stage_is_entered_for_everyone_at_once(
    enrolled: list[Candidacy], stages: list[RoundStage], national_officer: User
) -> None:
    ani, bayu = enrolled
    client = _client(national_officer)
    page = client.get(_url(stages[0])).content.decode()
    assert '<div class="table-scroll"><table class="grid">' in page
    response = client.post(
        _url(stages[0]), _row(ani, passed="yes") | _row(bayu, passed="no", note="No diploma")
    )
    assert response.status_code == 302
    assert _current(stages[0]) == [("Ani Wijaya", None, True), ("Bayu Saputra", None, False)]
    bayu.refresh_from_db()
    assert bayu.status == CandidacyStatus.FAILED


def test_several_scores_are_saved_at_once_and_blank_rows_are_skipped(
    enrolled: list[Candidacy],
    stages: list[RoundStage],
    national_officer: User,
    training_operator: User,
) -> None:
    ani, bayu = enrolled
    _pass_administrative(enrolled, stages[0], national_officer)
    client = _client(training_operator)
    page = client.get(_url(stages[1])).content.decode()
    assert f'data-testid="row-{ani.pk}"' in page and f'data-testid="row-{bayu.pk}"' in page
    response = client.post(_url(stages[1]), _row(ani, value="75") | _row(bayu, value="", note=""))
    assert response.status_code == 302
    assert _current(stages[1]) == [("Ani Wijaya", 75, True)]
    client.post(_url(stages[1]), _row(ani, value="75", current="") | _row(bayu, value="58"))
    assert _current(stages[1]) == [("Ani Wijaya", 75, True), ("Bayu Saputra", 58, False)]


def test_one_refused_row_saves_nothing_and_shows_its_refusal_in_its_row(
    enrolled: list[Candidacy],
    stages: list[RoundStage],
    national_officer: User,
    training_operator: User,
) -> None:
    ani, bayu = enrolled
    _pass_administrative(enrolled, stages[0], national_officer)
    changes = ChangeRecord.objects.count()
    response = _client(training_operator).post(
        _url(stages[1]),
        _row(ani, value="75", note="Good") | _row(bayu, value="101", note="Typo?"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert _errors(page, bayu.pk) == ["101 is outside the scale: enter a score from 0 to 100."]
    assert _errors(page, ani.pk) == []
    assert 'value="75"' in page and 'value="101"' in page and 'value="Typo?"' in page
    assert not Score.objects.filter(stage=stages[1]).exists()
    assert ChangeRecord.objects.count() == changes


def test_a_correction_needs_its_reason_on_its_row_and_keeps_the_history(
    enrolled: list[Candidacy],
    stages: list[RoundStage],
    national_officer: User,
    training_operator: User,
) -> None:
    ani, bayu = enrolled
    _pass_administrative(enrolled, stages[0], national_officer)
    client = _client(training_operator)
    client.post(_url(stages[1]), _row(ani, value="75") | _row(bayu, value="58"))
    held = {s.candidacy_id: s.pk for s in Score.objects.filter(stage=stages[1])}
    refused = client.post(
        _url(stages[1]),
        _row(ani, value="75", current=held[ani.pk]) | _row(bayu, value="68", current=held[bayu.pk]),
    )
    assert _errors(refused.content.decode(), bayu.pk) == [
        "This stage already has a result (58 (not passed)). To correct it, give the reason for "
        "the correction."
    ]
    client.post(
        _url(stages[1]),
        _row(ani, value="75", current=held[ani.pk])
        | _row(bayu, value="68", current=held[bayu.pk], correction_reason="Page 3 was missed"),
    )
    assert _current(stages[1]) == [("Ani Wijaya", 75, True), ("Bayu Saputra", 68, True)]
    old = Score.objects.get(pk=held[bayu.pk])
    assert (old.superseded_at is not None, old.correction_reason) == (True, "Page 3 was missed")


def test_the_same_grid_sent_twice_records_once(
    enrolled: list[Candidacy],
    stages: list[RoundStage],
    national_officer: User,
    training_operator: User,
) -> None:
    ani, bayu = enrolled
    _pass_administrative(enrolled, stages[0], national_officer)
    client = _client(training_operator)
    data = _row(ani, value="75") | _row(bayu, value="62")
    client.post(_url(stages[1]), data)
    changes = ChangeRecord.objects.count()
    second = client.post(_url(stages[1]), data, follow=True)
    assert "Saved: 0 new result(s), 0 correction(s); 2 unchanged." in second.content.decode()
    assert Score.objects.filter(stage=stages[1]).count() == 2
    assert ChangeRecord.objects.count() == changes


def test_the_stage_order_holds_on_each_row(
    enrolled: list[Candidacy], stages: list[RoundStage], training_operator: User
) -> None:
    ani, _bayu = enrolled
    response = _client(training_operator).post(_url(stages[1]), _row(ani, value="80"))
    assert _errors(response.content.decode(), ani.pk) == [
        "Enter the result of “Administrative check” first: stages are marked in order."
    ]
    assert not Score.objects.exists()


# --- who may use the grid ---------------------------------------------------------


def test_someone_who_may_not_score_the_stage_is_sent_to_the_read_only_page(
    enrolled: list[Candidacy], stages: list[RoundStage], national_officer: User
) -> None:
    client = _client(national_officer)
    response = client.post(_url(stages[1]), _row(enrolled[0], value="80"), follow=True)
    assert response.redirect_chain == [
        (reverse("selection:score_entry", args=[stages[1].round_id, stages[1].pk]), 302)
    ]
    assert "You may not enter results for this stage." in response.content.decode()
    assert not Score.objects.exists()


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.PARTICIPANT])
def test_roles_outside_the_scorers_are_refused(
    enrolled: list[Candidacy], stages: list[RoundStage], users_by_role: dict[Role, User], role: Role
) -> None:
    client = _client(users_by_role[role])
    assert client.get(_url(stages[0])).status_code == 403
    assert client.post(_url(stages[0]), _row(enrolled[0], passed="yes")).status_code == 403
    assert not Score.objects.exists()


def test_another_partners_user_and_an_operator_outside_the_round_find_nothing(
    enrolled: list[Candidacy], stages: list[RoundStage], other_sender_operator: User
) -> None:
    stranger = UserFactory(role=Role.PARTNER, organisation=OrganisationFactory(partner=True))
    for user in (stranger, other_sender_operator):
        client = _client(user)
        assert client.get(_url(stages[2])).status_code == 404
        assert client.post(_url(stages[2]), _row(enrolled[0], value="90")).status_code == 404
    assert not Score.objects.exists()


def test_the_stage_pages_link_to_the_grid(
    enrolled: list[Candidacy], stages: list[RoundStage], national_officer: User
) -> None:
    client = _client(national_officer)
    entry = client.get(reverse("selection:score_entry", args=[stages[0].round_id, stages[0].pk]))
    detail = client.get(reverse("selection:detail", args=[stages[0].round_id]))
    assert _url(stages[0]) in entry.content.decode()
    assert _url(stages[0]) in detail.content.decode()


def test_the_refusal_in_its_row_speaks_the_pages_language(
    enrolled: list[Candidacy],
    stages: list[RoundStage],
    national_officer: User,
    training_operator: User,
    settings: Any,
) -> None:
    settings.LANGUAGE_CODE = "id"  # the default outside the test settings
    ani, bayu = enrolled
    _pass_administrative(enrolled, stages[0], national_officer)
    response = _client(training_operator).post(
        _url(stages[1]), _row(ani, value="75") | _row(bayu, value="101")
    )
    assert _errors(response.content.decode(), bayu.pk) == [
        "101 berada di luar skala: isi nilai dari 0 sampai 100."
    ]
