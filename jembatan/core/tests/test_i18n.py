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
    assert '<html lang="id"' in page
    assert "Keluar" in page
    assert "Sign out" not in page


@pytest.mark.django_db
def test_an_english_browser_still_gets_indonesian_until_the_person_chooses(settings) -> None:
    settings.LANGUAGE_CODE = "id"
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="id"' in client.get("/akun/masuk/").text
    client.cookies["django_language"] = "en"
    assert '<html lang="en"' in client.get("/akun/masuk/").text


@pytest.mark.django_db
def test_signing_in_restores_the_language_chosen_on_another_device(settings, sender_operator):
    from jembatan.accounts.factories import DEFAULT_PASSWORD
    from jembatan.accounts.models import User

    User.objects.filter(pk=sender_operator.pk).update(preferred_language="en")
    client = Client()
    response = client.post(
        "/akun/masuk/", {"username": sender_operator.username, "password": DEFAULT_PASSWORD}
    )
    assert response.cookies["django_language"].value == "en"
