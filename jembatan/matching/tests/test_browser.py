"""In a real browser: a candidate ranks job orders, an officer runs and approves a matching,
the candidates read their results and why.

The launch helper and the audit-trigger workaround for the live server's flush
come from jembatan/core/tests/browser.py (see its docstring). Tasks run at once
(config/settings/test.py: django-tasks' ImmediateBackend), so a run has finished
by the time its page shows; the page is still waited on as if it polled. The
officer chose English; the candidates keep the default, Bahasa Indonesia, so
their sentences are the Indonesian catalogue's (its English source until the
lead translates them).
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from jembatan.accounts.factories import DEFAULT_PASSWORD, UserFactory
from jembatan.accounts.services import user_set_language
from jembatan.core.roles import Role
from jembatan.core.tests.browser import (
    CHROMIUM,
    BrowserTestCase,
    chromium_page,
)
from jembatan.demand.factories import JobOrderFactory
from jembatan.demand.models import JobOrder, Placement, PlacementStatus
from jembatan.matching.factories import ClosedRoundFactory, selected_candidate
from jembatan.matching.models import CandidatePreference, MatchingRun, RunStatus
from jembatan.organisations.factories import OrganisationFactory
from jembatan.participants.models import JourneyStatus, Participant

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("JEMBATAN_REQUIRE_BROWSER") != "1",
        reason="the system Chromium is not installed",
    ),
]
WAIT = 30_000  # ms: the run and its approval are tasks; the page polls every 2 s meanwhile


class OfficerRunsAndApprovesAMatching(BrowserTestCase):
    """Preferences, a stable run, its results, approval, and the explanations."""

    serialized_rollback = True  # the reference data (regions, occupations) comes back after

    def test_an_approved_run_places_the_best_ranked_and_tells_the_others_why(self) -> None:
        # Given IM Japan's closed round (Ani 90, Budi 80, Citra 70) and two approved
        # job orders of one slot each; Ani wants the greenhouse, Budi the welding shop.
        partner = OrganisationFactory(name="IM Japan", partner=True)
        selection_round = ClosedRoundFactory(name="IM Japan 2026/1", partner=partner)
        ani, budi, citra = self._candidates(selection_round)
        greenhouse, welder = (
            JobOrderFactory(partner=partner, approved=True, slots=1, title=title)
            for title in ("Greenhouse worker", "Welder")
        )
        for person, job_order in ((ani, greenhouse), (budi, welder)):
            CandidatePreference.objects.create(participant=person, job_order=job_order, rank=1)
        officer = UserFactory(username="oki", role=Role.NATIONAL_OFFICER)
        user_set_language(acting_user=officer, language="en")
        expected = self._explanations(greenhouse, welder)

        with chromium_page() as page:
            # When Citra ranks the greenhouse first and the welding shop second
            self._sign_in(page, "citra", reverse("matching:preferences"))
            page.fill(f"#id_rank_{greenhouse.pk}", "1")
            page.fill(f"#id_rank_{welder.pk}", "2")
            with page.expect_navigation():
                page.get_by_test_id("save-preferences").click()

            # and oki starts a stable run over the round and both job orders
            self._sign_in(page, "oki", reverse("matching:create"))
            page.fill("input[name=name]", "IM Japan November")
            page.check("input[name=method][value=stable]")
            page.check(f"input[name=rounds][value='{selection_round.pk}']")
            for job_order in (greenhouse, welder):
                page.check(f"input[name=job_orders][value='{job_order.pk}']")
            page.get_by_test_id("start-run").click()

            # Then the run finishes with two of three placed, IM Japan's slots all filled
            self._expect_status(page, "Finished: awaiting approval")
            assert page.get_by_test_id("run-candidates").inner_text() == "3"
            assert page.get_by_test_id("run-placed").inner_text() == "2"
            assert self._cells(page, "partner-fill") == [["IM Japan", "2", "2", "100%"]]
            assert self._cells(page, "job-order-fill") == [
                [f"{greenhouse.reference} Greenhouse worker", "IM Japan", "1", "1"],
                [f"{welder.reference} Welder", "IM Japan", "1", "1"],
            ]

            # When oki approves it
            page.get_by_test_id("approve-run").click()
            self._expect_status(page, "Approved: placements created")

            # Then Ani reads where she is placed, and Citra why she is not
            self._sign_in(page, "ani", reverse("matching:my_result"))
            placement = page.get_by_test_id("my-placement").inner_text()
            ani_headline = page.get_by_test_id("explanation-headline").inner_text()
            self._sign_in(page, "citra", reverse("matching:my_result"))
            citra_headline = page.get_by_test_id("explanation-headline").inner_text()
            citra_details = page.locator("[data-testid=explanation-details] li").all_inner_texts()

        assert placement == f"{greenhouse.reference} Greenhouse worker — IM Japan, Ibaraki"
        assert ani_headline == expected["ani"]
        assert (citra_headline, citra_details) == (expected["citra"], expected["citra_details"])
        assert list(
            CandidatePreference.objects.filter(participant=citra)
            .order_by("rank")
            .values_list("job_order", "rank")
        ) == [(greenhouse.pk, 1), (welder.pk, 2)]
        run = MatchingRun.objects.get()
        assert (run.method, run.status, run.decided_by) == ("stable", RunStatus.APPROVED, officer)
        placements = Placement.objects.order_by("participant__full_name")
        assert [(p.participant, p.job_order, p.status) for p in placements] == [
            (ani, greenhouse, PlacementStatus.PROPOSED),
            (budi, welder, PlacementStatus.PROPOSED),
        ]
        statuses = dict(Participant.objects.values_list("full_name", "status"))
        assert statuses == {
            "Ani Wijaya": JourneyStatus.MATCHED,
            "Budi Santoso": JourneyStatus.MATCHED,
            "Citra Lestari": JourneyStatus.SELECTED,
        }

    def _candidates(self, selection_round: Any) -> list[Participant]:
        """Ani (90, rank 1), Budi (80, rank 2), Citra (70, rank 3); Ani and Citra sign in."""
        people = [
            ("Ani Wijaya", "90", "ani"),
            ("Budi Santoso", "80", ""),
            ("Citra Lestari", "70", "citra"),
        ]
        return [
            selected_candidate(
                selection_round,
                score=score,
                rank=rank,
                full_name=name,
                user=UserFactory(username=username, role=Role.PARTICIPANT, full_name=name)
                if username
                else None,
            )
            for rank, (name, score, username) in enumerate(people, start=1)
        ]

    def _explanations(self, greenhouse: JobOrder, welder: JobOrder) -> dict[str, Any]:
        """What Ani and Citra should read, in their language (Bahasa Indonesia)."""
        detail = (
            "%(job)s (your choice no. %(choice)s): the last candidate admitted was no. "
            "%(cutoff)s in its ranking; you were no. %(own)s."
        )
        with translation.override("id"):
            return {
                "ani": gettext("Placed on job order %(job)s.")
                % {"job": f"{greenhouse.reference} Greenhouse worker"},
                "citra": gettext(
                    "Not placed: every job order you were eligible for was full with candidates "
                    "it ranked higher."
                ),
                "citra_details": [
                    gettext(detail)
                    % {
                        "job": f"{greenhouse.reference} Greenhouse worker",
                        "choice": 1,
                        "cutoff": 1,
                        "own": 3,
                    },
                    gettext(detail)
                    % {"job": f"{welder.reference} Welder", "choice": 2, "cutoff": 2, "own": 3},
                ],
            }

    def _expect_status(self, page: Any, status: str) -> None:
        from playwright.sync_api import expect

        expect(page.get_by_test_id("run-status")).to_have_text(status, timeout=WAIT)

    def _sign_in(self, page: Any, username: str, next_url: str) -> None:
        page.context.clear_cookies()
        page.goto(f"{self.live_server_url}{reverse('accounts:login')}?next={next_url}")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEFAULT_PASSWORD)
        page.click("form:has(input[name=password]) button[type=submit]")
        page.wait_for_url(f"{self.live_server_url}{next_url}")

    def _cells(self, page: Any, testid: str) -> list[list[str]]:
        """The text of each cell of a table's body, row by row."""
        return list(
            page.eval_on_selector_all(
                f"[data-testid={testid}] tbody tr",
                "rows => rows.map(r => Array.from(r.cells, c => c.innerText.trim()))",
            )
        )
