"""Backups that restore: what a backup holds, and the proof that a restore holds the same.

A backup (``jembatan backup create DIR``, called by ``scripts/backup.sh``) is three
things taken at one moment:

- ``db.dump``: ``pg_dump`` in its custom format, read from a snapshot exported by
  the transaction that also counts the rows, so the dump and the manifest agree
  however busy the site is;
- ``files/``: every stored file, copied through the storage API (the local folder
  or the bucket alike; ``jembatan storage export``);
- ``manifest.json``: the row count of every table, a SHA-256 over the rows of the
  key tables, and the SHA-256 of every stored file.

After a restore (``scripts/restore.sh``), ``jembatan backup verify manifest.json``
computes the same figures from the restored database and storage and names every
difference. Only reads here; nothing in this module writes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from jembatan.core.stored_files import sha256_of_stored

FORMAT = 1
# The records whose every value the drill proves (people, organisations, licences,
# documents and the history of changes); the other tables are proven by their counts.
KEY_MODELS = (
    "accounts.User",
    "organisations.Organisation",
    "organisations.Licence",
    "participants.Participant",
    "documents.Document",
    "core.ChangeRecord",
)


def table_counts() -> dict[str, int]:
    """The number of rows in every table Jembatan's models (and the libraries') use."""
    tables = sorted(set(connection.introspection.django_table_names(only_existing=True)))
    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = int(cursor.fetchone()[0])
    return counts


def table_checksum(label: str) -> str:
    """A SHA-256 over every row of the model ``label``, by primary key, every column."""
    model = apps.get_model(label)
    columns = [f.attname for f in model._meta.concrete_fields]
    digest = hashlib.sha256()
    rows = model._default_manager.order_by("pk").values_list(*columns)
    for row in rows.iterator(chunk_size=2000):
        digest.update(json.dumps(row, default=str, sort_keys=True).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def stored_names(folder: str = "") -> Iterator[str]:
    """Every file in the storage, by name, folder by folder."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from stored_names(f"{folder}/{sub}" if folder else sub)


def file_checksums() -> dict[str, str]:
    """The SHA-256 of every stored file, by name."""
    return {name: sha256_of_stored(name) for name in stored_names()}


def manifest() -> dict[str, Any]:
    """What a backup holds (and what a restore must hold again)."""
    return {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": connection.vendor,
        "tables": table_counts(),
        "checksums": {label: table_checksum(label) for label in KEY_MODELS},
        "files": file_checksums(),
    }


def differences(expected: dict[str, Any], found: dict[str, Any]) -> list[str]:
    """Every way ``found`` (a restore) differs from ``expected`` (the backup), in words."""
    problems = []
    for table, count in expected["tables"].items():
        if found["tables"].get(table) != count:
            problems.append(f"table {table}: {found['tables'].get(table)} rows, not {count}")
    for label, checksum in expected["checksums"].items():
        if found["checksums"].get(label) != checksum:
            problems.append(f"{label}: the rows differ (checksum)")
    for name, checksum in expected["files"].items():
        if name not in found["files"]:
            problems.append(f"file {name}: missing")
        elif found["files"][name] != checksum:
            problems.append(f"file {name}: its content differs (SHA-256)")
    return problems
