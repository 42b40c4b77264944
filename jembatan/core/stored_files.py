"""Files kept through Django's storage API, whatever holds them (disk or object store).

No code outside this module and the FileFields knows where a stored file lives:
``default_storage`` is the local MEDIA_ROOT in the embedded set-up and an
S3-compatible bucket in production (``JEMBATAN_STORAGE``), and a stored file has
no path on disk there. Libraries that can only read a path (the spreadsheet
reader) get a private temporary copy (``local_copy``), removed when they are done.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage

BLOCK = 1024 * 1024


class TooBig(Exception):
    """More bytes came than the caller allows; nothing was stored."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


@contextmanager
def spooled(chunks: Iterable[bytes], *, limit: int) -> Iterator[tuple[Path, str, int]]:
    """The chunks written to a private temporary file: (path, SHA-256, size).

    Raises ``TooBig`` as soon as more than ``limit`` bytes came; the file is removed
    when the block ends, whatever happens.
    """
    with tempfile.TemporaryDirectory(prefix="jembatan-") as folder:
        path = Path(folder) / "upload"
        digest, size = hashlib.sha256(), 0
        with path.open("wb") as handle:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise TooBig(size)
                digest.update(chunk)
                handle.write(chunk)
        yield path, digest.hexdigest(), size


def store_path(name: str, path: Path) -> str:
    """Store the local file ``path`` under ``name``; the name actually used."""
    with path.open("rb") as handle:
        return default_storage.save(name, File(handle, name=path.name))


def open_stored(name: str) -> IO[bytes]:
    """The stored file ``name``, open for reading (the caller closes it)."""
    handle: IO[bytes] = default_storage.open(name, "rb")
    return handle


def exists(name: str) -> bool:
    """Whether a file is stored under ``name``."""
    return bool(name) and default_storage.exists(name)


@contextmanager
def local_copy(name: str, *, suffix: str = "") -> Iterator[Path]:
    """A private temporary copy of the stored file ``name``, for readers that need a path."""
    with tempfile.TemporaryDirectory(prefix="jembatan-") as folder:
        path = Path(folder) / f"copy{suffix}"
        with open_stored(name) as source, path.open("wb") as target:
            shutil.copyfileobj(source, target, BLOCK)
        yield path


def sha256_of_stored(name: str) -> str:
    """The SHA-256 of the stored file ``name``, read in blocks."""
    digest = hashlib.sha256()
    with open_stored(name) as handle:
        for block in iter(lambda: handle.read(BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()
