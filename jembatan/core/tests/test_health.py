"""The load balancer's probes, and ``jembatan web`` serving them from gunicorn."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import DatabaseError
from django.test import Client, override_settings

from jembatan.core import health
from jembatan.core.models import AccessLog
from jembatan.core.tests.object_store import Bucket

ROOT = Path(__file__).resolve().parents[3]


def test_healthz_answers_without_the_database_or_a_session(
    django_assert_num_queries: object,
) -> None:
    with override_settings(ALLOWED_HOSTS=["jembatan.kemnaker.go.id"]):
        response = Client().get("/healthz", HTTP_HOST="10.0.0.7")  # the balancer's own address
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Cache-Control"] == "no-store"
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
def test_readyz_names_every_check_and_logs_nothing() -> None:
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "ready": True,
        "checks": {"database": "ok", "migrations": "ok", "storage": "ok"},
    }
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
def test_readyz_is_503_and_names_the_storage_when_files_cannot_be_written(
    tmp_path: Path,
) -> None:
    read_only = tmp_path / "files"
    read_only.mkdir()
    read_only.chmod(0o500)
    storages = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(read_only)},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    if os.geteuid() == 0:  # root writes anywhere: make the storage's directory a file instead
        read_only.chmod(0o700)
        read_only.rmdir()
        read_only.write_text("not a directory")
    with override_settings(STORAGES=storages):
        response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "failed"
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_readyz_is_503_when_migrations_are_pending(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health, "_applied", set())
    monkeypatch.setattr(
        health.MigrationExecutor, "migration_plan", lambda self, targets: [("pending", False)]
    )
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "failed"


def test_readyz_reports_a_database_that_does_not_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    def unreachable() -> None:
        raise DatabaseError("connection refused")

    monkeypatch.setattr(health.connection, "ensure_connection", unreachable)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "failed",
        "migrations": "not checked",
        "storage": "ok",
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_jembatan_web_serves_through_gunicorn_with_the_workers_asked_for() -> None:
    port = _free_port()
    environment = os.environ | {"DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jembatan.cli",
            "web",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        body = b""
        for _ in range(100):
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/healthz", timeout=2
                ) as answer:
                    body = answer.read()
                break
            except OSError:
                time.sleep(0.1)
        assert body == b"ok\n"
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode()
    assert "Booting worker" in output
    assert output.count("Booting worker") == 2


@pytest.mark.django_db
def test_readyz_writes_to_the_object_store_when_files_live_in_a_bucket(
    s3_storage: Bucket,
) -> None:
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["storage"] == "ok"
    assert s3_storage.objects() == {}  # the probe's file was removed again


@pytest.mark.django_db
def test_readyz_is_503_when_the_bucket_is_gone(s3_storage: Bucket) -> None:
    s3_storage.client.delete_bucket(Bucket=s3_storage.name)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "failed"
