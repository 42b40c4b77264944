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
class NavGroup:
    """A task the menu's links serve, shown as one labelled section."""

    key: str
    label: str | Promise


MINE = NavGroup("mine", _("My apprenticeship"))
REGISTRY = NavGroup("registry", _("Registry"))
TRAINING = NavGroup("training", _("Training"))
SELECTION = NavGroup("selection", _("Selection & matching"))
DEMAND = NavGroup("demand", _("Demand & placements"))
DEPLOYMENT = NavGroup("deployment", _("Departure & stay abroad"))
PROTECTION = NavGroup("protection", _("Protection"))
ORGANISATIONS = NavGroup("organisations", _("Organisations & licences"))
AUDIT = NavGroup("audit", _("Audit & reference data"))
PUBLIC = NavGroup("public", _("Public services"))
# The order of the sections in the menu: the participant's own pages, then the
# programme's journey (register, train, select and match, place), then oversight.
NAV_GROUPS = (
    MINE,
    REGISTRY,
    TRAINING,
    SELECTION,
    DEMAND,
    DEPLOYMENT,
    PROTECTION,
    ORGANISATIONS,
    AUDIT,
)


@dataclass(frozen=True)
class NavItem:
    """One link in the main navigation; without a group it stands above every section."""

    label: str | Promise
    url_name: str
    group: NavGroup | None = None


NAV_ITEMS = (
    NavItem(_("Home"), "home"),
    NavItem(_("My record"), "participants:mine", MINE),
    NavItem(_("My documents"), "documents:mine", MINE),
    NavItem(_("My certificates"), "training:my_certificates", MINE),
    NavItem(_("My selection"), "selection:mine", MINE),
    NavItem(_("My job choices"), "matching:preferences", MINE),
    NavItem(_("My matching result"), "matching:my_result", MINE),
    NavItem(_("My stay abroad"), "deployment:mine", MINE),
    NavItem(_("My data"), "personal_data:mine", MINE),
    NavItem(_("My requests about my data"), "personal_data:my_requests", MINE),
    NavItem(_("Report a problem"), "report:mine", MINE),
    NavItem(_("Participants"), "participants:list", REGISTRY),
    NavItem(_("Register a candidate"), "participants:register", REGISTRY),
    NavItem(_("Probable duplicates"), "participants:duplicates", REGISTRY),
    NavItem(_("NIKs to confirm"), "participants:nik_mismatches", REGISTRY),
    NavItem(_("Documents to verify"), "documents:queue", REGISTRY),
    NavItem(_("Imports"), "imports:list", REGISTRY),
    NavItem(_("Requests about personal data"), "personal_data:requests", REGISTRY),
    NavItem(_("People without their own consent"), "personal_data:unconfirmed", REGISTRY),
    NavItem(_("Consent texts"), "participants:consent_texts", REGISTRY),
    NavItem(_("Training"), "training:index", TRAINING),
    NavItem(_("Graduate outcomes"), "training:outcomes", TRAINING),
    NavItem(_("Training gap"), "insights:training_gap", TRAINING),
    NavItem(_("Selection"), "selection:list", SELECTION),
    NavItem(_("Matching"), "matching:list", SELECTION),
    NavItem(_("Job orders"), "demand:list", DEMAND),
    NavItem(_("Job orders to review"), "demand:review", DEMAND),
    NavItem(_("Placements"), "demand:placements", DEMAND),
    NavItem(_("Targets"), "demand:targets", DEMAND),
    NavItem(_("Fee rules"), "demand:fee_rules", DEMAND),
    NavItem(_("Deployments"), "deployment:list", DEPLOYMENT),
    NavItem(_("Placements to prepare"), "deployment:to_prepare", DEPLOYMENT),
    NavItem(_("Overdue reports"), "deployment:overdue", DEPLOYMENT),
    NavItem(_("Flights and manifests"), "deployment:flights", DEPLOYMENT),
    NavItem(_("Protection cases"), "protection:list", PROTECTION),
    NavItem(_("Open a case"), "protection:new", PROTECTION),
    NavItem(_("Case deadlines"), "protection:deadlines", PROTECTION),
    NavItem(_("Organisations"), "organisations:list", ORGANISATIONS),
    NavItem(_("Licence risk"), "risk:list", ORGANISATIONS),
    NavItem(_("Reference data"), "core:reference", AUDIT),
    NavItem(_("Programme rules"), "core:scheme_rules", AUDIT),
    NavItem(_("Change history"), "core:changes", AUDIT),
    NavItem(_("Access log"), "core:access_log", AUDIT),
    NavItem(_("Background tasks"), "core:tasks", AUDIT),
    NavItem(_("Personal-data breaches"), "personal_data:breaches", AUDIT),
    NavItem(_("Retention schedule"), "personal_data:retention", AUDIT),
    NavItem(_("Retention runs"), "personal_data:retention_runs", AUDIT),
    NavItem(_("Locked sign-ins"), "accounts:lockouts", AUDIT),
    NavItem(_("Accounts"), "accounts:accounts", AUDIT),
)
PUBLIC_ITEMS = (
    NavItem(_("Licensed organisations"), "register:search", PUBLIC),
    NavItem(_("Job vacancies"), "jobs:list", PUBLIC),
    NavItem(_("Check a certificate"), "verify:lookup", PUBLIC),
    NavItem(_("Register as a candidate"), "participants:self_register", PUBLIC),
    NavItem(_("How we process personal data"), "personal_data:processing", PUBLIC),
    NavItem(_("Report a problem abroad"), "report:report", PUBLIC),
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
            group = item.group.key if item.group else ""
            links.append({"label": item.label, "url": url, "name": item.url_name, "group": group})
    return links


def items_for(role: Role | None) -> list[dict[str, Any]]:
    """The signed-in links a person with ``role`` may follow."""
    return [] if role is None else _links(NAV_ITEMS, role, public=False)


def grouped(links: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The links in sections: the ungrouped ones first (label ""), then each group in menu order.

    A group none of whose links the person may follow is left out.
    """
    sections: list[dict[str, Any]] = [
        {"key": "", "label": "", "links": [link for link in links if not link["group"]]}
    ]
    for group in NAV_GROUPS:
        mine = [link for link in links if link["group"] == group.key]
        sections.append({"key": group.key, "label": group.label, "links": mine})
    return [section for section in sections if section["links"]]


def groups_for(role: Role | None) -> list[dict[str, Any]]:
    """The signed-in menu of a person with ``role``, in sections by task."""
    return grouped(items_for(role))


@cache
def _menus(role: Role | None) -> dict[str, Any]:
    # Built once per role and process: the labels are lazy and translate as they render.
    items = items_for(role)
    return {
        "nav_items": items,
        "nav_groups": grouped(items),
        "public_nav_items": _links(PUBLIC_ITEMS, role, public=True),
    }


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Template context: the role, its menu (flat and in sections) and the public links."""
    role = role_of(getattr(request, "user", None))
    return {**_menus(role), "current_role": role, "current_role_label": role.label if role else ""}
