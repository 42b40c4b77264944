"""What a case file holds: the bytes as handed in, decrypted when stored encrypted.

Every reader of a case file's content goes through here (the officer's download),
never through ``attachment.file`` itself: case files are specific personal data,
stored encrypted (ADR 0015), and their stored bytes mean nothing without the key.
A file stored before encryption (``encryption_key`` empty) is read as it is until
``jembatan encryption rotate`` encrypts it.
"""

from __future__ import annotations

import io
from typing import IO

from jembatan.core.encryption import read_decrypted
from jembatan.protection.models import CaseAttachment


def read_content(attachment: CaseAttachment) -> bytes:
    """The file's bytes as they were accepted at upload."""
    if attachment.encryption_key:
        return read_decrypted(attachment.file.storage, attachment.file.name)
    with attachment.file.open("rb") as handle:
        return bytes(handle.read())


def open_content(attachment: CaseAttachment) -> IO[bytes]:
    """A file-like object over :func:`read_content`, for a ``FileResponse`` (at most 20 MB)."""
    return io.BytesIO(read_content(attachment))
