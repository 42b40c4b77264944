"""In a real browser: on a phone the menu waits behind "Menu"; on a wide screen it is open.

At 390 px a national officer's 17 links filled the first screen before any content.
Now the sections are hidden until the "Menu" button (a <details>, no JavaScript)
is opened; at 1280 px they are always shown and the button is not.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.urls import reverse

from jembatan.accounts.factories import DEFAULT_PASSWORD, UserFactory
from jembatan.core.roles import Role
from jembatan.core.tests.browser import (
    CHROMIUM,
    BrowserTestCase,
    chromium_page,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("JEMBATAN_REQUIRE_BROWSER") != "1",
        reason="the system Chromium is not installed",
    ),
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


class TheMenuCollapsesOnAPhone(BrowserTestCase):
    serialized_rollback = True  # the reference data comes back after the flush

    def _sign_in(self, page: Any, username: str) -> None:
        page.goto(f"{self.live_server_url}{reverse('accounts:login')}")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEFAULT_PASSWORD)
        page.click("form:has(input[name=password]) button[type=submit]")
        page.wait_for_load_state()

    def _overflow(self, page: Any) -> int:
        width: int = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        return width

    def test_the_officers_menu_opens_from_the_menu_button_on_a_phone_and_is_open_on_a_desktop(
        self,
    ) -> None:
        UserFactory(username="dewi", role=Role.NATIONAL_OFFICER)
        with chromium_page(locale="en-GB") as page:
            page.set_viewport_size(PHONE)
            self._sign_in(page, "dewi")
            page.goto(f"{self.live_server_url}{reverse('home')}")
            registry = page.get_by_test_id("nav-group-registry")
            participants = registry.locator(f"a[href='{reverse('participants:list')}']")
            heading = page.locator("main h1")
            # Closed: the first screen shows the page's own heading, not the menu.
            assert page.get_by_test_id("menu-button").is_visible()
            assert not registry.is_visible()
            assert not participants.is_visible()
            assert not page.get_by_test_id("who").is_visible()
            assert heading.bounding_box()["y"] < PHONE["height"] / 4  # type: ignore[index]
            page.get_by_test_id("menu-button").click()
            assert registry.is_visible()
            assert registry.get_by_role("heading").is_visible()
            assert participants.is_visible()
            assert page.get_by_test_id("who").is_visible()
            assert self._overflow(page) == 0
            participants.click()
            page.wait_for_url(f"**{reverse('participants:list')}")
            # A new page starts with the menu closed again.
            assert not page.get_by_test_id("nav-group-registry").is_visible()

            page.set_viewport_size(DESKTOP)
            page.goto(f"{self.live_server_url}{reverse('home')}")
            assert not page.get_by_test_id("menu-button").is_visible()
            assert page.get_by_test_id("nav-group-registry").is_visible()
            assert page.get_by_test_id("nav-group-audit").is_visible()
            assert page.get_by_test_id("who").is_visible()

    def test_a_visitors_public_links_wait_behind_the_menu_button_on_a_phone(self) -> None:
        with chromium_page(locale="en-GB") as page:
            page.set_viewport_size(PHONE)
            page.goto(f"{self.live_server_url}{reverse('register:search')}")
            public = page.get_by_test_id("nav-group-public")
            assert not public.is_visible()
            page.get_by_test_id("menu-button").click()
            assert public.locator(f"a[href='{reverse('accounts:login')}']").is_visible()
            assert self._overflow(page) == 0

            page.set_viewport_size(DESKTOP)
            page.reload()
            assert public.is_visible()
            assert not page.get_by_test_id("menu-button").is_visible()
