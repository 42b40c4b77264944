"""The one "next page" link (``{% next_page %}``): filters kept, cursor replaced, written once."""

from __future__ import annotations

from pathlib import Path

from django.template import Context, Template
from django.test import RequestFactory

from jembatan.core.paging import KeysetPage

JEMBATAN = Path(__file__).resolve().parents[2]


def rendered(query: str, cursor: int | None, arguments: str = "") -> str:
    request = RequestFactory().get(f"/daftar/?{query}")
    template = Template("{% load paging %}{% next_page page " + arguments + " %}")
    return template.render(Context({"request": request, "page": KeysetPage([], cursor)}))


def test_the_link_keeps_every_filter_and_replaces_the_cursor() -> None:
    html = rendered("status=active&q=Siti+Rahayu&after=900", 850)
    assert 'href="?after=850&amp;status=active&amp;q=Siti+Rahayu"' in html
    assert "after=900" not in html
    assert "hx-get" not in html


def test_the_last_page_has_no_link() -> None:
    assert rendered("status=active", None).strip() == ""


def test_an_htmx_list_swaps_only_itself() -> None:
    html = rendered("q=a", 7, 'target="#rows" swap="outerHTML"')
    assert 'hx-get="?after=7&amp;q=a"' in html
    assert 'hx-target="#rows"' in html and 'hx-swap="outerHTML"' in html


def test_no_template_writes_the_link_by_hand() -> None:
    """Every paged list uses the tag, so the link cannot drift apart again."""
    by_hand = [
        path.relative_to(JEMBATAN).as_posix()
        for path in JEMBATAN.rglob("*.html")
        if "next_cursor" in path.read_text(encoding="utf-8")
    ]
    assert by_hand == []
