"""In a real browser: a provincial officer opens a reported case, triages it (severity and
owner), and the case page shows it triaged, with the triage on its timeline.

Asserted by test ids and data, not by words: the browser reads Indonesian.
"""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

from jembatan.accounts.factories import UserFactory
from jembatan.core.models import Region
from jembatan.core.roles import Role
from jembatan.core.tests.browser import CHROMIUM, BrowserTestCase, chromium_page
from jembatan.deployment.tests.test_browser import sign_in
from jembatan.participants.factories import ParticipantFactory
from jembatan.protection.models import Case, CaseCategory, CaseStatus, EventKind, ReporterKind
from jembatan.protection.services.reporting import Concerned, case_report
from jembatan.protection.workflows import ANONYMOUS_REPORTER

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("JEMBATAN_REQUIRE_BROWSER") != "1",
        reason="the system Chromium is not installed",
    ),
]


class OfficerTriages(BrowserTestCase):
    """The province's officer triages an anonymous report about an apprentice of her province."""

    def test_a_reported_case_is_triaged_with_severity_and_owner(self) -> None:
        jateng = Region.objects.get(code="33")
        putri = UserFactory(username="putri", role=Role.PROVINCIAL_OFFICER, province=jateng)
        wati = UserFactory(
            username="wati", role=Role.PROVINCIAL_OFFICER, province=jateng, full_name="Wati Lestari"
        )
        person = ParticipantFactory(full_name="Siti Rahayu", province=jateng)
        case = case_report(
            reporter_kind=ReporterKind.ANONYMOUS,
            category=CaseCategory.UNPAID_WAGES,
            description="Siti has not been paid for two months.",
            concerned=Concerned(participant=person),
            acting_user=ANONYMOUS_REPORTER,
        ).case
        detail = reverse("protection:detail", args=[case.code])

        with chromium_page() as page:
            sign_in(self.live_server_url, page, "putri", detail)
            before = page.get_by_test_id("case-status").get_attribute("class")
            page.get_by_test_id("act-triage").click()
            page.select_option("#id_severity", "critical")
            page.select_option("#id_owner", str(wati.pk))
            page.fill("#id_note", "Called the partner.")
            page.get_by_test_id("save").click()
            page.wait_for_url(self.live_server_url + detail)
            status = page.get_by_test_id("case-status").get_attribute("class")
            owner = page.get_by_test_id("case-owner").inner_text()
            timeline = page.get_by_test_id("timeline").inner_text()

        case.refresh_from_db()
        assert case.status == CaseStatus.TRIAGED and case.severity == "critical"
        assert case.owner == wati and putri != wati
        assert "tone-danger" in (before or "") and "tone-warning" in (status or "")
        assert owner == "Wati Lestari"
        assert "Called the partner." in timeline
        assert case.events.filter(kind=EventKind.TRIAGED).count() == 1
        assert Case.objects.count() == 1
