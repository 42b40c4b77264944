"""The navigation each role sees: a context processor for the base layout."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jembatan.core.access import role_of
from jembatan.core.roles import NATIONAL, READERS, Role


@dataclass(frozen=True)
class NavItem:
    """One link in the main navigation."""

    label: str | Promise
    url_name: str
    roles: frozenset[Role]


NAV_ITEMS = (
    NavItem(_("Home"), "home", frozenset(Role)),
    NavItem(_("My record"), "participants:mine", frozenset({Role.PARTICIPANT})),
    NavItem(_("Participants"), "participants:list", READERS | {Role.PARTNER}),
    NavItem(_("Organisations"), "organisations:list", READERS | {Role.PARTNER}),
    NavItem(_("Reference data"), "core:reference", NATIONAL | {Role.AUDITOR}),
    NavItem(_("Change history"), "core:changes", frozenset({Role.NATIONAL_ADMIN, Role.AUDITOR})),
    NavItem(_("Access log"), "core:access_log", frozenset({Role.NATIONAL_ADMIN, Role.AUDITOR})),
)


def items_for(role: Role | None) -> list[dict[str, Any]]:
    """The links a person with ``role`` may follow (the views enforce it again)."""
    if role is None:
        return []
    return [
        {"label": item.label, "url": reverse(item.url_name), "name": item.url_name}
        for item in NAV_ITEMS
        if role in item.roles
    ]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Template context: the current role and its navigation."""
    role = role_of(getattr(request, "user", None))
    return {
        "nav_items": items_for(role),
        "current_role": role,
        "current_role_label": role.label if role else "",
    }
