"""In a real browser: a departure refused for a missing flight, then confirmed; an apprentice's
check-in in Japanese that says something is wrong and leads to whom to call.

The pages are asserted by their test ids and data, not by their words: the
browser reads them in Indonesian, the default language.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from jembatan.accounts.factories import DEFAULT_PASSWORD, UserFactory
from jembatan.core.roles import Role
from jembatan.core.tests.browser import CHROMIUM, BrowserTestCase, chromium_page
from jembatan.demand.factories import FeeRuleFactory
from jembatan.deployment.factories import abroad, deployment_for, make_ready
from jembatan.deployment.models import Deployment, MonitoringReport, PreDepartureStep, StepKind
from jembatan.organisations.factories import LicenceFactory, OrganisationFactory
from jembatan.participants.factories import ParticipantFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("JEMBATAN_REQUIRE_BROWSER") != "1",
        reason="the system Chromium is not installed",
    ),
]


def _deployment(user: Any = None) -> Deployment:
    lpk = OrganisationFactory(name="LPK Sakura Semarang")
    LicenceFactory(organisation=lpk)
    partner = OrganisationFactory(name="IM Japan", partner=True)
    FeeRuleFactory()
    person = ParticipantFactory(
        full_name="Siti Rahayu", sending_organisation=lpk, partner=partner, user=user
    )
    UserFactory(username="sari", role=Role.SENDER_OPERATOR, organisation=lpk)
    return make_ready(deployment_for(person))


class DepartureRefusedThenConfirmed(BrowserTestCase):
    """The sending organisation's operator confirms a departure once every gate is met."""

    def test_a_departure_refused_for_its_missing_flight_is_confirmed_once_it_is_booked(
        self,
    ) -> None:
        deployment = _deployment()
        PreDepartureStep.objects.filter(deployment=deployment, kind=StepKind.FLIGHT).delete()
        depart = reverse("deployment:depart", args=[deployment.pk])
        today = timezone.localdate().isoformat()

        with chromium_page() as page:
            self._sign_in(page, "sari", depart)
            assert "tone-danger" in page.get_by_test_id("gate-flight").inner_html()
            page.get_by_test_id("confirm-departure").click()
            page.wait_for_selector(".errors")
            refusals = page.locator(".errors p").count()
            refused_badge = page.get_by_test_id("deployment-status").get_attribute("class")

            page.goto(
                self.live_server_url + reverse("deployment:step", args=[deployment.pk, "flight"])
            )
            page.fill("#id_done_on", today)
            page.fill("#id_reference", "GA874")
            page.get_by_test_id("save").click()
            page.wait_for_url(
                self.live_server_url + reverse("deployment:detail", args=[deployment.pk])
            )

            page.goto(self.live_server_url + depart)
            assert "tone-danger" not in page.get_by_test_id("gates").inner_html()
            page.get_by_test_id("confirm-departure").click()
            page.wait_for_url(
                self.live_server_url + reverse("deployment:detail", args=[deployment.pk])
            )
            departed_badge = page.get_by_test_id("deployment-status").get_attribute("class")

        assert refusals == 1  # exactly the one gate not met
        assert "tone-warning" in str(refused_badge)  # still preparing
        assert "tone-success" in str(departed_badge)
        assert Deployment.objects.get(pk=deployment.pk).status == "departed"

    def _sign_in(self, page: Any, username: str, next_url: str) -> None:
        sign_in(self.live_server_url, page, username, next_url)


class ApprenticeChecksIn(BrowserTestCase):
    """An apprentice abroad answers the check-in in Japanese and is shown whom to call."""

    def test_a_check_in_saying_something_is_wrong_shows_whom_to_call(self) -> None:
        user = UserFactory(username="siti", role=Role.PARTICIPANT)
        deployment = _deployment(user)
        today = timezone.localdate()
        abroad(
            deployment,
            departed_on=today - dt.timedelta(days=9),
            arrived_on=today - dt.timedelta(days=8),
        )

        with chromium_page() as page:
            sign_in(self.live_server_url, page, "siti", reverse("deployment:mine"))
            page.get_by_test_id("check-in-link").click()
            page.click("[data-testid=languages] a[lang=ja]")
            page.wait_for_selector("form[lang=ja]")
            question = page.locator("form[lang=ja]").inner_text()
            page.check("input[name=wellbeing][value=wrong]")
            page.fill("#id_note", "給料がまだ払われていません。")
            page.get_by_test_id("send-check-in").click()
            page.wait_for_url(self.live_server_url + reverse("deployment:help") + "?laporan=1")
            embassy = page.get_by_test_id("help-embassy").inner_text()
            sender = page.get_by_test_id("help-sender").inner_text()

        assert "最近の調子はどうですか。" in question
        assert "+81 80 4940 7419" in embassy and "LPK Sakura Semarang" in sender
        report = MonitoringReport.objects.get()
        assert (report.kind, report.wellbeing, report.language) == ("check_in", "wrong", "ja")
        assert report.note == "給料がまだ払われていません。"


def sign_in(base: str, page: Any, username: str, next_url: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}{reverse('accounts:login')}?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_url(f"{base}{next_url}")
