"""The restore drill: a seeded database with files is backed up, restored into a new
database and a new storage folder, and proven equal (scripts/backup.sh, scripts/restore.sh).

PostgreSQL only: the backup is ``pg_dump``. On SQLite the test is skipped.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from PIL import Image

from jembatan.core.models import AccessLog, ChangeRecord

ROOT = Path(__file__).resolve().parents[3]
pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the backup is pg_dump: PostgreSQL only"
    ),
    # serialized_rollback: the reference data comes back for the tests after this one.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def audit_rows_cleared_after() -> Iterator[None]:
    """Empty the append-only audit tables (triggers lifted) so the test's flush can run."""
    yield
    from jembatan.core.tests.browser import audit_triggers_lifted

    with audit_triggers_lifted(), connection.cursor() as cursor:
        for model in (ChangeRecord, AccessLog):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")


class _Source:
    """The test database itself, as the backup script reaches it."""

    def __init__(self, url: str) -> None:
        self.url = url


def _png(colour: str) -> bytes:
    image = io.BytesIO()
    Image.new("RGB", (12, 12), colour).save(image, "PNG")
    return image.getvalue()


def _documents(participant: Any, by: Any) -> dict[str, bytes]:
    """Two scans handed in through the service: their storage names and bytes."""
    from jembatan.documents.models import DocumentRequirement
    from jembatan.documents.rules import route_of
    from jembatan.documents.services import document_upload

    requirements = DocumentRequirement.objects.filter(
        valid_to__isnull=True, route=route_of(participant)
    ).order_by("pk")[:2]
    stored = {}
    for requirement, colour in zip(requirements, ("white", "red"), strict=True):
        content = _png(colour)
        document = document_upload(
            participant=participant,
            requirement=requirement,
            chunks=[content],
            original_name="scan.png",
            acting_user=by,
        )
        with document.file.open("rb") as handle:
            stored[document.file.name] = handle.read()
    return stored


def _url(params: dict[str, Any], name: str) -> str:
    user, host = params.get("user", "postgres"), params.get("host", "127.0.0.1")
    password = f":{params['password']}" if params.get("password") else ""
    return f"postgres://{user}{password}@{host}:{params.get('port', 5432)}/{name}"


class Database:
    """A second, empty PostgreSQL database on the test server, dropped afterwards."""

    def __init__(self) -> None:
        self.params = connection.get_connection_params()
        self.name = f"jb_restore_{uuid.uuid4().hex[:10]}"

    def _psql(self, sql: str) -> None:
        command = ["psql", "-v", "ON_ERROR_STOP=1", "-d", "postgres", "-c", sql]
        for flag, key in (("-h", "host"), ("-p", "port"), ("-U", "user")):
            if self.params.get(key):
                command += [flag, str(self.params[key])]
        subprocess.run(command, check=True, capture_output=True, env=self._env())

    def _env(self) -> dict[str, str]:
        password = self.params.get("password")
        return {**os.environ, **({"PGPASSWORD": str(password)} if password else {})}

    @property
    def url(self) -> str:
        return _url(self.params, self.name)

    def __enter__(self) -> Database:
        self._psql(f'CREATE DATABASE "{self.name}"')
        return self

    def __exit__(self, *exc: object) -> None:
        self._psql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def _jembatan(database: Any, var_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args,
        cwd=ROOT,
        env=_environment(database.url, var_dir),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def _environment(database_url: str, var_dir: Path) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("JEMBATAN_", "DATABASE_"))}
    return {
        **kept,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "JEMBATAN_VAR_DIR": str(var_dir),
        "JEMBATAN_CMD": f"{sys.executable} -m jembatan.cli",
    }


@pytest.mark.usefixtures("audit_rows_cleared_after")
def test_a_backup_restores_into_a_new_database_and_storage_with_every_row_and_file(
    tmp_path: Path, settings: Any, participant_jateng, sender_operator, lpk_a
) -> None:
    # Given a database with people, an organisation, its licence, documents and history
    settings.MEDIA_ROOT = tmp_path / "original" / "private"
    files = _documents(participant_jateng, sender_operator)
    original = _Source(_url(connection.get_connection_params(), connection.settings_dict["NAME"]))

    # When scripts/backup.sh backs it up, and restore.sh restores it into an empty
    # database and an empty folder
    made = _jembatan(
        original,
        tmp_path / "original",
        "bash",
        str(ROOT / "scripts" / "backup.sh"),
        str(tmp_path / "backups"),
    )
    assert made.returncode == 0, made.stderr
    (backup,) = (tmp_path / "backups").iterdir()
    restored_var = tmp_path / "restored"
    with Database() as database:
        restore = _jembatan(
            database, restored_var, "bash", str(ROOT / "scripts" / "restore.sh"), str(backup)
        )
        again = _jembatan(
            database, restored_var, sys.executable, "-m", "jembatan.cli", "backup", "manifest"
        )

        # Then the restore proved itself against the manifest...
        assert restore.returncode == 0, restore.stderr
        assert "restore matches" in restore.stdout
        # ...and, counted again independently, every table, key checksum and file match
        taken = json.loads((backup / "manifest.json").read_text())
        found = json.loads(again.stdout)
        assert found["tables"] == taken["tables"]
        assert found["checksums"] == taken["checksums"]
        assert found["files"] == taken["files"]
        assert taken["tables"]["participants_participant"] >= 1
        assert taken["tables"]["documents_document"] == 2
        assert taken["tables"]["core_changerecord"] >= 2
        for name, content in files.items():
            assert (restored_var / "private" / name).read_bytes() == content

        # And a restore that lost a file's content is caught, naming the file
        name = sorted(files)[0]
        (restored_var / "private" / name).write_bytes(b"tampered")
        verify = _jembatan(
            database,
            restored_var,
            sys.executable,
            "-m",
            "jembatan.cli",
            "backup",
            "verify",
            str(backup / "manifest.json"),
        )
        assert verify.returncode == 1
        assert f"file {name}: its content differs (SHA-256)" in verify.stderr
