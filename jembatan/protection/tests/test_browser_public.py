"""In a real browser: an anonymous report in Japanese and its follow-up, on a phone (390 px)
and at desk width; an officer's triage of the case it opened.

The pages are asserted by their test ids and data, not by their words.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from jembatan.accounts.factories import DEFAULT_PASSWORD, UserFactory
from jembatan.core.roles import Role
from jembatan.core.tests.browser import CHROMIUM, BrowserTestCase, chromium_page
from jembatan.protection.models import Case, CaseEvent, CaseStatus, EventKind, Severity

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("JEMBATAN_REQUIRE_BROWSER") != "1",
        reason="the system Chromium is not installed",
    ),
]

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 800}


class AnonymousReportAndFollowUp(BrowserTestCase):
    """Someone without an account reports, writes down the code and secret, and comes back."""

    def _report_and_follow_up(self, viewport: dict[str, int]) -> None:
        UserFactory(username="oki", role=Role.NATIONAL_OFFICER)  # the national pool
        with chromium_page() as page:
            page.set_viewport_size(viewport)
            page.goto(f"{self.live_server_url}{reverse('report:report')}")
            page.get_by_test_id("language-ja").click()
            assert page.locator("html").get_attribute("lang") == "ja"
            page.select_option("#id_category", "unpaid_wages")
            page.fill("#id_description", "三か月、残業代が払われていません。")
            page.fill("#id_host_company", "Nakamura Seiki")
            page.get_by_test_id("send-report").click()
            page.wait_for_selector("[data-testid=case-secret]")
            code = page.get_by_test_id("case-code").inner_text().strip()
            secret = page.get_by_test_id("case-secret").inner_text().strip()
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

            page.goto(f"{self.live_server_url}{reverse('report:follow_up')}?bahasa=ja")
            page.fill("#id_code", code)
            page.fill("#id_secret", "AAAA-AAAA-AAAA-AAAA")
            page.get_by_test_id("open-case").click()
            page.wait_for_selector(".errors")
            page.fill("#id_secret", secret.lower())
            page.get_by_test_id("open-case").click()
            page.wait_for_selector("[data-testid=public-timeline]")
            page.fill("#id_message", "会社の名前はナカムラ精機です。")
            page.get_by_test_id("send-message").click()
            page.wait_for_selector("[data-testid=public-timeline] li:nth-child(2)")
            timeline = page.get_by_test_id("public-timeline").inner_text()
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

        case = Case.objects.get(code=code)
        assert case.reporter_language == "ja" and "Nakamura Seiki" in case.description
        assert "ナカムラ精機" in timeline
        assert CaseEvent.objects.filter(case=case, kind=EventKind.REPORTER_MESSAGE).count() == 1

    def test_an_anonymous_report_and_its_follow_up_on_a_phone(self) -> None:
        self._report_and_follow_up(PHONE)

    def test_an_anonymous_report_and_its_follow_up_at_desk_width(self) -> None:
        self._report_and_follow_up(DESK)


class OfficerTriage(BrowserTestCase):
    """The national officer triages an anonymous report: severity and owner."""

    def test_the_officer_triages_the_anonymous_report(self) -> None:
        UserFactory(username="oki", role=Role.NATIONAL_OFFICER)
        with chromium_page() as page:
            page.goto(f"{self.live_server_url}{reverse('report:report')}")
            page.select_option("#id_category", "excessive_hours")
            page.fill("#id_description", "We work fourteen hours a day.")
            page.get_by_test_id("send-report").click()
            page.wait_for_selector("[data-testid=case-code]")
            code = page.get_by_test_id("case-code").inner_text().strip()

            detail = reverse("protection:detail", args=[code])
            page.goto(f"{self.live_server_url}{reverse('accounts:login')}?next={detail}")
            page.fill("input[name=username]", "oki")
            page.fill("input[name=password]", DEFAULT_PASSWORD)
            page.click("form:has(input[name=password]) button[type=submit]")
            page.wait_for_url(f"{self.live_server_url}{detail}")
            page.get_by_test_id("act-triage").click()
            page.select_option("#id_severity", Severity.HIGH)
            page.select_option("#id_owner", index=1)
            page.get_by_test_id("save").click()
            page.wait_for_url(f"{self.live_server_url}{detail}")
            severity: Any = page.get_by_test_id("case-severity").inner_text()

        case = Case.objects.get(code=code)
        assert case.status == CaseStatus.TRIAGED and case.severity == Severity.HIGH
        with translation.override("id"):  # the page's language
            assert severity.strip() == str(Severity.HIGH.label)
