"""The menu follows the views' declarations: nobody is offered a page that refuses them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import resolve

from jembatan.core.access import access_of
from jembatan.core.navigation import items_for, navigation
from jembatan.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_every_menu_link_is_admitted_by_its_view(role: Role) -> None:
    for item in items_for(role):
        access = access_of(resolve(item["url"]).func)
        assert access is not None and access.admits(role), item["name"]


def test_a_participant_sees_their_own_pages_and_no_registry(rf, participant_user) -> None:
    names = {item["name"] for item in items_for(Role.PARTICIPANT)}
    assert {"participants:mine", "documents:mine", "personal_data:mine"} <= names
    assert "participants:list" not in names
    assert "core:changes" not in names


def test_the_auditor_sees_the_audit_pages_but_no_registration() -> None:
    names = {item["name"] for item in items_for(Role.AUDITOR)}
    assert {"core:changes", "core:access_log"} <= names
    assert "participants:register" not in names


def test_anonymous_visitors_get_the_public_services(rf) -> None:
    request = rf.get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    context = navigation(request)
    assert context["nav_items"] == []
    public = {item["name"] for item in context["public_nav_items"]}
    assert {"register:search", "participants:self_register"} <= public


def test_the_login_page_links_the_public_register() -> None:
    page = Client().get("/akun/masuk/").text
    assert 'href="/daftar-lpk/"' in page
