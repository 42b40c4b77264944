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


@pytest.mark.django_db
def test_each_language_names_itself_whatever_the_page_language(settings) -> None:
    """An Indonesian page offered "Inggris" to a partner who reads English."""
    settings.LANGUAGE_CODE = "id"
    page = Client().get("/akun/masuk/").text
    assert '<html lang="id"' in page
    assert ">English</option>" in page and ">Bahasa Indonesia</option>" in page
    assert "Inggris" not in page


@pytest.mark.django_db
def test_a_partner_account_starts_in_english(settings, partner_user, sender_operator) -> None:
    from jembatan.accounts.factories import DEFAULT_PASSWORD

    settings.LANGUAGE_CODE = "id"
    assert (partner_user.preferred_language, sender_operator.preferred_language) == ("en", "id")
    client = Client()
    response = client.post(
        "/akun/masuk/", {"username": partner_user.username, "password": DEFAULT_PASSWORD}
    )
    assert response.cookies["django_language"].value == "en"
    assert '<html lang="en"' in client.get("/").text


@pytest.mark.parametrize(
    ("language", "date", "moment"),
    [
        ("id", "3 Desember 2026", "3 Desember 2026, 14.30"),
        ("en", "3 December 2026", "3 December 2026, 14:30"),
    ],
)
def test_dates_follow_the_page_language(language: str, date: str, moment: str) -> None:
    """One date format per language everywhere (pages had four), the month written out."""
    import datetime as dt

    from django.template import Context, Template

    template = Template('{{ d|date:"DATE_FORMAT" }}|{{ t|date:"DATETIME_FORMAT" }}|{{ d }}')
    with translation.override(language):
        shown = template.render(
            Context({"d": dt.date(2026, 12, 3), "t": dt.datetime(2026, 12, 3, 14, 30)})
        )
    assert shown == f"{date}|{moment}|{date}"


def test_templates_use_the_named_formats_not_their_own() -> None:
    """Pages say DATE_FORMAT or DATETIME_FORMAT; only the printed certificate fixes its own."""
    import re

    own = re.compile(r'\|date:"(?![A-Z_]+_FORMAT")')
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "jembatan").rglob("*.html")
        if own.search(path.read_text()) and path.name != "certificate_pdf.html"
    ]
    assert offenders == []


@pytest.mark.django_db
def test_the_access_log_names_roles_in_words_not_codes(settings, national_admin) -> None:
    from jembatan.core.audit import record_access

    settings.LANGUAGE_CODE = "id"
    record_access(acting_user=national_admin, purpose="participants.list")
    client = Client()
    client.force_login(national_admin)
    page = client.get("/audit/akses/").text
    assert "<td>Administrator nasional</td>" in page
    assert "<td>national_admin</td>" not in page
