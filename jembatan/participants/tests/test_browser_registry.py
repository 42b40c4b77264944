"""In a real browser: a person registers themselves; an LPK with an expired licence is refused."""

from __future__ import annotations

import os
from typing import Any

import pytest

from jembatan.accounts.factories import DEFAULT_PASSWORD, UserFactory
from jembatan.core.roles import Role
from jembatan.core.tests.browser import (
    CHROMIUM,
    BrowserTestCase,
    chromium_page,
)
from jembatan.organisations.factories import LicenceFactory, OrganisationFactory
from jembatan.participants.models import Participant
from jembatan.participants.tests.conftest import nik

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("JEMBATAN_REQUIRE_BROWSER") != "1",
        reason="the system Chromium is not installed",
    ),
]
FORM = "main form[method=post]"


def fill_details(page: Any, **values: str) -> None:
    """Type a candidate's details into the registration form."""
    fields = {
        "nik": nik(),
        "full_name": "Andi Wijaya",
        "birth_place": "Semarang",
        "birth_date": "2000-08-17",
        "phone": "0812-3456-7890",
        **values,
    }
    for name, value in fields.items():
        page.fill(f"#id_{name}", value)
    page.check("input[name=sex][value=M]")
    page.select_option("#id_regency", "33.74")
    page.check("#id_privacy_agreed")


def in_english(page: Any, base: str) -> None:
    """Switch the interface to English, so the assertions read the source strings."""
    page.goto(f"{base}/peserta/daftar-mandiri/")
    page.select_option("#language-select", "en")
    page.click("form:has(#language-select) button[type=submit]")


def sign_in(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click(f"{FORM} button[type=submit]")


class RegistryInTheBrowser(BrowserTestCase):
    """Registration journeys, end to end."""

    serialized_rollback = True  # the reference data comes back after the flush

    def test_a_person_registers_themselves_and_signs_in_to_see_their_record(self) -> None:
        from playwright.sync_api import expect

        with chromium_page() as page:
            in_english(page, self.live_server_url)
            page.goto(f"{self.live_server_url}/peserta/daftar-mandiri/")
            fill_details(page)
            page.fill("#id_username", "andi.w")
            page.fill("#id_password1", "Rahasia-yang-kuat-77")
            page.fill("#id_password2", "Rahasia-yang-kuat-77")
            page.click(f"{FORM} button[type=submit]")
            expect(page.get_by_test_id("registration-complete")).to_be_visible()
            assert "andi.w" in page.inner_text("main")

            sign_in(page, self.live_server_url, "andi.w", "Rahasia-yang-kuat-77")
            page.goto(f"{self.live_server_url}/peserta/saya/")
            expect(page.locator("h1")).to_have_text("Andi Wijaya")
            expect(page.get_by_test_id("status-history")).to_be_visible()
            assert nik() in page.inner_text("main")
        participant = Participant.objects.get()
        assert (participant.user.username, participant.status) == ("andi.w", "registered")

    def test_an_expired_licence_blocks_a_submission(self) -> None:
        from playwright.sync_api import expect

        lpk = OrganisationFactory(name="LPK C Kadaluwarsa")
        LicenceFactory(organisation=lpk, number="KEP.103/LN/2021", expired=True)
        UserFactory(username="dewi", role=Role.SENDER_OPERATOR, organisation=lpk)

        with chromium_page() as page:
            in_english(page, self.live_server_url)
            sign_in(page, self.live_server_url, "dewi", DEFAULT_PASSWORD)
            page.goto(f"{self.live_server_url}/peserta/daftar/")
            fill_details(page)
            page.click(f"{FORM} button[type=submit]")
            refusal = page.locator(f"{FORM} .errors[role=alert]")
            expect(refusal).to_contain_text("The licence of LPK C Kadaluwarsa (KEP.103/LN/2021)")
            expect(refusal).to_contain_text("Apply to Kemnaker for a new licence")
            assert page.input_value("#id_full_name") == "Andi Wijaya"  # nothing typed is lost
        assert Participant.objects.count() == 0
