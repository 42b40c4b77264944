"""``jembatan backup create DIR | manifest | verify MANIFEST``: backups that restore.

``create DIR`` (PostgreSQL) writes ``DIR/db.dump`` (``pg_dump -Fc``), ``DIR/files/``
(every stored file) and ``DIR/manifest.json``; the dump and the manifest are read
from one snapshot. ``manifest`` prints the manifest of the database and storage in
use; ``verify MANIFEST`` compares them with a backup's manifest and exits 1 naming
every difference (``core/backup.py``). ``scripts/backup.sh`` and
``scripts/restore.sh`` call these.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from jembatan.core.backup import differences, manifest


def _pg_dump(snapshot: str, target: Path) -> None:
    """``pg_dump`` of the database in use, as it was at ``snapshot``."""
    params = connection.get_connection_params()
    environment = {**os.environ}
    if params.get("password"):
        environment["PGPASSWORD"] = str(params["password"])
    command = ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"]
    for flag, key in (("--host", "host"), ("--port", "port"), ("--username", "user")):
        if params.get(key):
            command.append(f"{flag}={params[key]}")
    command.append(str(params["dbname"]))
    subprocess.run(command, env=environment, check=True, timeout=6 * 60 * 60)  # noqa: S603


class Command(BaseCommand):
    help = "Take a backup (database, files, manifest), print a manifest, or verify a restore."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="dump, files and manifest into a folder")
        create.add_argument("folder", type=Path)
        actions.add_parser("manifest", help="print the manifest of what is in use now")
        verify = actions.add_parser("verify", help="compare with a backup's manifest")
        verify.add_argument("manifest", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            self._create(options["folder"])
        elif options["action"] == "manifest":
            self.stdout.write(json.dumps(manifest(), indent=1, sort_keys=True))
        else:
            self._verify(options["manifest"])

    def _create(self, folder: Path) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("backup create needs PostgreSQL (pg_dump); copy the SQLite file.")
        folder.mkdir(parents=True, exist_ok=True)
        with transaction.atomic(), connection.cursor() as cursor:
            # One snapshot for the dump and the counts: nothing written meanwhile differs.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = str(cursor.fetchone()[0])
            _pg_dump(snapshot, folder / "db.dump")
            taken = manifest()
        call_command("storage", "export", str(folder / "files"), stdout=self.stdout)
        (folder / "manifest.json").write_text(json.dumps(taken, indent=1, sort_keys=True))
        self.stdout.write(
            f"backup in {folder}: {sum(taken['tables'].values())} rows, {len(taken['files'])} files"
        )

    def _verify(self, path: Path) -> None:
        expected = json.loads(path.read_text())
        problems = differences(expected, manifest())
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} differences from {path}", returncode=1)
        tables, files = len(expected["tables"]), len(expected["files"])
        self.stdout.write(f"restore matches {path}: {tables} tables, {files} files")
