"""In a real browser: the lockout after wrong passwords, a password reset by e-mail, idle expiry.

The live server runs in this process, so the e-mails it sends land in Django's
in-memory outbox (``mail.outbox``) where the test reads the link.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings

from jembatan.accounts.factories import DEFAULT_PASSWORD, UserFactory
from jembatan.accounts.models import User
from jembatan.core.roles import Role
from jembatan.core.tests.browser import BrowserTestCase, chromium_page, requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]
FORM = "main form[method=post]"
NEW_PASSWORD = "Sawah-hijau-2026"


def in_english(page: Any, base: str) -> None:
    """Switch the interface to English, so the assertions read the source strings."""
    page.goto(f"{base}/akun/masuk/")
    page.select_option("#language-select", "en")
    page.click("form:has(#language-select) button[type=submit]")


def sign_in(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click(f"{FORM} button[type=submit]")


class SigningInInTheBrowser(BrowserTestCase):
    """Lockout, password reset and idle expiry, end to end."""

    def setUp(self) -> None:
        super().setUp()
        self.user = UserFactory(
            username="rina", role=Role.NATIONAL_OFFICER, email="rina@example.id"
        )

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_three_wrong_passwords_lock_the_account_and_the_page_says_until_when(self) -> None:
        from playwright.sync_api import expect

        with chromium_page() as page:
            in_english(page, self.live_server_url)
            for _attempt in range(2):
                sign_in(page, self.live_server_url, "rina", "not-her-password")
                expect(page.locator(f"{FORM} .errors[role=alert]")).to_be_visible()
            sign_in(page, self.live_server_url, "rina", "not-her-password")

            expect(page.get_by_test_id("locked-out")).to_have_text("Signing in is paused")
            expect(page.get_by_test_id("locked-until")).to_contain_text("Try again after")
            expect(page.get_by_test_id("locked-until")).to_contain_text("in 15 minutes")

            sign_in(page, self.live_server_url, "rina", DEFAULT_PASSWORD)  # even the right one
            expect(page.get_by_test_id("locked-out")).to_be_visible()
            expect(page.get_by_test_id("who")).to_have_count(0)
        assert [m.to for m in mail.outbox] == [["rina@example.id"]]

    def test_a_forgotten_password_is_reset_through_the_e_mailed_link(self) -> None:
        from playwright.sync_api import expect

        with chromium_page() as page:
            in_english(page, self.live_server_url)
            page.get_by_test_id("forgot-password").click()
            page.fill("#id_email", "rina@example.id")
            page.click(f"{FORM} button[type=submit]")
            expect(page.get_by_test_id("reset-sent")).to_have_text("Check your e-mail")

            assert [m.to for m in mail.outbox] == [["rina@example.id"]]
            link = re.search(r"https?://\S+/akun/kata-sandi/atur/\S+/", mail.outbox[0].body)
            assert link is not None, mail.outbox[0].body
            page.goto(link.group(0))
            page.fill("#id_password1", NEW_PASSWORD)
            page.fill("#id_password2", NEW_PASSWORD)
            page.click(f"{FORM} button[type=submit]")
            expect(page.get_by_test_id("reset-complete")).to_have_text("Your password is set")

            sign_in(page, self.live_server_url, "rina", NEW_PASSWORD)
            expect(page.get_by_test_id("who")).to_contain_text("Rina")

            page.goto(link.group(0))  # the link worked once
            expect(page.get_by_test_id("reset-link-invalid")).to_be_visible()
        self.user.refresh_from_db()
        assert self.user.check_password(NEW_PASSWORD)

    @override_settings(JEMBATAN_SESSION_IDLE_SECONDS=2)
    def test_an_idle_session_ends_and_signing_in_returns_to_the_page(self) -> None:
        from playwright.sync_api import expect

        with chromium_page() as page:
            in_english(page, self.live_server_url)
            sign_in(page, self.live_server_url, "rina", DEFAULT_PASSWORD)
            page.goto(f"{self.live_server_url}/organisasi/")
            expect(page.get_by_test_id("who")).to_be_visible()

            page.wait_for_timeout(3000)
            page.reload()

            expect(page).to_have_url(re.compile(r"/akun/masuk/\?next=/organisasi/$"))
            expect(page.locator(".messages")).to_contain_text(
                "You were signed out because the page was not used for a while."
            )
            page.fill("#id_username", "rina")
            page.fill("#id_password", DEFAULT_PASSWORD)
            page.click(f"{FORM} button[type=submit]")
            expect(page).to_have_url(f"{self.live_server_url}/organisasi/")
        assert User.objects.filter(username="rina").exists()
