"""Encryption at rest (core/encryption.py): keys from the settings, rotation-ready tokens,
the production refusals, and what the audit trail keeps of an encrypted text."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage
from hypothesis import given
from hypothesis import strategies as st

from jembatan.core import encryption
from jembatan.core.audit import fingerprint

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()


def test_bytes_come_back_as_they_went_in_and_name_the_key_that_encrypted_them(settings) -> None:
    settings.JEMBATAN_ENCRYPTION_KEYS = [KEY_A]

    token, kid = encryption.encrypt(b"%PDF-1.4 hasil MCU")

    assert b"MCU" not in token and not token.startswith(b"%PDF")
    assert kid == encryption.key_id(KEY_A) and len(kid) == 8
    assert encryption.decrypt(token) == b"%PDF-1.4 hasil MCU"


def test_the_first_key_encrypts_and_every_key_decrypts(settings) -> None:
    settings.JEMBATAN_ENCRYPTION_KEYS = [KEY_A]
    old = encryption.encrypt_text("TBC paru, sudah diobati")

    settings.JEMBATAN_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    new = encryption.encrypt_text("TBC paru, sudah diobati")

    assert encryption.stored_key_id(old) == encryption.key_id(KEY_A)
    assert encryption.stored_key_id(new) == encryption.key_id(KEY_B)
    assert encryption.decrypt_text(old) == encryption.decrypt_text(new) == "TBC paru, sudah diobati"


def test_a_value_no_configured_key_opens_is_refused_loudly(settings) -> None:
    settings.JEMBATAN_ENCRYPTION_KEYS = [KEY_A]
    stored = encryption.encrypt_text("SKCK: catatan")

    settings.JEMBATAN_ENCRYPTION_KEYS = [KEY_B]

    with pytest.raises(encryption.DecryptionFailed, match="rotate"):
        encryption.decrypt_text(stored)


def test_text_written_before_encryption_and_the_empty_text_read_as_they_are() -> None:
    assert encryption.decrypt_text("written in plain text") == "written in plain text"
    assert encryption.encrypt_text("") == ""
    assert encryption.stored_key_id("enc1:nocolon-here") == ""


def test_no_key_at_all_is_a_configuration_error(settings) -> None:
    settings.JEMBATAN_ENCRYPTION_KEYS = []

    with pytest.raises(ImproperlyConfigured, match="JEMBATAN_ENCRYPTION_KEYS"):
        encryption.encrypt(b"x")


def test_a_malformed_key_is_a_configuration_error(settings) -> None:
    settings.JEMBATAN_ENCRYPTION_KEYS = ["not-a-fernet-key"]

    with pytest.raises(ImproperlyConfigured, match="not a Fernet key"):
        encryption.encrypt(b"x")


def test_development_and_tests_use_the_public_development_key(settings) -> None:
    assert settings.JEMBATAN_ENCRYPTION_KEYS == [settings.DEVELOPMENT_ENCRYPTION_KEY]
    assert Fernet(settings.DEVELOPMENT_ENCRYPTION_KEY)  # a real key, so everything works


def test_a_file_is_stored_encrypted_through_the_storage_api(settings, tmp_path) -> None:
    settings.JEMBATAN_ENCRYPTION_KEYS = [KEY_A]
    storage = FileSystemStorage(location=tmp_path)

    name, kid = encryption.save_encrypted(storage, "case/file", b"%PDF-1.7 laporan kasus")

    assert kid == encryption.key_id(KEY_A)
    assert b"laporan" not in (tmp_path / name).read_bytes()
    assert encryption.open_decrypted(storage, name).read() == b"%PDF-1.7 laporan kasus"


def test_the_audit_trail_keeps_a_fingerprint_of_an_encrypted_text_never_the_text() -> None:
    recorded = fingerprint("hamil 3 bulan")

    assert recorded is not None and "hamil" not in recorded
    assert recorded.startswith("[encrypted ")
    assert fingerprint("hamil 3 bulan") == recorded != fingerprint("sehat")
    assert fingerprint("") == ""


# --- production --------------------------------------------------------------------------


def _production(monkeypatch: pytest.MonkeyPatch, keys: str | None) -> Any:
    monkeypatch.setenv("JEMBATAN_SECRET_KEY", "k" + "".join(chr(48 + i % 70) for i in range(60)))
    monkeypatch.setenv("JEMBATAN_ALLOWED_HOSTS", "jembatan.example.id")
    monkeypatch.setenv("DATABASE_URL", "postgres://jembatan@127.0.0.1:5432/jembatan")
    monkeypatch.setenv("JEMBATAN_PUBLIC_URL", "https://jembatan.example.id")
    if keys is None:
        monkeypatch.delenv("JEMBATAN_ENCRYPTION_KEYS", raising=False)
    else:
        monkeypatch.setenv("JEMBATAN_ENCRYPTION_KEYS", keys)
    for name in ("config.settings.prod", "config.settings.base"):
        sys.modules.pop(name, None)
    try:
        return importlib.import_module("config.settings.prod")
    finally:
        sys.modules.pop("config.settings.prod", None)
        sys.modules.pop("config.settings.base", None)


def test_production_refuses_to_start_without_an_encryption_key(monkeypatch) -> None:
    with pytest.raises(ImproperlyConfigured, match="JEMBATAN_ENCRYPTION_KEYS"):
        _production(monkeypatch, None)


def test_production_refuses_the_public_development_key(monkeypatch, settings) -> None:
    with pytest.raises(ImproperlyConfigured, match="development key"):
        _production(monkeypatch, f"{KEY_A},{settings.DEVELOPMENT_ENCRYPTION_KEY}")


def test_production_refuses_a_key_that_is_not_a_fernet_key(monkeypatch) -> None:
    with pytest.raises(ImproperlyConfigured, match="not a Fernet key"):
        _production(monkeypatch, f"{KEY_A},secret123")


def test_production_starts_with_two_real_keys_the_first_encrypting(monkeypatch) -> None:
    prod = _production(monkeypatch, f" {KEY_B} , {KEY_A} ")

    assert prod.JEMBATAN_ENCRYPTION_KEYS == [KEY_B, KEY_A]


@given(st.text(min_size=1, max_size=200))
def test_any_text_comes_back_whole_and_is_stored_as_a_token_of_the_current_key(text: str) -> None:
    stored = encryption.encrypt_text(text)

    assert encryption.is_encrypted_text(stored)
    assert encryption.stored_key_id(stored) == encryption.current_key_id()
    assert encryption.decrypt_text(stored) == text
