"""The change history reads on a phone: each change a card whose cells name their column.

The table opts into the shared ``table.stacked`` rules of ``jembatan.css`` (ADR 0012):
every body cell carries its column's header as ``data-label``, which the phone rules
draw beside or above the value. At desk width it stays an ordinary table.
"""

from __future__ import annotations

import os
from html.parser import HTMLParser
from typing import Any

import pytest
from django.urls import reverse

from jembatan.accounts.factories import DEFAULT_PASSWORD, UserFactory
from jembatan.accounts.models import User
from jembatan.core.audit import fingerprint, record_change
from jembatan.core.roles import Role
from jembatan.core.tests.browser import CHROMIUM, BrowserTestCase, chromium_page
from jembatan.participants.factories import ParticipantFactory
from jembatan.participants.models import Participant

HEADERS = {
    "id": ["Waktu", "Pelaku", "Operasi", "Data", "Yang berubah"],
    "en": ["When", "Who", "Operation", "Record", "What changed"],
}
PAGES = {"change history": "core:changes", "auditor's home": "home"}


class ChangeTables(HTMLParser):
    """The change tables of a page: their classes, header texts and each body row's labels."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, Any]] = []
        self._section = ""
        self._header: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "table" and "changes" in (attributes.get("class") or "").split():
            self.tables.append({"class": attributes["class"].split(), "headers": [], "rows": []})
        elif not self.tables:
            return
        elif tag in ("thead", "tbody"):
            self._section = tag
        elif tag == "tr" and self._section == "tbody":
            self.tables[-1]["rows"].append([])
        elif tag == "th" and self._section == "thead":
            self._header = []
        elif tag == "td" and self._section == "tbody":
            self.tables[-1]["rows"][-1].append(attributes.get("data-label"))

    def handle_data(self, data: str) -> None:
        if self._header is not None:
            self._header.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "th" and self._header is not None:
            self.tables[-1]["headers"].append("".join(self._header).strip())
            self._header = None
        elif tag in ("thead", "tbody", "table"):
            self._section = ""


def change_tables(html: str) -> list[dict[str, Any]]:
    parser = ChangeTables()
    parser.feed(html)
    return parser.tables


def changed(participant: Participant, actor: User) -> None:
    record_change(
        acting_user=actor,
        operation="participants.participant_update",
        instance=participant,
        action="update",
        changes={"status": {"before": "registered", "after": "verified"}},
        reason="Dokumen lengkap",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("language", list(HEADERS))
@pytest.mark.parametrize("page", list(PAGES), ids=list(PAGES))
def test_every_change_cell_is_labelled_with_its_column_header(
    client_for, auditor, national_admin, participant_jateng, participant_jatim, page, language
) -> None:
    changed(participant_jateng, national_admin)
    changed(participant_jatim, national_admin)
    client = client_for(auditor)
    client.cookies["django_language"] = language

    [table] = change_tables(client.get(reverse(PAGES[page])).text)

    assert "stacked" in table["class"]
    assert table["headers"] == HEADERS[language]
    assert len(table["rows"]) >= 2
    assert [row for row in table["rows"] if row != HEADERS[language]] == []


# --- in a real browser -------------------------------------------------------------

FIT = """(() => {
  const table = document.querySelector('table.changes'), head = table.querySelector('thead');
  const th = table.querySelector('th'), cell = table.querySelector('tbody td');
  return {
    page: document.documentElement.scrollWidth - window.innerWidth,
    table: table.scrollWidth - table.clientWidth,
    display: getComputedStyle(table).display,
    headHeight: head.getBoundingClientRect().height,
    headerScope: th.getAttribute('scope'),
    label: getComputedStyle(cell, '::before').content,
  };
})()"""


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM.exists() and os.environ.get("JEMBATAN_REQUIRE_BROWSER") != "1",
    reason="the system Chromium is not installed",
)
class ChangeHistoryOnAPhone(BrowserTestCase):
    def test_a_phone_reads_the_change_history_without_sideways_scrolling(self) -> None:
        UserFactory(username="agus", role=Role.AUDITOR)
        admin = UserFactory(username="admin", role=Role.NATIONAL_ADMIN)
        participant = ParticipantFactory(full_name="Siti Nurhaliza Rahmawati Kusumaningrum")
        # A creation: many fields, one of them a long unbroken value.
        record_change(
            acting_user=admin,
            operation="participants.participant_create",
            instance=participant,
            action="create",
            changes={
                "full_name": {"before": None, "after": participant.full_name},
                "nik": {"before": None, "after": fingerprint("3374011234567890")},
                "email": {"before": None, "after": "siti.nurhaliza.rahmawati@contoh.go.id"},
            },
        )
        shown: dict[int, dict[str, Any]] = {}
        with chromium_page() as page:
            page.goto(f"{self.live_server_url}{reverse('accounts:login')}")
            page.fill("input[name=username]", "agus")
            page.fill("input[name=password]", DEFAULT_PASSWORD)
            page.click("form:has(input[name=password]) button[type=submit]")
            page.wait_for_load_state()
            for width in (390, 1280):
                page.set_viewport_size({"width": width, "height": 844})
                page.goto(f"{self.live_server_url}{reverse('core:changes')}")
                shown[width] = page.evaluate(FIT)

        phone, desk = shown[390], shown[1280]
        assert (phone["page"], phone["table"], phone["display"]) == (0, 0, "block")
        assert phone["headHeight"] <= 1  # hidden visually, still in the page for screen readers
        assert phone["headerScope"] == "col"
        assert "Waktu" in phone["label"]
        assert (desk["display"], desk["label"]) == ("table", "none")
        assert desk["headHeight"] > 1
