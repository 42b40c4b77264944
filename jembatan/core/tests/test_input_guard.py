"""A NUL byte (or another control character) anywhere in a request is a 400, never a 500.

Found by the security test on PostgreSQL: anonymous ``/api/v1/register?q=%00``,
``/api/v1/regions?parent=%00``, ``/verifikasi/%00/``; staff ``/peserta/?q=%00``,
``/organisasi/?q=%00`` answered 500.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jembatan.organisations.models import Organisation
from jembatan.participants.models import Participant

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    ["/api/v1/register?q=%00", "/api/v1/regions?parent=%00", "/verifikasi/%00/", "/?x=a%01b"],
)
def test_anonymous_requests_with_a_nul_byte_are_refused(url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 400
    assert "control character" in response.content.decode()


@pytest.mark.parametrize("url", ["/peserta/?q=%00", "/organisasi/?q=%00", "/peserta/?q%00=x"])
def test_staff_lists_refuse_a_nul_byte(client_for, national_officer, url: str) -> None:
    assert client_for(national_officer).get(url).status_code == 400


def test_a_form_field_with_a_nul_byte_saves_nothing(client_for, national_admin) -> None:
    before = Organisation.objects.count()
    response = client_for(national_admin).post(
        "/organisasi/baru/", {"name": "LPK Nul\x00", "kind": "lpk", "country": "ID"}
    )
    assert response.status_code == 400
    assert Organisation.objects.count() == before


def test_a_json_body_with_an_escaped_nul_is_refused(client_for, national_officer) -> None:
    body = json.dumps({"full_name": "Budi\u0000", "nik": "3374011708000001"})
    response = client_for(national_officer).post(
        "/api/v1/participants", body, content_type="application/json"
    )
    assert response.status_code == 400 and "control character" in response.json()["detail"]
    assert not Participant.objects.exists()


def test_ordinary_text_with_line_breaks_and_unicode_passes(client_for, national_officer) -> None:
    client = client_for(national_officer)
    assert client.get("/peserta/?q=Siti%20Nur%C2%A0Aisyah").status_code == 200
    assert client.get("/api/v1/register?q=LPK%0ASakura").status_code == 200


def test_a_body_larger_than_the_cap_is_refused_before_it_is_read(
    settings, client_for, national_admin
) -> None:
    settings.JEMBATAN_MAX_REQUEST_BYTES = 1024
    response = client_for(national_admin).post(
        "/organisasi/baru/", {"name": "x" * 5000, "kind": "lpk", "country": "ID"}
    )
    assert response.status_code == 413 and "larger than" in response.content.decode()
    assert not Organisation.objects.filter(name="x" * 5000).exists()


@pytest.mark.parametrize("key", ["x", "django-insecure-" + "a" * 60, "ab" * 40])
def test_production_refuses_a_weak_secret_key(monkeypatch, key: str) -> None:
    import importlib
    import sys

    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("JEMBATAN_SECRET_KEY", key)
    monkeypatch.setenv("JEMBATAN_ALLOWED_HOSTS", "jembatan.example.id")
    monkeypatch.setenv("DATABASE_URL", "postgres://jembatan@127.0.0.1:5432/jembatan")
    monkeypatch.setenv("JEMBATAN_PUBLIC_URL", "https://jembatan.example.id")
    monkeypatch.setenv("JEMBATAN_ENCRYPTION_KEYS", "kdBXGrtA3lGvkgQbKjLm9W3jH2Yfkq0cGk0h9I2xQ1s=")
    for name in ("config.settings.prod", "config.settings.base"):
        sys.modules.pop(name, None)
    with pytest.raises(ImproperlyConfigured, match="too weak"):
        importlib.import_module("config.settings.prod")
    sys.modules.pop("config.settings.prod", None)
    sys.modules.pop("config.settings.base", None)
    monkeypatch.setenv("JEMBATAN_SECRET_KEY", "k" + "".join(chr(48 + i % 70) for i in range(60)))
    importlib.import_module("config.settings.prod")  # a strong key starts
    sys.modules.pop("config.settings.prod", None)
    sys.modules.pop("config.settings.base", None)
