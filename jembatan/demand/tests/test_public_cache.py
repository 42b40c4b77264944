"""Public vacancy pages kept per process for visitors without an account (core/public_cache.py)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jembatan.accounts.factories import UserFactory
from jembatan.core.public_cache import CACHE_ALIAS
from jembatan.core.roles import Role
from jembatan.demand.models import JobOrder, JobOrderStatus

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


@pytest.fixture(autouse=True)
def kept() -> Iterator[None]:
    caches[CACHE_ALIAS].clear()
    with override_settings(JEMBATAN_PUBLIC_CACHE_SECONDS=60):
        yield
    caches[CACHE_ALIAS].clear()


def _page(client: Client, **extra: Any) -> str:
    response = client.get(reverse("jobs:list"), **extra)
    assert response.status_code == 200
    return response.content.decode()


def _without_token(page: str) -> str:
    found = TOKEN.search(page)
    assert found
    return page.replace(found.group(1), "")


def test_a_second_visitor_gets_the_kept_page_without_asking_the_database(
    published: dict[str, JobOrder], django_assert_num_queries: Any
) -> None:
    first = _page(Client())
    with django_assert_num_queries(0):
        second = _page(Client())
    assert "Shipyard" in second
    assert _without_token(first) == _without_token(second)


def test_a_change_shows_once_the_period_is_over(published: dict[str, JobOrder]) -> None:
    assert "Shipyard" in _page(Client())
    JobOrder.objects.filter(pk=published["korea"].pk).update(status=JobOrderStatus.CLOSED)
    assert "Shipyard" in _page(Client())  # still the kept page
    later = time.time() + 61
    with mock.patch("django.core.cache.backends.locmem.time.time", return_value=later):
        assert "Shipyard" not in _page(Client())


def test_a_signed_in_person_gets_their_own_page_and_it_is_never_kept(
    published: dict[str, JobOrder],
) -> None:
    _page(Client())
    officer = Client()
    officer.force_login(UserFactory(role=Role.NATIONAL_ADMIN, full_name="Petugas Pusat"))
    own = _page(officer)
    assert "Sign out" in own or "Keluar" in own
    caches[CACHE_ALIAS].clear()
    _page(officer)
    visitor = _page(Client())
    assert "Sign out" not in visitor and "Keluar" not in visitor


def test_each_visitor_gets_their_own_token_and_can_switch_language(
    published: dict[str, JobOrder],
) -> None:
    first = TOKEN.search(_page(Client()))
    visitor = Client(enforce_csrf_checks=True)
    found = TOKEN.search(_page(visitor))
    assert first and found and first.group(1) != found.group(1)
    assert "csrftoken" in visitor.cookies
    switched = visitor.post(
        reverse("accounts:set_language"),
        {"language": "en", "next": "/lowongan/", "csrfmiddlewaretoken": found.group(1)},
    )
    assert switched.status_code == 302
    assert visitor.cookies["django_language"].value == "en"


def test_languages_and_htmx_fragments_are_kept_apart(published: dict[str, JobOrder]) -> None:
    indonesian = _page(Client())
    english_visitor = Client()
    english_visitor.cookies["django_language"] = "en"
    english = _page(english_visitor)
    fragment = _page(Client(), HTTP_HX_REQUEST="true")
    assert 'lang="id"' in indonesian and 'lang="en"' in english
    assert "<html" not in fragment
    assert "<html" in _page(Client())


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page(
    published: dict[str, JobOrder],
) -> None:
    _page(Client())
    visitor = Client()
    visitor.cookies["messages"] = "anything"
    with CaptureQueriesContext(connection) as asked:
        _page(visitor)
    assert len(asked) > 0


def test_an_error_page_is_not_kept(
    published: dict[str, JobOrder], django_assert_num_queries: Any
) -> None:
    missing = reverse("jobs:detail", args=[published["draft"].pk])
    assert Client().get(missing).status_code == 404
    assert Client().get(missing).status_code == 404
    assert not caches[CACHE_ALIAS]._cache  # type: ignore[attr-defined]
