"""The selection API draws up shortlists: candidates owing selection documents are skipped.

IM Japan's closed round (``factories_ranking``): each passed candidate has the
medical check result, IM Japan's selection-stage document, verified unless a
test takes it away.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.demand.factories import JobOrderFactory
from jembatan.demand.models import JobOrder
from jembatan.documents.models import Document
from jembatan.organisations.models import Organisation
from jembatan.selection.models import Candidacy, SelectionRound, Shortlist, ShortlistEntry
from jembatan.selection.services.ranking import round_close
from jembatan.selection.tests import factories_ranking as build

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User | None], Client]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Expected sentences are in English, the source language."""
    with translation.override("en"):
        yield


@pytest.fixture
def round_(im_japan: Organisation) -> SelectionRound:
    return build.open_round(im_japan)


@pytest.fixture
def job_order(im_japan: Organisation) -> JobOrder:
    return JobOrderFactory(partner=im_japan, approved=True, slots=1)


def _ranked(round_: SelectionRound, names: list[str], by: User) -> list[Candidacy]:
    people = [
        build.passed(round_, str(95 - 5 * i), "40", acting_user=by, full_name=name)
        for i, name in enumerate(names)
    ]
    round_close(round=round_, acting_user=by)
    return people


def _draw(client: Client, round_: SelectionRound, job_order: JobOrder, per_vacancy: int) -> Any:
    return client.post(
        f"/api/v1/selection/rounds/{round_.pk}/shortlists",
        {"job_order_id": job_order.pk, "per_vacancy": per_vacancy},
        content_type="application/json",
    )


def test_national_staff_draw_up_a_shortlist_and_learn_who_was_skipped(
    client_for: ClientFor, national_officer: User, round_: SelectionRound, job_order: JobOrder
) -> None:
    people = _ranked(round_, ["Budi Santoso", "Ani Wijaya", "Citra Dewi"], national_officer)
    Document.objects.filter(participant=people[0].participant_id).delete()

    response = _draw(client_for(national_officer), round_, job_order, per_vacancy=2)

    assert response.status_code == 201
    body = response.json()
    assert [e["participant_id"] for e in body["entries"]] == [
        people[1].participant_id,
        people[2].participant_id,
    ]
    assert body["skipped_count"] == 1
    assert body["skipped"] == [
        {
            "participant_id": people[0].participant_id,
            "rank": 1,
            "documents": ["Medical check result has not been uploaded."],
        }
    ]
    assert body["message"] == (
        "1 ranked candidate was skipped because their selection documents are not verified: "
        "Budi Santoso (rank 1): Medical check result has not been uploaded."
    )


def test_a_shortlist_nobody_is_left_for_is_a_conflict_naming_the_document(
    client_for: ClientFor, national_officer: User, round_: SelectionRound, job_order: JobOrder
) -> None:
    (person,) = _ranked(round_, ["Siti Aminah"], national_officer)
    Document.objects.filter(participant=person.participant_id).delete()
    records = ChangeRecord.objects.count()

    response = _draw(client_for(national_officer), round_, job_order, per_vacancy=1)

    assert response.status_code == 409
    assert response.json()["detail"] == (
        f"No ranked candidate of this round is available and meets the requirements of job "
        f"order {job_order.reference}. 1 ranked candidate was skipped because their selection "
        "documents are not verified: Siti Aminah (rank 1): Medical check result has not been "
        "uploaded."
    )
    assert not Shortlist.objects.exists()
    assert not ShortlistEntry.objects.exists()
    assert ChangeRecord.objects.count() == records


def test_only_national_staff_draw_up_shortlists(
    client_for: ClientFor,
    national_officer: User,
    partner_user: User,
    auditor: User,
    round_: SelectionRound,
    job_order: JobOrder,
) -> None:
    _ranked(round_, ["Budi Santoso"], national_officer)

    assert _draw(client_for(partner_user), round_, job_order, 1).status_code == 403
    assert _draw(client_for(auditor), round_, job_order, 1).status_code == 403
    assert not Shortlist.objects.exists()
