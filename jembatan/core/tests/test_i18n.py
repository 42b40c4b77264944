"""Bahasa Indonesia is the default language, and every message has a translation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from config.settings import base

ROOT = Path(__file__).resolve().parents[3]


def test_indonesian_is_the_default_language_with_english_beside_it() -> None:
    assert base.LANGUAGE_CODE == "id"
    assert [code for code, _name in base.LANGUAGES] == ["id", "en"]


def test_every_message_is_translated_and_the_compiled_catalog_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_messages.py")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("english", "indonesian"),
    [("Sign in", "Masuk"), ("Participants", "Peserta"), ("Sign out", "Keluar")],
)
def test_the_interface_speaks_indonesian(english: str, indonesian: str) -> None:
    with translation.override("id"):
        assert translation.gettext(english) == indonesian


@pytest.mark.django_db
def test_the_home_page_of_an_officer_is_in_indonesian_by_default(settings, national_admin) -> None:
    settings.LANGUAGE_CODE = "id"
    client = Client()
    client.force_login(national_admin)
    page = client.get("/").text
    assert '<html lang="id">' in page
    assert "Keluar" in page
    assert "Sign out" not in page
