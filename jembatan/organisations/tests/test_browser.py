"""In a real browser: an anonymous visitor checks an organisation in the public register."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from jembatan.accounts.factories import UserFactory
from jembatan.core.roles import Role
from jembatan.core.tests.browser import (
    CHROMIUM,
    BrowserTestCase,
    chromium_page,
)
from jembatan.organisations.factories import LicenceFactory, OrganisationFactory
from jembatan.organisations.models import DecisionKind, LicenceStatus
from jembatan.organisations.register import ACTIVE, SUSPENDED
from jembatan.organisations.services.licence_sanctions import licence_warn

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("JEMBATAN_REQUIRE_BROWSER") != "1",
        reason="the system Chromium is not installed",
    ),
]


class VisitorChecksTheRegister(BrowserTestCase):
    """The public register, searched by name and by licence number, without signing in."""

    serialized_rollback = True  # the reference data comes back after the flush

    def _search(self, page: Any, text: str, expect_name: str) -> Any:
        """Search, then wait until the (htmx-swapped) results show ``expect_name`` alone."""
        from playwright.sync_api import expect

        page.fill("input[name=q]", text)
        page.click("form[role=search] button[type=submit]")
        rows = page.get_by_test_id("register-row")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text(expect_name)
        return rows.first

    def test_a_visitor_finds_an_lpk_by_name_and_by_number_with_its_sanction(self) -> None:
        officer = UserFactory(role=Role.NATIONAL_OFFICER)
        sakura = OrganisationFactory(name="LPK Sakura Semarang")
        licence = LicenceFactory(organisation=sakura, number="KEP.318/LN/2025")
        licence_warn(
            licence=licence,
            reason="Trainees were charged a placement fee above the limit.",
            acting_user=officer,
            published=True,
        )
        fuji = OrganisationFactory(name="LPK Fuji Surabaya", province_id="35", region_id="35.78")
        LicenceFactory(organisation=fuji, number="KEP.900/LN/2024", status=LicenceStatus.SUSPENDED)
        with translation.override(settings.LANGUAGE_CODE):
            licensed, suspended = str(ACTIVE.label), str(SUSPENDED.label)
            warning = str(DecisionKind.WARNING.label)

        with chromium_page() as page:
            page.goto(f"{self.live_server_url}{reverse('register:search')}")
            row = self._search(page, "sakura", "LPK Sakura Semarang")
            assert row.get_by_test_id("register-status").inner_text() == licensed
            assert warning in row.inner_text()
            assert "placement fee above the limit" in row.inner_text()
            assert "q=sakura" in page.url  # the search can be bookmarked and shared

            row = self._search(page, "KEP.900", "LPK Fuji Surabaya")
            assert row.get_by_test_id("register-status").inner_text() == suspended
            assert "KEP.900/LN/2024" in row.inner_text()
