"""The national administrator's account search pages by keyset, fifty at a time."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client, override_settings

from jembatan.accounts.factories import UserFactory
from jembatan.accounts.models import User
from jembatan.core.roles import Role

pytestmark = pytest.mark.django_db
ACCOUNT_LINK = re.compile(r'href="/akun/pengguna/(\d+)/"')
NEXT = re.compile(r'href="\?(after=\d+[^"]*)"')


def _admin() -> Client:
    client = Client()
    client.force_login(UserFactory(role=Role.NATIONAL_ADMIN, username="pusat-admin"))
    return client


@override_settings(JEMBATAN_TWO_FACTOR_REQUIRED=False)
def test_the_search_shows_fifty_then_the_rest_without_overlap() -> None:
    made = {UserFactory(username=f"lpk-operator-{n:03}").pk for n in range(120)}
    admin = _admin()
    seen: list[int] = []
    query = "q=lpk-operator"
    for _ in range(3):
        page = admin.get(f"/akun/pengguna/?{query}").content.decode().replace("&amp;", "&")
        seen += [int(pk) for pk in ACCOUNT_LINK.findall(page)]
        following = NEXT.search(page)
        if following is None:
            break
        query = following.group(1)
    assert len(seen) == len(set(seen)) == 120
    assert set(seen) == made
    assert following is None


@override_settings(JEMBATAN_TWO_FACTOR_REQUIRED=False)
def test_the_search_still_filters_and_asks_as_much_for_many_accounts(
    django_assert_max_num_queries: Any,
) -> None:
    UserFactory(username="siti-provinsi")
    for n in range(60):
        UserFactory(username=f"other-{n}")
    admin = _admin()
    with django_assert_max_num_queries(8):
        page = admin.get("/akun/pengguna/", {"q": "siti"}).content.decode()
    assert ACCOUNT_LINK.findall(page) == [str(User.objects.get(username="siti-provinsi").pk)]
    assert NEXT.search(page) is None
