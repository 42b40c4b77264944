"""In a real browser: a BLK operator runs a batch to certificates; anyone verifies one.

The launch helper and the audit-trigger workaround for the live server's flush
come from the documents app's browser test (see its docstring).
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from jembatan.accounts.factories import DEFAULT_PASSWORD, UserFactory
from jembatan.core.roles import Role
from jembatan.core.tests.browser import (
    CHROMIUM,
    BrowserTestCase,
    chromium_page,
)
from jembatan.organisations.factories import LicenceFactory, OrganisationFactory
from jembatan.organisations.models import OrganisationKind
from jembatan.participants.factories import ParticipantFactory
from jembatan.participants.models import JourneyStatus
from jembatan.training.factories import BatchFactory, CompetencyUnitFactory, ProgrammeFactory
from jembatan.training.models import Certificate, Enrolment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("JEMBATAN_REQUIRE_BROWSER") != "1",
        reason="the system Chromium is not installed",
    ),
]
SUBMIT = "main form button[type=submit]"


class OperatorRunsABatchToCertificates(BrowserTestCase):
    """Enrol, attend, assess, complete; then the public checks the certificate."""

    serialized_rollback = True  # the reference data comes back after the flush

    def test_a_batch_runs_to_certificates_that_anyone_can_verify(self) -> None:
        blk = OrganisationFactory(kind=OrganisationKind.BLK, name="BLK Semarang")
        lpk = OrganisationFactory(name="LPK A Sakura Semarang")
        LicenceFactory(organisation=lpk)
        UserFactory(username="tono", role=Role.TRAINING_OPERATOR, organisation=blk)
        person = ParticipantFactory(
            full_name="Dewi Lestari",
            status=JourneyStatus.VERIFIED,
            sending_organisation=lpk,
            training_centre=blk,
        )
        unit = CompetencyUnitFactory(code="C.812000.001.01", title_id="Menerapkan K3")
        programme = ProgrammeFactory(
            organisation=blk, name="Pengelasan Dasar", units=[unit], total_hours=8, language_hours=0
        )
        batch = BatchFactory(programme=programme, code="LAS-2026-01")
        today = timezone.localdate().isoformat()
        with translation.override(settings.LANGUAGE_CODE):
            valid = gettext(
                "This certificate is valid: it was issued through Jembatan "
                "and has not been revoked."
            )

        with chromium_page() as page:
            base = self.live_server_url
            page.goto(f"{base}{reverse('accounts:login')}")
            page.fill("input[name=username]", "tono")
            page.fill("input[name=password]", DEFAULT_PASSWORD)
            page.click("form:has(input[name=password]) button[type=submit]")
            page.wait_for_url(f"{base}/")

            page.goto(f"{base}{reverse('training:enrol', args=[batch.pk])}")
            page.select_option("select[name=participant]", str(person.pk))
            page.click(SUBMIT)
            page.wait_for_url(f"{base}{reverse('training:batch', args=[batch.pk])}")
            enrolment = Enrolment.objects.get(participant=person)
            assert "Dewi Lestari" in page.get_by_test_id(f"enrolment-{enrolment.pk}").inner_text()

            page.goto(f"{base}{reverse('training:attendance', args=[batch.pk])}")
            page.fill("input[name=date]", today)
            page.fill("input[name=topic]", "Las busur manual")
            page.click(SUBMIT)
            page.wait_for_url(f"{base}{reverse('training:batch', args=[batch.pk])}")

            page.goto(f"{base}{reverse('training:assess', args=[batch.pk, enrolment.pk])}")
            page.select_option("select[name=unit]", str(unit.pk))
            page.select_option("select[name=result]", "competent")
            page.fill("input[name=assessor]", "Budi Asesor (MET.000.001)")
            page.fill("input[name=assessed_on]", today)
            page.click(SUBMIT)
            page.wait_for_url(f"{base}{reverse('training:batch', args=[batch.pk])}")

            # The batch ends in two months: completing now is refused without a reason.
            page.goto(f"{base}{reverse('training:complete', args=[batch.pk])}")
            page.click(SUBMIT)
            assert page.locator(".error").count() == 1
            page.fill("textarea[name=early_reason]", "Jadwal dipadatkan; semua jam terpenuhi.")
            page.click(SUBMIT)
            page.wait_for_url(f"{base}{reverse('training:batch', args=[batch.pk])}")
            assert "Jadwal dipadatkan" in page.get_by_test_id("early-completion").inner_text()
            certificate = Certificate.objects.get(participant=person, kind="training")
            page.click(f"text={certificate.number}")
            verify_url = page.get_by_test_id("verify-link").get_attribute("href")
            assert verify_url is not None

            page.context.clear_cookies()  # the public, signed out
            page.goto(verify_url)
            assert page.get_by_test_id("verdict").inner_text() == valid
            shown = page.get_by_test_id("certificate").inner_text()
            assert "Dewi Lestari" in shown
            assert certificate.number in shown
            assert person.nik not in page.content()
        person.refresh_from_db()
        assert person.status == JourneyStatus.CERTIFIED
        assert dt.date.fromisoformat(today) == certificate.issued_on
