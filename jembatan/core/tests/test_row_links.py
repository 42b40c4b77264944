"""Row links and keyset pages of plain values: what a hot list uses instead of models."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse, set_script_prefix

from jembatan.core.paging import keyset_page
from jembatan.core.row_links import row_link
from jembatan.participants.factories import ParticipantFactory
from jembatan.participants.models import Participant


@pytest.mark.parametrize("name", ["participants:detail", "organisations:detail"])
@pytest.mark.parametrize("pk", [1, 42, 2147480008, 10**12])
def test_a_row_link_is_what_reverse_gives(name: str, pk: int) -> None:
    assert row_link(name)(pk) == reverse(name, args=[pk])


def test_a_row_link_follows_the_script_prefix() -> None:
    set_script_prefix("/jembatan/")
    try:
        assert row_link("participants:detail")(7) == "/jembatan/peserta/7/"
    finally:
        set_script_prefix("/")
    assert row_link("participants:detail")(7) == "/peserta/7/"


def test_a_pattern_without_an_id_is_refused() -> None:
    with pytest.raises(NoReverseMatch):
        row_link("participants:list")


@pytest.mark.django_db
def test_a_keyset_page_of_values_pages_like_one_of_models() -> None:
    ids = sorted((p.pk for p in ParticipantFactory.create_batch(5)), reverse=True)
    values = Participant.objects.values("pk", "full_name")
    first = keyset_page(values, after=None, size=3)
    assert [row["pk"] for row in first.items] == ids[:3]
    assert first.next_cursor == ids[2]
    second = keyset_page(values, after=first.next_cursor, size=3)
    assert [row["pk"] for row in second.items] == ids[3:]
    assert second.next_cursor is None
    models = keyset_page(Participant.objects.all(), after=None, size=3)
    assert ([p.pk for p in models.items], models.next_cursor) == (ids[:3], first.next_cursor)


@pytest.mark.django_db
def test_a_page_of_values_is_one_query() -> None:
    ParticipantFactory.create_batch(3)
    with CaptureQueriesContext(connection) as queries:
        keyset_page(Participant.objects.values("pk", "regency__name"), after=None)
    assert len(queries) == 1
