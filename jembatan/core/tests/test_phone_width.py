"""In a real browser at 390 px (a phone): public pages, a participant's own pages and the grids fit.

Most apprentices and many LPK staff use a phone; a page wider than the screen hides
buttons and columns behind sideways scrolling. Each page below is opened at 390 px
and must not be wider than the viewport.
"""

from __future__ import annotations

import os

import pytest
from django.urls import reverse
from django.utils import timezone

from jembatan.accounts.factories import DEFAULT_PASSWORD, UserFactory
from jembatan.core.roles import Role
from jembatan.core.tests.browser import (
    CHROMIUM,
    BrowserTestCase,
    chromium_page,
)
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
# Whether a grid's table is wider than the screen and scrolls inside its box (the box or,
# with the phone rules, the table itself is the scroller).
SCROLLS_INSIDE = """(() => {
  const box = document.querySelector('.table-scroll'), table = box.querySelector('table');
  return box.scrollWidth > box.clientWidth || table.scrollWidth > table.clientWidth;
})()"""


class PagesFitAPhone(BrowserTestCase):
    serialized_rollback = True  # the reference data comes back after the flush

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

    def test_the_officers_grids_scroll_inside_themselves(self) -> None:
        officer = UserFactory(username="oki", role=Role.NATIONAL_OFFICER)
        grids = _grid_pages(officer)
        wide: dict[str, int] = {}
        table_overflows: dict[str, bool] = {}
        with chromium_page() as page:
            page.set_viewport_size(PHONE)
            page.goto(f"{self.live_server_url}{reverse('accounts:login')}")
            page.fill("input[name=username]", "oki")
            page.fill("input[name=password]", DEFAULT_PASSWORD)
            page.click("form:has(input[name=password]) button[type=submit]")
            page.wait_for_load_state()
            for path in grids:
                wide[path] = self._overflow(page, path)
                table_overflows[path] = page.evaluate(SCROLLS_INSIDE)
        assert {path: px for path, px in wide.items() if px > 0} == {}
        assert table_overflows == dict.fromkeys(grids, True)


def _grid_pages(officer: object) -> list[str]:
    """The attendance, score and decision grids, each with rows of long names."""
    from jembatan.selection.services.ranking import round_close
    from jembatan.selection.services.shortlists import shortlist_create
    from jembatan.selection.tests import factories_ranking as f
    from jembatan.training.factories import BatchFactory
    from jembatan.training.models import Enrolment

    long_name = "Siti Nurhaliza Rahmawati Kusumaningrum Wijayakusuma"
    batch = BatchFactory()
    for n in range(3):
        person = ParticipantFactory(full_name=f"{long_name} {n}")
        Enrolment.objects.create(batch=batch, participant=person, enrolled_at=timezone.now())
    partner = OrganisationFactory(name="IM Japan", partner=True)
    scoring_round = f.open_round(partner)
    for n in range(3):
        f.candidate(scoring_round, full_name=f"{long_name} {n}")
    closed = f.open_round(partner, name="IM Japan 2026/2")
    for n in range(3):
        f.passed(closed, str(90 - n), "40", acting_user=officer, full_name=f"{long_name} {n}")
    round_close(round=closed, acting_user=officer)
    job_order = JobOrderFactory(partner=partner, approved=True, slots=1)
    shortlist = shortlist_create(
        round=closed, job_order=job_order, per_vacancy=3, acting_user=officer
    ).shortlist
    written = f.stages(scoring_round)[0]
    return [
        reverse("training:attendance_grid", args=[batch.pk]),
        reverse("selection:score_grid", args=[scoring_round.pk, written.pk]),
        reverse("selection:decision_grid", args=[shortlist.pk]),
    ]
