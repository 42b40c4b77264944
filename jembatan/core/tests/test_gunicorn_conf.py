"""``config/gunicorn_conf.py``: how often ``jembatan web`` replaces its workers."""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

import pytest


def _conf(monkeypatch: pytest.MonkeyPatch, **environment: str) -> ModuleType:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    sys.modules.pop("config.gunicorn_conf", None)
    try:
        return importlib.import_module("config.gunicorn_conf")
    finally:
        sys.modules.pop("config.gunicorn_conf", None)


def test_workers_are_replaced_after_a_hundred_thousand_requests_give_or_take_a_tenth(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("JEMBATAN_WEB_MAX_REQUESTS", raising=False)
    conf = _conf(monkeypatch)
    assert (conf.max_requests, conf.max_requests_jitter) == (100_000, 10_000)


def test_the_operator_sets_how_many_requests_a_worker_serves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    conf = _conf(monkeypatch, JEMBATAN_WEB_MAX_REQUESTS="50000")
    assert (conf.max_requests, conf.max_requests_jitter) == (50_000, 5_000)


def test_zero_requests_means_workers_are_never_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    conf = _conf(monkeypatch, JEMBATAN_WEB_MAX_REQUESTS="0")
    assert (conf.max_requests, conf.max_requests_jitter) == (0, 0)
