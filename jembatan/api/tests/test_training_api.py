"""The API's programme list: by name, a page at a time, an operator's centre only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from jembatan.accounts.models import User
from jembatan.organisations.models import Organisation
from jembatan.training.factories import ProgrammeFactory
from jembatan.training.models import Programme

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User | None], Client]
URL = "/api/v1/training/programmes"


@pytest.fixture
def programmes(blk: Organisation) -> list[Programme]:
    """55 programmes elsewhere, two of them with the same name, and 3 at BLK Semarang."""
    others = ProgrammeFactory.create_batch(53, units=[])
    twins = ProgrammeFactory.create_batch(2, name="Program Kembar", units=[])
    ours = ProgrammeFactory.create_batch(3, organisation=blk, units=[])
    return [*others, *twins, *ours]


def test_programmes_page_by_name_with_a_cursor(
    client_for: ClientFor, national_officer: User, programmes: list[Programme]
) -> None:
    client = client_for(national_officer)

    first = client.get(URL, {"limit": 40}).json()
    second = client.get(URL, {"limit": 40, "after": first["next_cursor"]}).json()

    ids = [[p["id"] for p in page["items"]] for page in (first, second)]
    by_name = sorted(programmes, key=lambda p: (p.name, p.pk))
    assert [len(i) for i in ids] == [40, 18]
    assert ids[0] + ids[1] == [p.pk for p in by_name]
    assert not set(ids[0]) & set(ids[1])
    assert isinstance(first["next_cursor"], str) and second["next_cursor"] is None


def test_a_programme_page_holds_fifty_unless_asked_and_at_most_five_hundred(
    client_for: ClientFor, national_officer: User, programmes: list[Programme]
) -> None:
    client = client_for(national_officer)

    assert len(client.get(URL).json()["items"]) == 50
    assert len(client.get(URL, {"limit": 10_000}).json()["items"]) == len(programmes)
    assert len(client.get(URL, {"limit": 0}).json()["items"]) == 1


def test_a_training_operator_pages_only_through_their_centres_programmes(
    client_for: ClientFor, training_operator: User, programmes: list[Programme]
) -> None:
    page = client_for(training_operator).get(URL, {"limit": 2}).json()
    rest = client_for(training_operator).get(URL, {"after": page["next_cursor"]}).json()

    ours = sorted(
        (p for p in programmes if p.organisation.name == "BLK Semarang"),
        key=lambda p: (p.name, p.pk),
    )
    assert [p["id"] for p in page["items"] + rest["items"]] == [p.pk for p in ours]
    assert rest["next_cursor"] is None


def test_a_programme_cursor_that_was_tampered_with_gives_page_one(
    client_for: ClientFor, national_officer: User, programmes: list[Programme]
) -> None:
    client = client_for(national_officer)

    tampered = client.get(URL, {"after": "not-a-cursor"}).json()

    assert tampered == client.get(URL).json()
