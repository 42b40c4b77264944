"""The navigation each role sees: a context processor for the base layout.

Which links a person sees follows from the views' own access declarations
(:mod:`jembatan.core.access`), so the menu can never offer a page its view refuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jembatan.core.access import Access, access_of, role_of
from jembatan.core.roles import Role


@dataclass(frozen=True)
class NavItem:
    """One link in the main navigation."""

    label: str | Promise
    url_name: str


NAV_ITEMS = (
    NavItem(_("Home"), "home"),
    NavItem(_("My record"), "participants:mine"),
    NavItem(_("My documents"), "documents:mine"),
    NavItem(_("My data"), "personal_data:mine"),
    NavItem(_("Participants"), "participants:list"),
    NavItem(_("Register a candidate"), "participants:register"),
    NavItem(_("Probable duplicates"), "participants:duplicates"),
    NavItem(_("Imports"), "imports:list"),
    NavItem(_("Organisations"), "organisations:list"),
    NavItem(_("Job orders"), "demand:list"),
    NavItem(_("Job orders to review"), "demand:review"),
    NavItem(_("Placements"), "demand:placements"),
    NavItem(_("Documents to verify"), "documents:queue"),
    NavItem(_("Targets"), "demand:targets"),
    NavItem(_("Training"), "training:index"),
    NavItem(_("My certificates"), "training:my_certificates"),
    NavItem(_("Graduate outcomes"), "training:outcomes"),
    NavItem(_("Training gap"), "insights:training_gap"),
    NavItem(_("Selection"), "selection:list"),
    NavItem(_("My selection"), "selection:mine"),
    NavItem(_("Matching"), "matching:list"),
    NavItem(_("My job choices"), "matching:preferences"),
    NavItem(_("My matching result"), "matching:my_result"),
    NavItem(_("Reference data"), "core:reference"),
    NavItem(_("Change history"), "core:changes"),
    NavItem(_("Access log"), "core:access_log"),
)
PUBLIC_ITEMS = (
    NavItem(_("Licensed organisations"), "register:search"),
    NavItem(_("Job vacancies"), "jobs:list"),
    NavItem(_("Check a certificate"), "verify:lookup"),
    NavItem(_("Register as a candidate"), "participants:self_register"),
)


@cache
def _target(url_name: str) -> tuple[str, Access | None] | None:
    """The URL of a named page and its access declaration (None if not installed)."""
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        return None
    return url, access_of(resolve(url).func)


def _links(items: tuple[NavItem, ...], role: Role | None, *, public: bool) -> list[dict[str, Any]]:
    links = []
    for item in items:
        url, access = _target(item.url_name) or ("", None)
        if access is None:
            continue
        if (access.public and public) or (not access.public and access.admits(role)):
            links.append({"label": item.label, "url": url, "name": item.url_name})
    return links


def items_for(role: Role | None) -> list[dict[str, Any]]:
    """The signed-in links a person with ``role`` may follow."""
    return [] if role is None else _links(NAV_ITEMS, role, public=False)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Template context: the current role, its navigation and the public links."""
    role = role_of(getattr(request, "user", None))
    return {
        "nav_items": items_for(role),
        "public_nav_items": _links(PUBLIC_ITEMS, role, public=True),
        "current_role": role,
        "current_role_label": role.label if role else "",
    }
