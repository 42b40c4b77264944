"""Shared support for the browser tests (Playwright driving the system Chromium).

A live-server test is transactional: Django empties the database by flushing
it afterwards. On SQLite the audit tables' append-only triggers refuse that
flush, so :func:`audit_triggers_lifted` drops them for the flush only and puts
them back at once (PostgreSQL's flush truncates, which row triggers allow).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.db import connection

CHROMIUM = Path("/usr/bin/chromium")
# Without these, the closed network here makes Chromium retry connections at every start.
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TRIGGERS = importlib.import_module("jembatan.core.migrations.0002_reference_data_and_append_only")

# Skip where the system Chromium is missing, unless CI demands the browser tests.
requires_chromium = pytest.mark.skipif(
    not CHROMIUM.exists() and os.environ.get("JEMBATAN_REQUIRE_BROWSER") != "1",
    reason="the system Chromium is not installed (apt-get install chromium)",
)


@contextmanager
def audit_triggers_lifted() -> Iterator[None]:
    """Drop the append-only triggers for the duration of the block (the flush)."""
    with connection.schema_editor() as editor:
        TRIGGERS.drop_append_only_triggers(apps, editor)
    try:
        yield
    finally:
        with connection.schema_editor() as editor:
            TRIGGERS.add_append_only_triggers(apps, editor)


@contextmanager
def chromium_page(locale: str = "id-ID") -> Iterator[Any]:
    """A fresh page of the system Chromium through Playwright's sync API."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser.new_context(locale=locale).new_page()
        finally:
            browser.close()


class BrowserTestCase(StaticLiveServerTestCase):
    """A live server for Playwright: the reference data comes back after each test's flush,
    the audit tables' append-only triggers are lifted for that flush, and Django lets the
    browser's event loop share the test's thread."""

    serialized_rollback = True

    @classmethod
    def setUpClass(cls) -> None:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        super().setUpClass()

    def _fixture_teardown(self) -> None:
        with audit_triggers_lifted():
            super()._fixture_teardown()
