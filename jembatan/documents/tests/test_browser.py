"""In a real browser: a provincial officer verifies a document a participant uploaded.

A live server needs a transactional test, which empties the database by
flushing it afterwards; on SQLite the audit tables' append-only triggers refuse
that, so the test lifts them for the flush only and puts them back at once.
"""

from __future__ import annotations

import os
import tempfile

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from jembatan.accounts.factories import DEFAULT_PASSWORD, UserFactory
from jembatan.core.roles import Role
from jembatan.core.tests.browser import (
    BrowserTestCase,
    chromium_page,
    requires_chromium,
)
from jembatan.documents.models import DocumentKind, DocumentStatus
from jembatan.documents.services import document_upload
from jembatan.documents.tests.conftest import make_pdf, requirement
from jembatan.organisations.factories import LicenceFactory, OrganisationFactory
from jembatan.participants.factories import ParticipantFactory

pytestmark = [pytest.mark.browser, requires_chromium]


class OfficerVerifiesADocument(BrowserTestCase):
    """The officer's side of document verification, end to end."""

    serialized_rollback = True  # the reference data (regions, checklists) comes back after

    @classmethod
    def setUpClass(cls) -> None:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        cls._media = tempfile.TemporaryDirectory()
        cls._settings = override_settings(MEDIA_ROOT=cls._media.name)
        cls._settings.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls._settings.disable()
        cls._media.cleanup()

    def test_a_provincial_officer_verifies_an_uploaded_document(self) -> None:
        lpk = OrganisationFactory(name="LPK A Sakura Semarang")
        LicenceFactory(organisation=lpk)
        siti = UserFactory(username="siti", role=Role.PARTICIPANT)
        participant = ParticipantFactory(
            full_name="Siti Rahayu", sending_organisation=lpk, user=siti
        )
        officer = UserFactory(username="putri", role=Role.PROVINCIAL_OFFICER)
        document = document_upload(
            participant=participant,
            requirement=requirement(participant, DocumentKind.ID_CARD),
            chunks=[make_pdf()],
            original_name="ktp.pdf",
            acting_user=siti,
        )
        with translation.override("id"):
            pending = str(DocumentStatus.PENDING.label)
            verified = str(DocumentStatus.VERIFIED.label)
        detail = reverse("participants:detail", args=[participant.pk])

        with chromium_page() as page:
            page.goto(f"{self.live_server_url}{reverse('accounts:login')}?next={detail}")
            page.fill("input[name=username]", "putri")
            page.fill("input[name=password]", DEFAULT_PASSWORD)
            page.click("form:has(input[name=password]) button[type=submit]")
            page.wait_for_url(f"{self.live_server_url}{detail}")
            assert "Siti Rahayu" in page.inner_text("h1")

            checklist = reverse("documents:checklist", args=[participant.pk])
            page.goto(f"{self.live_server_url}{checklist}")
            assert page.get_by_test_id("status-id_card").inner_text() == pending
            page.get_by_test_id("verify-id_card").click()
            page.wait_for_url(f"{self.live_server_url}{checklist}")

            assert page.get_by_test_id("status-id_card").inner_text() == verified
            assert page.get_by_test_id("verify-id_card").count() == 0

        document.refresh_from_db()
        assert (document.status, document.verified_by) == (DocumentStatus.VERIFIED, officer)
