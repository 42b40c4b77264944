"""The anonymous reporter's secret: how it is made and how what people type is read.

16 characters in four groups (``XXXX-XXXX-XXXX-XXXX``, about 79 bits) from an
alphabet without 0/O and 1/I/L, since it is read from a screen and typed again,
maybe on a phone. Only its hash is stored (``Case.secret_hash``).
"""

from __future__ import annotations

import secrets

# No 0/O, 1/I/L: the secret is read from a screen and typed again, maybe on a phone.
SECRET_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # noqa: S105 (an alphabet)
SECRET_GROUPS = 4
SECRET_GROUP_LENGTH = 4


def new_secret() -> str:
    """A secret of 16 characters in four groups (about 79 bits): XXXX-XXXX-XXXX-XXXX."""
    return "-".join(
        "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_GROUP_LENGTH))
        for _group in range(SECRET_GROUPS)
    )


def normalise_secret(secret: str) -> str:
    """The secret as stored: upper case, groups joined by hyphens, spaces dropped."""
    letters = "".join(ch for ch in (secret or "").upper() if ch.isalnum())
    return "-".join(
        letters[i : i + SECRET_GROUP_LENGTH] for i in range(0, len(letters), SECRET_GROUP_LENGTH)
    )
