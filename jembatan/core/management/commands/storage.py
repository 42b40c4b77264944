"""``jembatan storage export DIR`` and ``jembatan storage import DIR``: every stored file, copied.

Export copies every file of the file storage (the local folder or the bucket,
whichever ``JEMBATAN_STORAGE`` names) into ``DIR`` under its own name; import puts
every file of ``DIR`` back into the storage under the same name (a file already
there with the same content is left alone, one that differs is replaced). Both go
through Django's storage API, so a backup taken from a bucket restores into a
folder and the other way round.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandParser

from jembatan.core.backup import stored_names
from jembatan.core.stored_files import open_stored, sha256_of_stored, store_path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


class Command(BaseCommand):
    help = "Copy every stored file into a folder (export), or from a folder back (import)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["export", "import"])
        parser.add_argument("folder", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["folder"]
        count = self._export(folder) if options["action"] == "export" else self._import(folder)
        self.stdout.write(f"{options['action']}: {count} files")

    def _export(self, folder: Path) -> int:
        count = 0
        for name in stored_names():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with open_stored(name) as source, target.open("wb") as copy:
                shutil.copyfileobj(source, copy, 1024 * 1024)
            count += 1
        return count

    def _import(self, folder: Path) -> int:
        count = 0
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            name = path.relative_to(folder).as_posix()
            if default_storage.exists(name):
                if sha256_of_stored(name) == _sha256(path):
                    continue
                default_storage.delete(name)
            stored = store_path(name, path)
            if stored != name:
                raise RuntimeError(f"{name} was stored as {stored}")
            count += 1
        return count
