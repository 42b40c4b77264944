"""Every setting read from the environment is documented in one place, and production
refuses to start without the ones it cannot guess, naming all of them at once."""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parents[3]
OPERATIONS = ROOT / "docs" / "operations.md"
# ``os.environ.get(...)``, or ``environ.get(...)`` on the mapping a settings helper is given.
READ = re.compile(r"""\benviron\.(?:get|setdefault)\(\s*["']([A-Z][A-Z0-9_]+)["']""")


def environment_names() -> set[str]:
    """The names the settings, the gunicorn config and the code read from the environment."""
    code = (p for p in (ROOT / "jembatan").rglob("*.py") if "tests" not in p.parts)
    sources = [*(ROOT / "config").rglob("*.py"), *code]
    return {name for path in sources for name in READ.findall(path.read_text(encoding="utf-8"))}


def documented_names() -> set[str]:
    """The names in the first column of the "Settings" table of docs/operations.md."""
    text = OPERATIONS.read_text(encoding="utf-8")
    table = text.split("## Settings", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)`", table, flags=re.MULTILINE))


def test_every_environment_setting_is_in_the_operations_table() -> None:
    read = environment_names()
    assert "JEMBATAN_SECRET_KEY" in read and "JEMBATAN_WEB_WORKERS" in read  # the walk works
    assert read - documented_names() == set(), "document these in docs/operations.md"
    assert documented_names() - read == set(), "these are documented but nothing reads them"


def test_production_names_every_missing_setting_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("JEMBATAN_SECRET_KEY", "JEMBATAN_ALLOWED_HOSTS", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("JEMBATAN_PUBLIC_URL", "https://jembatan.example.id")
    for module in ("config.settings.prod", "config.settings.base"):
        sys.modules.pop(module, None)
    try:
        with pytest.raises(ImproperlyConfigured) as refused:
            importlib.import_module("config.settings.prod")
    finally:
        sys.modules.pop("config.settings.prod", None)
        sys.modules.pop("config.settings.base", None)
    message = str(refused.value)
    assert "JEMBATAN_SECRET_KEY, JEMBATAN_ALLOWED_HOSTS, DATABASE_URL" in message
    assert "JEMBATAN_PUBLIC_URL" not in message


def test_production_with_files_in_a_bucket_refuses_to_start_without_the_bucket(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JEMBATAN_SECRET_KEY", "k" * 30 + "abcdefghij" * 3)
    monkeypatch.setenv("JEMBATAN_ALLOWED_HOSTS", "jembatan.example.id")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///unused.sqlite3")
    monkeypatch.setenv("JEMBATAN_PUBLIC_URL", "https://jembatan.example.id")
    monkeypatch.setenv("JEMBATAN_STORAGE", "s3")
    monkeypatch.delenv("JEMBATAN_S3_BUCKET", raising=False)
    for module in ("config.settings.prod", "config.settings.base"):
        sys.modules.pop(module, None)
    try:
        with pytest.raises(ImproperlyConfigured) as refused:
            importlib.import_module("config.settings.prod")
    finally:
        sys.modules.pop("config.settings.prod", None)
        sys.modules.pop("config.settings.base", None)
    assert "JEMBATAN_S3_BUCKET" in str(refused.value)
