"""In a real browser: a partner posts a job order, an officer approves it, the public sees it.

The launch helper and the audit-trigger workaround for the live server's flush
come from the documents app's browser test (see its docstring).
"""

from __future__ import annotations

import datetime as _dt
import os
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from jembatan.accounts.factories import DEFAULT_PASSWORD, UserFactory
from jembatan.core.roles import Role
from jembatan.core.tests.browser import (
    CHROMIUM,
    BrowserTestCase,
    chromium_page,
)
from jembatan.demand.factories import titp_occupation
from jembatan.demand.models import JobOrder, JobOrderStatus
from jembatan.organisations.factories import OrganisationFactory

# An interview date still ahead whenever the suite runs.
INTERVIEW = (_dt.date.today() + _dt.timedelta(days=60)).isoformat()

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("JEMBATAN_REQUIRE_BROWSER") != "1",
        reason="the system Chromium is not installed",
    ),
]
FIELDS = {
    "#id_title": "Pekerja rumah kaca",
    "#id_slots": "6",
    "#id_work_prefecture": "Ibaraki",
    "#id_work_city": "Hokota",
    "#id_contract_months": "36",
    "#id_wage_amount": "200000",
    "#id_min_age": "19",
    "#id_max_age": "30",
    "#id_required_units_text": "A.010000.001.01",
    "#id_interview_dates_text": INTERVIEW,
}


class PartnerPostsAndOfficerApproves(BrowserTestCase):
    """Posting, approving and publishing a job order, end to end."""

    serialized_rollback = True  # the reference data (regions, occupations) comes back after

    def test_a_posted_job_order_is_approved_and_appears_on_the_public_list(self) -> None:
        partner = OrganisationFactory(name="IM Japan", partner=True)
        UserFactory(username="hiroshi", role=Role.PARTNER, organisation=partner)
        UserFactory(username="oki", role=Role.NATIONAL_OFFICER)
        with translation.override("en"):  # a partner's account starts in English
            submitted = str(JobOrderStatus.SUBMITTED.label)
        occupation = str(titp_occupation().pk)

        with chromium_page() as page:
            self._sign_in(page, "hiroshi", reverse("demand:create"))
            self._fill_job_order(page, occupation)
            page.get_by_test_id("save-submit").click()
            page.wait_for_selector("[data-testid=job-order-status]")
            assert page.get_by_test_id("job-order-status").inner_text() == submitted

            self._sign_in(page, "oki", reverse("demand:review"))
            # No approval from the queue: the officer opens the terms and their checks first.
            page.click("[data-testid^=review-]")  # the only order waiting
            page.wait_for_selector("[data-testid=checks]")
            checks = page.get_by_test_id("checks").inner_text()
            assert "Ibaraki" in checks  # the wage was checked against Ibaraki's minimum
            assert page.get_by_test_id("wage").is_visible()
            page.get_by_test_id("confirm").click()
            page.wait_for_selector("[data-testid=job-order-status]")

            page.context.clear_cookies()
            page.goto(f"{self.live_server_url}{reverse('jobs:list')}?country=JP")
            listing = page.get_by_test_id("public-job-orders").inner_text()
            assert "Pekerja rumah kaca" in listing
            page.click("text=Pekerja rumah kaca")
            page.wait_for_selector("[data-testid=slots]")
            public_url, public_page = page.url, page.content()

        # The ORM is used outside the browser block only: inside it, Playwright's event loop
        # would give Django a connection of its own that nobody closes.
        job_order = JobOrder.objects.get()
        assert public_url == f"{self.live_server_url}{reverse('jobs:detail', args=[job_order.pk])}"
        assert "hiroshi" not in public_page
        assert (job_order.status, job_order.partner, job_order.approved_by.username) == (
            JobOrderStatus.APPROVED,
            partner,
            "oki",
        )

    def _sign_in(self, page: Any, username: str, next_url: str) -> None:
        page.context.clear_cookies()
        page.goto(f"{self.live_server_url}{reverse('accounts:login')}?next={next_url}")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEFAULT_PASSWORD)
        page.click("form:has(input[name=password]) button[type=submit]")
        page.wait_for_url(f"{self.live_server_url}{next_url}")

    def _fill_job_order(self, page: Any, occupation: str) -> None:
        page.select_option("#id_country", "JP")
        page.select_option("#id_scheme", "titp")
        page.select_option("#id_occupation", occupation)
        for selector, value in FIELDS.items():
            page.fill(selector, value)
        page.select_option("#id_wage_currency", "JPY")
        page.select_option("#id_language_test", "jlpt")
        page.select_option("#id_language_min_level", "N4")
        page.select_option("#id_training_provinces", ["33", "35"])
        page.fill("#id_allowance-0-name", "Tunjangan perumahan")
        page.fill("#id_allowance-0-amount", "20000")
        page.select_option("#id_allowance-0-currency", "JPY")
        page.select_option("#id_allowance-0-period", "month")
