"""In a real browser: an examiner enters, corrects and uploads a stage's results.

The launch helper and the audit-trigger workaround for the live server's flush
come from jembatan/core/tests/browser.py (see its docstring). The examiner chose
English, so the page and the stored stop reason read in English.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import Workbook

from jembatan.accounts.factories import DEFAULT_PASSWORD, UserFactory
from jembatan.accounts.services import user_set_language
from jembatan.core.roles import Role
from jembatan.core.tests.browser import (
    CHROMIUM,
    BrowserTestCase,
    chromium_page,
)
from jembatan.organisations.factories import OrganisationFactory
from jembatan.organisations.models import OrganisationKind
from jembatan.participants.factories import ParticipantFactory
from jembatan.participants.models import JourneyStatus
from jembatan.selection.factories import stage_type
from jembatan.selection.models import Candidacy, CandidacyStatus, RoundStage, Score
from jembatan.selection.services import rounds
from jembatan.selection.services.scoring import score_record

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("JEMBATAN_REQUIRE_BROWSER") != "1",
        reason="the system Chromium is not installed",
    ),
]
ASSESSMENT = {
    "purpose": "Rank candidates for IM Japan's interviews by their test results.",
    "data_used": "NIK, name, results of the written test.",
    "protected_attributes": "Sex, religion and marital status are never inputs to a score.",
    "risks": "A wrongly entered score could stop a candidate.",
    "mitigations": "Corrections with reasons; each candidate sees every result.",
    "legal_basis": "UU 27/2022 art. 20(2)(b).",
}
STOP_REASON = (
    "Did not pass “Written test”: the score 41 is below the pass mark of 60 (out of 100). "
    "Examiner's note: Left part B empty."
)


class ExaminerEntersTheWrittenTest(BrowserTestCase):
    """Scores saved row by row, a fail's reason shown, a correction kept in the history."""

    serialized_rollback = True  # the reference data (regions, stage types) comes back after

    def test_an_examiner_scores_a_pass_and_a_fail_corrects_one_and_a_bad_upload_saves_nothing(
        self,
    ) -> None:
        # Given IM Japan's open round: Ani and Bayu passed the administrative check,
        # tono (BLK Semarang, who reads English) examines the written test.
        written, (ani, bayu) = self._open_round_waiting_for_the_written_test()
        entry = reverse("selection:score_entry", args=[written.round_id, written.pk])
        ani_page = reverse("selection:candidacy", args=[written.round_id, ani.pk])
        bayu_page = reverse("selection:candidacy", args=[written.round_id, bayu.pk])
        ani_nik, bayu_nik = ani.participant.nik, bayu.participant.nik

        with chromium_page() as page, TemporaryDirectory() as folder:
            # When tono enters 82.5 for Ani and 41 for Bayu, each row saved on its own
            self._sign_in(page, "tono", entry)
            self._save_row(page, ani.pk, value="82.5")
            self._save_row(page, bayu.pk, value="41", note="Left part B empty.")

            # Then both results show as saved, with their verdicts
            self._expect_saved(page, ani.pk, "82.50 passed", "Ani Wijaya: 82.5 (passed) recorded.")
            self._expect_saved(
                page, bayu.pk, "41.00 not passed", "Bayu Saputra: 41 (not passed) recorded."
            )
            # and Bayu's page says where and why he stopped
            page.goto(f"{self.live_server_url}{bayu_page}")
            assert page.get_by_test_id("candidacy-status").inner_text() == "Did not pass"
            assert page.get_by_test_id("stop-reason").inner_text() == STOP_REASON

            # When tono corrects Ani's score, with a reason
            page.goto(f"{self.live_server_url}{entry}?show=scored")
            self._save_row(page, ani.pk, value="78", reason="Question 4 re-marked.")
            self._expect_saved(page, ani.pk, "78.00 passed", "Ani Wijaya: 78 (passed) recorded.")
            # Then Ani's history keeps the old score, superseded with the reason
            page.goto(f"{self.live_server_url}{ani_page}")
            history = self._cells(page, "history")
            assert [row[:4] + row[5:6] for row in history] == [
                ["Administrative check", "passed", "", "Oki", "Entered on the page"],
                ["Written test", "78.00 passed", "", "Tono Wibowo", "Entered on the page"],
                ["Written test", "82.50 passed", "", "Tono Wibowo", "Entered on the page"],
            ]
            assert [row[6] for row in history[:2]] == ["current", "current"]
            assert history[2][6].endswith(": Question 4 re-marked.")

            # When tono uploads a file whose second row is off the scale
            upload = self._workbook(folder, [[bayu_nik, 65, "", "Re-counted."], [ani_nik, 120]])
            page.goto(f"{self.live_server_url}{entry}")
            page.click("text=Upload results")
            page.set_input_files("input[name=file]", str(upload))
            page.click("form[enctype='multipart/form-data'] button[type=submit]")
            page.wait_for_selector("[data-testid=upload-report]")
            # Then the report names the row, the cell and the fix, and nothing was saved
            assert self._cells(page, "upload-report") == [
                [
                    "3",
                    "Score",
                    "C3",
                    "120",
                    "120 is outside the scale: enter a score from 0 to 100.",
                    "Type a number within the scale, with at most two decimals.",
                ]
            ]

        current = Score.objects.filter(stage=written, superseded_at__isnull=True)
        assert sorted((s.candidacy_id, s.value) for s in current) == [
            (ani.pk, Decimal("78.00")),
            (bayu.pk, Decimal("41.00")),
        ]
        assert Score.objects.filter(stage=written).count() == 3
        ani.refresh_from_db()
        bayu.refresh_from_db()
        assert (ani.status, bayu.status, bayu.failed_stage) == (
            CandidacyStatus.PASSED,
            CandidacyStatus.FAILED,
            written,
        )
        assert bayu.stop_reason == STOP_REASON

    def _open_round_waiting_for_the_written_test(
        self,
    ) -> tuple[RoundStage, list[Candidacy]]:
        """IM Japan 2026/1: administrative check (passed by both), written test (tono's)."""
        oki = UserFactory(username="oki", role=Role.NATIONAL_OFFICER)
        blk = OrganisationFactory(
            name="BLK Semarang", kind=OrganisationKind.BLK, province_id="33", region_id="33.74"
        )
        tono = UserFactory(
            username="tono", role=Role.TRAINING_OPERATOR, organisation=blk, full_name="Tono Wibowo"
        )
        user_set_language(acting_user=tono, language="en")
        selection_round = rounds.round_create(
            name="IM Japan 2026/1",
            partner=OrganisationFactory(name="IM Japan", partner=True),
            programme=None,
            acting_user=oki,
        )
        administrative, written = (
            rounds.stage_add(
                selection_round=selection_round,
                stage_type=stage_type(code),
                max_score=None,
                pass_mark=None,
                weight=Decimal(weight),
                acting_user=oki,
            )
            for code, weight in (("administrative", 0), ("written", 100))
        )
        rounds.stage_set_examiners(stage=written, examiners=[tono], acting_user=oki)
        rounds.impact_assessment_save(
            selection_round=selection_round, fields=ASSESSMENT, acting_user=oki
        )
        rounds.round_open(selection_round=selection_round, acting_user=oki)
        people = [
            ParticipantFactory(full_name=name, status=JourneyStatus.CERTIFIED)
            for name in ("Ani Wijaya", "Bayu Saputra")
        ]
        enrolled = rounds.candidacy_enrol(
            selection_round=selection_round, participants=people, acting_user=oki
        )
        for candidacy in enrolled:
            score_record(
                candidacy=candidacy,
                stage=administrative,
                value=None,
                passed=True,
                note="",
                correction_reason="",
                acting_user=oki,
            )
        return written, sorted(enrolled, key=lambda c: c.participant.full_name)

    def _sign_in(self, page: Any, username: str, next_url: str) -> None:
        page.context.clear_cookies()
        page.goto(f"{self.live_server_url}{reverse('accounts:login')}?next={next_url}")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEFAULT_PASSWORD)
        page.click("form:has(input[name=password]) button[type=submit]")
        page.wait_for_url(f"{self.live_server_url}{next_url}")

    def _save_row(
        self, page: Any, candidacy_pk: int, *, value: str, note: str = "", reason: str = ""
    ) -> None:
        """Fill one candidate's row and save it; htmx swaps the row with its saved message."""
        row = page.get_by_test_id(f"score-row-{candidacy_pk}")
        row.locator("input[name$=-value]").fill(value)
        row.locator("input[name$=-note]").fill(note)
        row.locator("input[name$=-correction_reason]").fill(reason)
        with page.expect_response(lambda response: response.request.method == "POST"):
            row.locator("button[type=submit]").click()
        page.get_by_test_id(f"current-{candidacy_pk}").locator("[role=status]").wait_for()

    def _expect_saved(self, page: Any, candidacy_pk: int, result: str, message: str) -> None:
        """The row shows ``result`` as the current result and the saved ``message``."""
        from playwright.sync_api import expect

        current = page.get_by_test_id(f"current-{candidacy_pk}")
        expect(current.locator("[role=status]")).to_have_text(message)
        expect(current).to_contain_text(result)

    def _cells(self, page: Any, testid: str) -> list[list[str]]:
        """The text of each cell of a table's body, row by row."""
        return list(
            page.eval_on_selector_all(
                f"[data-testid={testid}] tbody tr",
                "rows => rows.map(r => Array.from(r.cells, c => c.innerText.trim()))",
            )
        )

    def _workbook(self, folder: str, rows: list[list[Any]]) -> Path:
        """An xlsx of results with the template's columns (NIK, Name, Score, Note, Reason)."""
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.append(["NIK", "Name", "Score", "Note", "Correction reason"])
        for row in rows:
            sheet.append([row[0], "", *row[1:]])
        path = Path(folder) / "nilai.xlsx"
        workbook.save(path)
        return path
