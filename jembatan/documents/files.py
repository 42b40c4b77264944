"""What a document's file holds: the bytes as handed in, decrypted when stored encrypted.

Every reader of a document's content goes through here (the download and inline
views, the personal-data export), never through ``document.file`` itself: a file
of specific personal data is stored encrypted (ADR 0015) and its stored bytes
mean nothing without the key.
"""

from __future__ import annotations

import io
from typing import IO

from jembatan.core.encryption import read_decrypted
from jembatan.documents.models import Document


def read_content(document: Document) -> bytes:
    """The file's bytes as they were accepted at upload."""
    if document.encryption_key:
        return read_decrypted(document.file.storage, document.file.name)
    with document.file.open("rb") as handle:
        return bytes(handle.read())


def open_content(document: Document) -> IO[bytes]:
    """A file-like object over :func:`read_content`, for a ``FileResponse``.

    A plain file is streamed from the storage; an encrypted one is decrypted in
    memory (Fernet opens a token whole; a document is at most 20 MB).
    """
    if document.encryption_key:
        return io.BytesIO(read_content(document))
    handle: IO[bytes] = document.file.open("rb")
    return handle
