"""In a real browser: every demo login of ``jembatan seed`` reaches its role's home page.

For each demo user: sign in, see who is signed in and a heading only that
role's home page has, switch the interface to English, sign out. The launch
helper and the audit-trigger workaround for the live server's flush come from
the documents app's browser test (see its docstring).

Set ``JEMBATAN_SCREENSHOTS`` to a folder to keep a screenshot of a home page.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from jembatan.core.roles import Role
from jembatan.core.tests.browser import (
    CHROMIUM,
    BrowserTestCase,
    chromium_page,
)
from jembatan.demo.cast import DEFAULT_PASSWORD, PASSWORD_ENV
from jembatan.participants.models import JourneyStatus, Participant

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("JEMBATAN_REQUIRE_BROWSER") != "1",
        reason="the system Chromium (/usr/bin/chromium) is not installed",
    ),
]


def expected_headings() -> dict[str, str]:
    """Text the h1 of each demo user's home page contains (names do not translate)."""
    national = gettext("National overview")
    participant = Participant.objects.get(user__username="demo-participant")
    return {
        "demo-admin": national,
        "demo-officer": national,
        "demo-province": "Jawa Tengah",
        "demo-training": "BLK Semarang",
        "demo-sender": "LPK Sakura Mandiri",
        "demo-sender-2": "LPK Hikari Nusantara",
        "demo-partner": "IM Japan",
        "demo-participant": participant.full_name,
        "demo-auditor": gettext("Audit"),
    }


ROLES = {
    "demo-admin": Role.NATIONAL_ADMIN,
    "demo-officer": Role.NATIONAL_OFFICER,
    "demo-province": Role.PROVINCIAL_OFFICER,
    "demo-training": Role.TRAINING_OPERATOR,
    "demo-sender": Role.SENDER_OPERATOR,
    "demo-sender-2": Role.SENDER_OPERATOR,
    "demo-partner": Role.PARTNER,
    "demo-participant": Role.PARTICIPANT,
    "demo-auditor": Role.AUDITOR,
}


class DemoLoginsWork(BrowserTestCase):
    """What ``make demo`` promises: each printed login opens its role's home page."""

    serialized_rollback = True  # the reference data comes back after the flush
    # Static files are served (from the app folders) so the screenshot shows the real layout.

    def setUp(self) -> None:
        os.environ.pop(PASSWORD_ENV, None)
        quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
        call_command("seed", "--participants", "50", "--force", **quiet)

    def test_every_demo_user_signs_in_sees_their_home_switches_to_english_and_signs_out(
        self,
    ) -> None:
        with translation.override("id"):
            headings = expected_headings()
            roles_id = {name: str(role.label) for name, role in ROLES.items()}
            in_training = str(JourneyStatus.IN_TRAINING.label)
        with translation.override("en"):
            roles_en = {name: str(role.label) for name, role in ROLES.items()}
            sign_out_en = gettext("Sign out")

        with chromium_page() as page:
            for username in ROLES:
                with self.subTest(username=username):
                    self._sign_in(page, username)
                    # A partner's account starts in English; everyone else's in Indonesian.
                    first = roles_en if username == "demo-partner" else roles_id
                    assert first[username] in page.get_by_test_id("who").inner_text()
                    assert headings[username] in page.inner_text("h1")
                    if username == "demo-participant":
                        status = page.get_by_test_id("journey-status").inner_text()
                        assert status == in_training
                    if username == "demo-sender":
                        self._screenshot(page, "jembatan-home-demo-sender.png")

                    self._switch_to_english(page)
                    assert page.get_attribute("html", "lang") == "en"
                    assert roles_en[username] in page.get_by_test_id("who").inner_text()
                    assert sign_out_en in page.inner_text("header")

                    self._sign_out(page)
                    assert page.get_by_test_id("who").count() == 0

    def _sign_in(self, page: Any, username: str) -> None:
        page.context.clear_cookies()
        page.goto(f"{self.live_server_url}{reverse('accounts:login')}")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEFAULT_PASSWORD)
        page.click("form:has(input[name=password]) button[type=submit]")
        page.wait_for_url(f"{self.live_server_url}{reverse('home')}")

    def _switch_to_english(self, page: Any) -> None:
        page.select_option("#language-select", "en")
        page.click("form:has(#language-select) button[type=submit]")
        page.wait_for_load_state()
        page.wait_for_selector("html[lang=en]")

    def _sign_out(self, page: Any) -> None:
        page.click(f"form[action='{reverse('accounts:logout')}'] button[type=submit]")
        page.wait_for_url(f"{self.live_server_url}{reverse('accounts:login')}")

    def _screenshot(self, page: Any, name: str) -> None:
        folder = os.environ.get("JEMBATAN_SCREENSHOTS")
        if folder:
            page.screenshot(path=str(Path(folder) / name), full_page=True)
