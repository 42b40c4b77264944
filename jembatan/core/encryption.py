"""Specific personal data encrypted at rest (UU PDP art. 4 and 35; ADR 0015).

Fernet (AES-128-CBC with HMAC-SHA256, from ``cryptography``) under keys read
from the environment, ``JEMBATAN_ENCRYPTION_KEYS``: the first key encrypts,
every key decrypts, so a new key is put first and the old ones stay until
``jembatan encryption rotate`` has re-encrypted everything under the new one.

Each key is known by a short id, the first eight hex digits of its SHA-256,
which is stored beside what it encrypted (in a text column's value, in a
file's row) so that rotation and ``jembatan encryption status`` know what is
under which key without decrypting anything. The id reveals nothing of the key.

Other apps use :func:`encrypt`/:func:`decrypt` for bytes,
:class:`EncryptedTextField` for text columns, and for files
:func:`save_encrypted`/:func:`open_decrypted` through Django's storage API.
"""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import models
from django.utils.translation import gettext_lazy as _

# A text column's stored value: ``enc1:<key id>:<Fernet token>``.
PREFIX = "enc1:"
KEY_ID_LENGTH = 8
# The stored value's characters holding the key id (1-based, as SQL's SUBSTR counts).
KEY_ID_START = len(PREFIX) + 1
TOKEN_START = len(PREFIX) + KEY_ID_LENGTH + 1  # 0-based, after the colon


class DecryptionFailed(Exception):
    """A stored value no key in ``JEMBATAN_ENCRYPTION_KEYS`` opens (a key removed too soon?)."""


def key_id(key: str) -> str:
    """The short, public name of a key: what is stored beside the data it encrypted."""
    return hashlib.sha256(key.encode("ascii")).hexdigest()[:KEY_ID_LENGTH]


def configured_keys() -> list[str]:
    """The keys from the settings, first the one that encrypts; refuses an empty or bad list."""
    keys = list(getattr(settings, "JEMBATAN_ENCRYPTION_KEYS", []) or [])
    if not keys:
        raise ImproperlyConfigured(
            "JEMBATAN_ENCRYPTION_KEYS is empty: specific personal data cannot be "
            "encrypted (docs/operations.md, “Encryption keys”)."
        )
    return keys


@lru_cache(maxsize=8)
def _fernets(keys: tuple[str, ...]) -> tuple[MultiFernet, dict[str, Fernet]]:
    try:
        each = [Fernet(key) for key in keys]
    except ValueError as error:
        raise ImproperlyConfigured(
            "A key in JEMBATAN_ENCRYPTION_KEYS is not a Fernet key (32 bytes, URL-safe "
            "base64): generate one as docs/operations.md says."
        ) from error
    return MultiFernet(each), {key_id(k): f for k, f in zip(keys, each, strict=True)}


def current_key_id() -> str:
    """The id of the key that encrypts now (the first one)."""
    return key_id(configured_keys()[0])


def known_key_ids() -> list[str]:
    """The ids of every configured key, the encrypting one first."""
    return [key_id(k) for k in configured_keys()]


def encrypt(data: bytes) -> tuple[bytes, str]:
    """``data`` encrypted under the first key, and that key's id."""
    keys = tuple(configured_keys())
    return _fernets(keys)[0].encrypt(data), key_id(keys[0])


def decrypt(token: bytes) -> bytes:
    """The plaintext of a token made by :func:`encrypt` under any configured key."""
    try:
        return _fernets(tuple(configured_keys()))[0].decrypt(token)
    except InvalidToken as error:
        raise DecryptionFailed(
            "No key in JEMBATAN_ENCRYPTION_KEYS opens this value; was a key removed "
            "before `jembatan encryption rotate` finished?"
        ) from error


# --- text ----------------------------------------------------------------------------


def encrypt_text(value: str) -> str:
    """``enc1:<key id>:<token>`` for a non-empty text; the empty text stays empty."""
    if not value:
        return value
    token, kid = encrypt(value.encode("utf-8"))
    return f"{PREFIX}{kid}:{token.decode('ascii')}"


def is_encrypted_text(value: str) -> bool:
    """Whether a stored value is one :func:`encrypt_text` made."""
    return value.startswith(PREFIX) and value[TOKEN_START - 1 : TOKEN_START] == ":"


def decrypt_text(value: str) -> str:
    """The text a stored value holds; a value stored before encryption is returned as it is."""
    if not is_encrypted_text(value):
        return value
    return decrypt(value[TOKEN_START:].encode("ascii")).decode("utf-8")


def stored_key_id(value: str) -> str:
    """The id of the key a stored value is under, or "" when it is not encrypted."""
    return value[len(PREFIX) : len(PREFIX) + KEY_ID_LENGTH] if is_encrypted_text(value) else ""


class EncryptedTextField(models.TextField):
    """Text stored encrypted (``enc1:<key id>:<token>``) and read as plain text.

    The database never sees the text, so it cannot be searched, sorted or
    compared: every lookup but ``isnull`` is refused. The empty text is stored
    empty (a blank note says nothing). The audit trail records a fingerprint
    instead of the text (:func:`jembatan.core.audit.snapshot`).
    """

    description = _("Text (encrypted at rest)")

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return None if value is None else encrypt_text(str(value))

    def from_db_value(self, value: str | None, _expression: Any, _connection: Any) -> str | None:
        return None if value is None else decrypt_text(value)

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return decrypt_text(value) if isinstance(value, str) else value

    def get_lookup(self, lookup_name: str) -> Any:
        return super().get_lookup(lookup_name) if lookup_name == "isnull" else None


def encrypted_fields(model: type[models.Model]) -> list[str]:
    """The attribute names of a model's encrypted text columns."""
    return [f.attname for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


# --- files -----------------------------------------------------------------------------


def save_encrypted(storage: Storage, name: str, content: bytes) -> tuple[str, str]:
    """Store ``content`` encrypted through the storage API; return the name used and key id.

    The storage may choose another name than ``name`` (never overwriting), as
    ``Storage.save`` does; keep what is returned.
    """
    token, kid = encrypt(content)
    return storage.save(name, ContentFile(token)), kid


def read_decrypted(storage: Storage, name: str) -> bytes:
    """The plaintext of a file :func:`save_encrypted` stored."""
    with storage.open(name, "rb") as handle:
        return decrypt(handle.read())


def open_decrypted(storage: Storage, name: str) -> io.BytesIO:
    """A file-like object over the plaintext, e.g. for a ``FileResponse``."""
    return io.BytesIO(read_decrypted(storage, name))
