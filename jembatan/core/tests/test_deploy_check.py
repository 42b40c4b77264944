"""``jembatan check --deploy`` under the production settings prints no warning.

It runs the real command in a child process with only what production needs in
the environment (a strong key, the host names), so the settings are read the
way a server reads them.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[3]


def _deploy_check(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("JEMBATAN_", "DJANGO_", "DATABASE_URL"))
    }
    environment |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "JEMBATAN_SECRET_KEY": secrets.token_urlsafe(64),
        "JEMBATAN_ALLOWED_HOSTS": "jembatan.kemnaker.go.id",
        "JEMBATAN_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'jembatan.sqlite3'}",
        "JEMBATAN_PUBLIC_URL": "https://jembatan.kemnaker.go.id",
        "JEMBATAN_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        **extra,
    }
    return subprocess.run(
        [sys.executable, "-m", "jembatan.cli", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_the_deploy_check_finds_nothing_with_the_production_settings(tmp_path: Path) -> None:
    result = _deploy_check(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("variable", "warning"),
    [
        ("JEMBATAN_HSTS_INCLUDE_SUBDOMAINS", "security.W005"),
        ("JEMBATAN_HSTS_PRELOAD", "security.W021"),
        ("JEMBATAN_HSTS_SECONDS", "security.W004"),
    ],
)
def test_turning_hsts_down_is_possible_and_the_check_says_so(
    tmp_path: Path, variable: str, warning: str
) -> None:
    result = _deploy_check(tmp_path, **{variable: "0"})
    assert result.returncode != 0
    assert warning in result.stderr


def test_a_mistyped_hsts_setting_stops_the_server_with_its_name(tmp_path: Path) -> None:
    result = _deploy_check(tmp_path, JEMBATAN_HSTS_PRELOAD="maybe")
    assert result.returncode != 0
    assert "JEMBATAN_HSTS_PRELOAD must be 1 (on) or 0 (off), not 'maybe'" in result.stderr
