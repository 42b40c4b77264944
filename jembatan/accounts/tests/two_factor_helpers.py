"""Setting up a second factor in tests, and the codes an authenticator app would show."""

from __future__ import annotations

import secrets

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from jembatan.accounts.models import User
from jembatan.accounts.services import two_factor_enrol

VERIFY = "/akun/dua-langkah/kode/"
ENROL = "/akun/dua-langkah/pasang/"


def app_code(key: str, *, ahead: int = 0) -> str:
    """The six digits an app shows for ``key`` now (``ahead``: that many 30-second steps later)."""
    return f"{totp(bytes.fromhex(key), drift=ahead):06d}"


def enrol(user: User) -> tuple[TOTPDevice, list[str]]:
    """Set up ``user``'s authenticator as the enrolment page does; the device and recovery codes."""
    key = secrets.token_hex(20)
    return two_factor_enrol(acting_user=user, key=key, code=app_code(key))


def next_code(device: TOTPDevice) -> str:
    """A code the device accepts now: one step past the last one it accepted."""
    device.refresh_from_db()
    return app_code(device.key, ahead=1)


def signed_in(user: User) -> Client:
    """A client signed in with the password only (the second factor still owed, if any)."""
    client = Client()
    client.force_login(user)
    return client
