"""The overdue reports: every row reachable, longest overdue first, the scope kept."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.core.paging import PAGE_SIZE
from jembatan.demand.factories import JobOrderFactory
from jembatan.deployment.factories import abroad, deployment_for
from jembatan.deployment.models import Deployment
from jembatan.deployment.overdue import overdue_reports
from jembatan.organisations.factories import OrganisationFactory
from jembatan.participants.factories import ParticipantFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _page(client: Client, name: str, query: str = "") -> tuple[str, str]:
    """The page's text and the query string of its "next page" link ("" on the last)."""
    body = client.get(f"{reverse(name)}{query}").content.decode()
    found = re.search(r'href="(\?after=[^"]+)"', body)
    return body, found.group(1).replace("&amp;", "&") if found else ""


def _deployments(count: int) -> list[Deployment]:
    """``count`` deployments of people of LPK C (neither LPK A nor B), on one job order."""
    order = JobOrderFactory(approved=True, slots=count)
    people = ParticipantFactory.create_batch(count, sending_organisation=OrganisationFactory())
    return [deployment_for(p, job_order=order) for p in people]


@pytest.fixture
def overdue() -> list[Any]:
    """People abroad for 70 days who never reported: more overdue reports than a page."""
    for deployment in _deployments(28):
        abroad(
            deployment,
            departed_on=TODAY - dt.timedelta(days=70),
            arrived_on=TODAY - dt.timedelta(days=69),
        )
    return overdue_reports(today=TODAY)


def _overdue_rows(text: str) -> list[tuple[int, str]]:
    found = re.findall(
        r'<td><a href="[^"]*/(\d+)/">[^<]*</a></td><td>[^<]*</td><td>([^<]*)</td>', text
    )
    return [(int(pk), html.unescape(label)) for pk, label in found]


def test_the_overdue_reports_page_longest_overdue_first(
    overdue: list[Any], national_officer: User, client_for: Callable[[User | None], Client]
) -> None:
    assert len(overdue) > PAGE_SIZE
    client = client_for(national_officer)

    first, query = _page(client, "deployment:overdue")
    second, last = _page(client, "deployment:overdue", query)

    shown = [_overdue_rows(first), _overdue_rows(second)]
    assert [len(rows) for rows in shown] == [PAGE_SIZE, len(overdue) - PAGE_SIZE]
    assert shown[0] + shown[1] == [(o.deployment_id, str(o.kind_label)) for o in overdue]
    assert not set(shown[0]) & set(shown[1])
    assert f"{len(overdue)} reports on people abroad are overdue." in first
    assert last == ""


def test_a_sending_organisation_pages_only_through_its_own_overdue_reports(
    overdue: list[Any],
    ready: Deployment,
    sender_operator: User,
    client_for: Callable[[User | None], Client],
) -> None:
    abroad(
        ready, departed_on=TODAY - dt.timedelta(days=70), arrived_on=TODAY - dt.timedelta(days=69)
    )

    page, query = _page(client_for(sender_operator), "deployment:overdue")

    shown = _overdue_rows(page)
    assert shown and {pk for pk, _ in shown} == {ready.pk} and query == ""
