"""In a real browser: a staff member sets up two-factor sign-in, then signs in with a code.

The codes are computed as the authenticator app would (``django_otp.oath.totp``)
from the key the enrolment page shows.
"""

from __future__ import annotations

import base64
import re

import pytest
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from jembatan.accounts.factories import DEFAULT_PASSWORD, UserFactory
from jembatan.accounts.tests.test_browser import FORM, in_english, sign_in
from jembatan.accounts.tests.two_factor_helpers import app_code
from jembatan.core.roles import Role
from jembatan.core.tests.browser import BrowserTestCase, chromium_page, requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]


@override_settings(JEMBATAN_TWO_FACTOR_REQUIRED=True)
class TwoFactorInTheBrowser(BrowserTestCase):
    """Enrolment with the QR page, recovery codes, and signing in with a code."""

    def setUp(self) -> None:
        super().setUp()
        self.user = UserFactory(
            username="rina", role=Role.NATIONAL_OFFICER, email="rina@example.id"
        )

    def test_staff_set_up_the_app_then_sign_in_with_a_code_and_a_wrong_code_is_refused(
        self,
    ) -> None:
        from playwright.sync_api import expect

        base = self.live_server_url
        with chromium_page() as page:
            in_english(page, base)
            sign_in(page, base, "rina", DEFAULT_PASSWORD)

            expect(page.get_by_test_id("two-factor-enrol")).to_have_text(
                "Set up two-factor sign-in"
            )
            expect(page.locator("[data-testid=two-factor-qr] svg")).to_be_visible()
            page.goto(f"{base}/peserta/")  # every other page waits for the second factor
            expect(page).to_have_url(re.compile(r"/akun/dua-langkah/pasang/\?next=%2Fpeserta%2F$"))
            shown = page.get_by_test_id("two-factor-key").inner_text()
            key = base64.b32decode(shown.replace(" ", "")).hex()
            page.fill("#id_code", app_code(key))
            page.click(f"{FORM} button[type=submit]")

            expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
            page.get_by_test_id("recovery-codes-done").click()
            expect(page).to_have_url(f"{base}/peserta/")
            expect(page.get_by_test_id("who")).to_contain_text("Rina")

            page.click("form[action='/akun/keluar/'] button[type=submit]")
            sign_in(page, base, "rina", DEFAULT_PASSWORD)
            expect(page.get_by_test_id("two-factor-verify")).to_be_visible()
            page.fill("#id_code", "000000")
            page.click(f"{FORM} button[type=submit]")
            expect(page.locator(f"{FORM} .error")).to_contain_text("This code is not right.")
            expect(page.get_by_test_id("who")).to_be_visible()  # signed in, still held
            page.goto(f"{base}/peserta/")
            expect(page.get_by_test_id("two-factor-verify")).to_be_visible()

            page.wait_for_timeout(1500)  # django-otp's wait after one wrong code
            device = TOTPDevice.objects.get(user=self.user)
            page.fill("#id_code", app_code(device.key, ahead=1))
            page.click(f"{FORM} button[type=submit]")
            expect(page).to_have_url(f"{base}/peserta/")
            expect(page.get_by_test_id("two-factor-verify")).to_have_count(0)
        assert TOTPDevice.objects.filter(user=self.user, confirmed=True).count() == 1

    def test_a_recovery_code_signs_in_when_the_phone_is_lost(self) -> None:
        from playwright.sync_api import expect

        from jembatan.accounts.tests.two_factor_helpers import enrol

        _device, codes = enrol(self.user)
        base = self.live_server_url
        with chromium_page() as page:
            in_english(page, base)
            sign_in(page, base, "rina", DEFAULT_PASSWORD)
            expect(page.get_by_test_id("two-factor-verify")).to_be_visible()
            page.fill("#id_code", codes[3])
            page.click(f"{FORM} button[type=submit]")
            expect(page.get_by_test_id("two-factor-verify")).to_have_count(0)

            page.goto(f"{base}/akun/dua-langkah/")
            expect(page.get_by_test_id("recovery-codes-left")).to_have_text(
                "9 recovery codes left."
            )
