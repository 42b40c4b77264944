"""The officers' list of rights requests pages through every request, in its own order."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.core.paging import PAGE_SIZE
from jembatan.participants.models import Participant
from jembatan.privacy.models import RequestStatus, RightsRequest

pytestmark = pytest.mark.django_db
Filer = Callable[..., RightsRequest]
START = timezone.now()


def _client(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _copies(filed: RightsRequest, count: int, **fields: Any) -> list[RightsRequest]:
    """``count`` requests like ``filed``, due one after another (two at each moment)."""
    copies = []
    for i in range(count):
        copy = RightsRequest.objects.get(pk=filed.pk)
        copy.pk = None
        copy.due_at = START + dt.timedelta(hours=i // 2)
        for name, value in fields.items():
            setattr(copy, name, value(i) if callable(value) else value)
        copies.append(copy)
    return RightsRequest.objects.bulk_create(copies)


@pytest.fixture
def many(
    participant_jateng: Participant, participant_jatim: Participant, file_request: Filer
) -> dict[str, list[RightsRequest]]:
    """55 open and 55 decided requests of Jawa Tengah, 4 open ones of Jawa Timur."""
    jateng = file_request(participant_jateng, "restrict")
    decided = _copies(
        jateng,
        PAGE_SIZE + 5,
        status=RequestStatus.DONE,
        outcome="Done.",
        decided_at=lambda i: START - dt.timedelta(hours=i // 2),
    )
    return {
        "33": [jateng, *_copies(jateng, PAGE_SIZE + 4)],
        "35": _copies(jateng, 4, participant=participant_jatim, owner_province_id="35"),
        "decided": decided,
    }


def _page(client: Client, query: str = "") -> tuple[list[int], str]:
    """The request ids shown and the query string of the "next page" link."""
    body = client.get(reverse("personal_data:requests") + query).text
    found = re.search(r'href="(\?after=[^"]+)"', body)
    ids = [int(pk) for pk in re.findall(r'data-testid="row-(\d+)"', body)]
    return ids, found.group(1).replace("&amp;", "&") if found else ""


def test_open_requests_page_nearest_deadline_first(
    provincial_officer: User, many: dict[str, list[RightsRequest]]
) -> None:
    client = _client(provincial_officer)

    first, query = _page(client)
    second, last = _page(client, query)

    expected = sorted(many["33"], key=lambda r: (RightsRequest.objects.get(pk=r.pk).due_at, r.pk))
    assert (len(first), len(second)) == (PAGE_SIZE, 5)
    assert first + second == [r.pk for r in expected]
    assert not set(first) & set(second)
    assert last == ""


def test_decided_requests_page_latest_first_keeping_the_filter(
    provincial_officer: User, many: dict[str, list[RightsRequest]]
) -> None:
    client = _client(provincial_officer)

    first, query = _page(client, "?selesai=1")
    second, last = _page(client, query)

    expected = sorted(many["decided"], key=lambda r: (r.decided_at, r.pk), reverse=True)
    assert "selesai=1" in query
    assert (len(first), len(second)) == (PAGE_SIZE, 5)
    assert first + second == [r.pk for r in expected]
    assert last == ""


def test_an_officer_of_another_province_pages_only_through_theirs(
    other_provincial_officer: User, national_officer: User, many: dict[str, list[RightsRequest]]
) -> None:
    first, query = _page(_client(other_provincial_officer))

    assert sorted(first) == sorted(r.pk for r in many["35"]) and query == ""
    national_first, national_query = _page(_client(national_officer))
    national_second, _ = _page(_client(national_officer), national_query)
    assert len(national_first + national_second) == len(many["33"]) + len(many["35"])
