"""Every page carries a Content-Security-Policy; nothing shown to a signed-in person is cached."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_a_public_page_has_the_policy_and_no_inline_script_is_allowed() -> None:
    response = Client().get("/daftar-lpk/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    assert "frame-ancestors 'self'" in policy


def test_pages_for_a_signed_in_person_are_not_cached(client_for, national_officer) -> None:
    for url in ("/", "/peserta/", "/api/v1/participants"):
        response = client_for(national_officer).get(url)
        assert response["Cache-Control"] == "private, no-store", url


def test_no_template_holds_an_inline_script_or_event_handler() -> None:
    inline = re.compile(r"<script(?![^>]*\bsrc=)|\son[a-z]+=\"", re.I)
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("templates/**/*.html")
        if inline.search(path.read_text())
    ]
    assert offenders == []
