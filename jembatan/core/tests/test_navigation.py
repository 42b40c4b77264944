"""The menu follows the views' declarations: nobody is offered a page that refuses them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import resolve

from jembatan.core.access import access_of
from jembatan.core.navigation import NAV_GROUPS, NAV_ITEMS, groups_for, items_for, navigation
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


# The menu by task: sections with a label, in the order of the programme's journey.


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_every_link_sits_in_exactly_one_section_and_no_section_is_empty(role: Role) -> None:
    sections = groups_for(role)
    in_sections = [link["name"] for section in sections for link in section["links"]]
    assert sorted(in_sections) == sorted(item["name"] for item in items_for(role))
    assert all(section["links"] for section in sections)


def test_only_home_stands_outside_the_sections() -> None:
    assert [item.url_name for item in NAV_ITEMS if item.group is None] == ["home"]
    assert {item.group for item in NAV_ITEMS if item.group} == set(NAV_GROUPS)


def test_the_national_officer_sees_the_menu_in_sections_by_task() -> None:
    sections = {
        s["key"]: [link["name"] for link in s["links"]] for s in groups_for(Role.NATIONAL_OFFICER)
    }
    assert list(sections) == [
        "",
        "registry",
        "training",
        "selection",
        "demand",
        "deployment",
        "protection",
        "organisations",
        "audit",
    ]
    assert sections[""] == ["home"]
    assert sections["registry"] == [
        "participants:list",
        "participants:register",
        "participants:duplicates",
        "participants:nik_mismatches",
        "documents:queue",
        "imports:list",
        "personal_data:requests",
        "personal_data:unconfirmed",
        "participants:consent_texts",
    ]
    assert sections["demand"] == [
        "demand:list",
        "demand:review",
        "demand:placements",
        "demand:targets",
        "demand:fee_rules",
    ]
    assert sections["selection"] == ["selection:list", "matching:list"]
    assert sections["deployment"] == [
        "deployment:list",
        "deployment:to_prepare",
        "deployment:overdue",
        "deployment:flights",
    ]
    assert sections["protection"] == [
        "protection:list",
        "protection:new",
        "protection:deadlines",
    ]


def test_a_participant_sees_home_and_one_section_of_their_own_pages() -> None:
    sections = groups_for(Role.PARTICIPANT)
    assert [s["key"] for s in sections] == ["", "mine"]
    assert str(sections[1]["label"]) == "My apprenticeship"
    assert [link["name"] for link in sections[1]["links"]][:2] == [
        "participants:mine",
        "documents:mine",
    ]


def test_the_page_shows_each_section_with_its_label_and_a_menu_button(
    client: Client, national_officer
) -> None:
    client.force_login(national_officer)
    page = client.get("/").text
    assert 'data-testid="menu-button"' in page
    registry = page.split('data-testid="nav-group-registry"', 1)[1].split("</section>", 1)[0]
    assert '<h2 class="nav-group-label">Registry</h2>' in registry
    assert 'href="/peserta/"' in registry
    assert 'data-testid="nav-group-audit"' in page
    assert 'data-testid="nav-group-mine"' not in page


def test_a_visitor_gets_the_public_services_behind_the_same_menu_button() -> None:
    page = Client().get("/daftar-lpk/").text
    public = page.split('data-testid="nav-group-public"', 1)[1].split("</section>", 1)[0]
    assert 'href="/lowongan/"' in public and 'href="/akun/masuk/"' in public
    assert 'data-testid="menu-button"' in page
