"""The review queue pages through every job order waiting, oldest submission first."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.core.paging import PAGE_SIZE
from jembatan.demand.factories import JobOrderFactory
from jembatan.demand.models import JobOrderStatus

pytestmark = pytest.mark.django_db


def _page(client: Any, name: str, query: str = "") -> tuple[str, str]:
    """The page's text and the query string of its "next page" link ("" on the last)."""
    body = client.get(f"{reverse(name)}{query}").content.decode()
    found = re.search(r'href="(\?after=[^"]+)"', body)
    return body, found.group(1).replace("&amp;", "&") if found else ""


def test_the_review_queue_pages_oldest_submission_first(client_for, national_officer: User) -> None:
    start = timezone.now() - dt.timedelta(days=10)
    orders = [
        JobOrderFactory(
            status=JobOrderStatus.SUBMITTED, submitted_at=start + dt.timedelta(hours=i // 3)
        )
        for i in range(PAGE_SIZE + 5)
    ]
    approved = JobOrderFactory(approved=True)  # decided already: never in the queue
    client = client_for(national_officer)

    first, query = _page(client, "demand:review")
    second, last = _page(client, "demand:review", query)

    shown = [_review_ids(first), _review_ids(second)]
    oldest_first = sorted(orders, key=lambda o: (o.submitted_at, o.pk))
    assert [len(ids) for ids in shown] == [PAGE_SIZE, 5]
    assert shown[0] + shown[1] == [o.pk for o in oldest_first]
    assert not set(shown[0]) & set(shown[1])
    assert approved.pk not in shown[0] + shown[1]
    assert last == ""


def _review_ids(text: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr id="review-(\d+)"', text)]


def test_only_national_staff_and_auditors_open_the_review_queue(
    client_for, partner_user: User, provincial_officer: User
) -> None:
    JobOrderFactory(status=JobOrderStatus.SUBMITTED, submitted_at=timezone.now())
    for user in (partner_user, provincial_officer):
        assert client_for(user).get(reverse("demand:review")).status_code == 403
