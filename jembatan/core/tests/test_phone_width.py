"""In a real browser at 390 px (a phone): public pages and a participant's own pages fit.

Most apprentices and many LPK staff use a phone; a page wider than the screen hides
buttons and columns behind sideways scrolling. Each page below is opened at 390 px
and must not be wider than the viewport.
"""

from __future__ import annotations

import os

import pytest
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.urls import reverse

from jembatan.accounts.factories import DEFAULT_PASSWORD, UserFactory
from jembatan.core.roles import Role
from jembatan.core.tests.browser import CHROMIUM, audit_triggers_lifted, chromium_page
from jembatan.demand.factories import JobOrderFactory
from jembatan.organisations.factories import LicenceFactory, OrganisationFactory
from jembatan.participants.factories import ParticipantFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("JEMBATAN_REQUIRE_BROWSER") != "1",
        reason="the system Chromium is not installed",
    ),
]
PHONE = {"width": 390, "height": 844}


class PagesFitAPhone(StaticLiveServerTestCase):
    serialized_rollback = True  # the reference data comes back after the flush

    @classmethod
    def setUpClass(cls) -> None:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        super().setUpClass()

    def _fixture_teardown(self) -> None:
        with audit_triggers_lifted():
            super()._fixture_teardown()

    def _overflow(self, page: object, path: str) -> int:
        page.goto(f"{self.live_server_url}{path}")  # type: ignore[attr-defined]
        width: int = page.evaluate(  # type: ignore[attr-defined]
            "document.documentElement.scrollWidth - window.innerWidth"
        )
        return width

    def test_public_and_participant_pages_have_no_sideways_scrolling(self) -> None:
        lpk = OrganisationFactory(name="LPK Sakura Mandiri dengan Nama yang Cukup Panjang")
        LicenceFactory(organisation=lpk)
        partner = OrganisationFactory(name="IM Japan", partner=True)
        job_order = JobOrderFactory(
            partner=partner, approved=True, title="Greenhouse horticulture apprentice"
        )
        user = UserFactory(username="siti", role=Role.PARTICIPANT)
        ParticipantFactory(full_name="Siti Rahayu", user=user, sending_organisation=lpk)
        public = [
            reverse("register:search"),
            reverse("register:detail", args=[lpk.pk]),
            reverse("jobs:list"),
            reverse("jobs:detail", args=[job_order.pk]),
            reverse("verify:lookup"),
            reverse("participants:self_register"),
            reverse("accounts:login"),
        ]
        own = [
            reverse("home"),
            reverse("participants:mine"),
            reverse("documents:mine"),
            reverse("training:my_certificates"),
            reverse("matching:preferences"),
        ]
        wide: dict[str, int] = {}
        with chromium_page() as page:
            page.set_viewport_size(PHONE)
            for path in public:
                wide[path] = self._overflow(page, path)
            page.goto(f"{self.live_server_url}{reverse('accounts:login')}")
            page.fill("input[name=username]", "siti")
            page.fill("input[name=password]", DEFAULT_PASSWORD)
            page.click("form:has(input[name=password]) button[type=submit]")
            page.wait_for_load_state()
            for path in own:
                wide[path] = self._overflow(page, path)
        assert {path: px for path, px in wide.items() if px > 0} == {}
