"""Logs: JSON lines with the request id, carried into tasks; no NIK or e-mail ever printed."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django_tasks import task

from config.settings.base import logging_config
from jembatan.core.logs import (
    PersonalDataFilter,
    RequestIdFilter,
    current_request_id,
    enqueue,
    masked,
    request_context,
    traced,
)

NIK = "3201234567890001"
EMAIL = "siti.rahayu@example.co.id"


@task()
@traced
def which_request() -> str:
    """A task that answers the request id it runs under."""
    logging.getLogger("jembatan.test").warning("task for %s", NIK)
    return current_request_id()


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """What the production handler (JSON, both filters) writes, for the logger ``jembatan.test``."""
    from pythonjsonlogger.json import JsonFormatter

    options = dict(logging_config("json")["formatters"]["json"])
    options.pop("()")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(**options))
    handler.addFilter(PersonalDataFilter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("jembatan.test")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"NIK {NIK} ditolak", "NIK [nik] ditolak"),
        ("NIK 3201 2345 6789 0001 ditolak", "NIK [nik] ditolak"),
        (f"surat ke {EMAIL}", "surat ke [email]"),
        ("job 123456789012345 rows", "job 123456789012345 rows"),  # 15 digits: not a NIK
        ("trace 12345678901234567", "trace 12345678901234567"),  # 17 digits: not a NIK
    ],
)
def test_nik_like_numbers_and_email_addresses_are_masked(text: str, expected: str) -> None:
    assert masked(text) == expected


def test_a_json_line_holds_the_request_id_and_no_personal_data(json_lines: io.StringIO) -> None:
    logger = logging.getLogger("jembatan.test")
    with request_context("req-42"):
        logger.warning("participant %s wrote from %s", NIK, EMAIL, extra={"who": EMAIL})

    (line,) = lines(json_lines)
    assert line["message"] == "participant [nik] wrote from [email]"
    assert line["request_id"] == "req-42"
    assert line["level"] == "WARNING" and line["logger"] == "jembatan.test"
    assert line["who"] == "[email]"
    assert NIK not in json_lines.getvalue() and EMAIL not in json_lines.getvalue()


def test_a_traceback_is_masked_too(json_lines: io.StringIO) -> None:
    logger = logging.getLogger("jembatan.test")
    try:
        raise ValueError(f"duplicate key (nik)=({NIK}) for {EMAIL}")
    except ValueError:
        logger.exception("import failed")

    (line,) = lines(json_lines)
    assert "ValueError: duplicate key (nik)=([nik]) for [email]" in line["exc_info"]
    assert NIK not in json_lines.getvalue()


def test_outside_a_request_the_line_says_dash(json_lines: io.StringIO) -> None:
    logging.getLogger("jembatan.test").warning("daily run")
    assert lines(json_lines)[0]["request_id"] == "-"


@pytest.mark.django_db
def test_every_response_carries_a_new_request_id() -> None:
    first = Client().get("/akun/masuk/")
    second = Client().get("/akun/masuk/")
    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.django_db
def test_a_request_id_from_a_client_that_is_not_the_proxy_is_not_believed(
    settings: Any,
) -> None:
    settings.JEMBATAN_BEHIND_PROXY = True
    settings.JEMBATAN_TRUSTED_PROXIES = "10.0.0.2"
    response = Client().get("/akun/masuk/", HTTP_X_REQUEST_ID="forged-id", REMOTE_ADDR="1.2.3.4")
    assert response["X-Request-ID"] != "forged-id"


@pytest.mark.django_db
def test_the_trusted_proxys_request_id_is_kept_and_echoed(settings: Any) -> None:
    settings.JEMBATAN_BEHIND_PROXY = True
    settings.JEMBATAN_TRUSTED_PROXIES = "10.0.0.2"
    kept = Client().get("/akun/masuk/", HTTP_X_REQUEST_ID="nginx-7f3a", REMOTE_ADDR="10.0.0.2")
    insane = Client().get("/akun/masuk/", HTTP_X_REQUEST_ID="<script>", REMOTE_ADDR="10.0.0.2")
    assert kept["X-Request-ID"] == "nginx-7f3a"
    assert insane["X-Request-ID"] != "<script>"


@pytest.mark.django_db
def test_without_the_proxy_switch_no_request_id_is_believed(settings: Any) -> None:
    settings.JEMBATAN_BEHIND_PROXY = False
    response = Client().get("/akun/masuk/", HTTP_X_REQUEST_ID="nginx-7f3a")
    assert response["X-Request-ID"] != "nginx-7f3a"


def test_a_task_enqueued_in_a_request_runs_and_logs_under_its_id(
    json_lines: io.StringIO,
) -> None:
    with request_context("req-from-page"):
        result = enqueue(which_request)

    assert result.kwargs == {"request_id": "req-from-page"}  # stored with the task
    assert result.return_value == "req-from-page"
    (line,) = lines(json_lines)
    assert line["request_id"] == "req-from-page"
    assert line["message"] == "task for [nik]"


def test_a_task_enqueued_outside_a_request_gets_an_id_of_its_own() -> None:
    result = enqueue(which_request)
    assert result.kwargs == {}
    assert re.fullmatch(r"[0-9a-f]{32}", result.return_value)


def test_production_writes_json_lines_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib
    import sys

    monkeypatch.setenv("JEMBATAN_SECRET_KEY", "k" * 30 + "abcdefghij" * 3)
    monkeypatch.setenv("JEMBATAN_ALLOWED_HOSTS", "jembatan.example.id")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///unused.sqlite3")
    monkeypatch.setenv("JEMBATAN_PUBLIC_URL", "https://jembatan.example.id")
    monkeypatch.delenv("JEMBATAN_LOG_FORMAT", raising=False)
    from cryptography.fernet import Fernet

    monkeypatch.setenv("JEMBATAN_ENCRYPTION_KEYS", Fernet.generate_key().decode())
    monkeypatch.delenv("JEMBATAN_TWO_FACTOR_REQUIRED", raising=False)
    for module in ("config.settings.prod", "config.settings.base"):
        sys.modules.pop(module, None)
    try:
        prod = importlib.import_module("config.settings.prod")
    finally:
        sys.modules.pop("config.settings.prod", None)
        sys.modules.pop("config.settings.base", None)
    assert prod.LOGGING["handlers"]["console"]["formatter"] == "json"
    assert prod.LOGGING["handlers"]["console"]["filters"] == ["personal_data", "request_id"]
