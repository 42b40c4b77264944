"""``/metrics``: Prometheus' text format, only for the allowed networks or the token."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from prometheus_client import REGISTRY

from jembatan.core.tests.dead_workers import running_task
from jembatan.organisations.services.expiry import licences_run_daily
from jembatan.organisations.tasks import expire_licences

pytestmark = pytest.mark.django_db
OUTSIDE = "203.0.113.9"


def scrape(**extra: Any) -> Any:
    return Client().get("/metrics", **extra)


def test_metrics_answer_the_loopback_by_default_in_prometheus_format() -> None:
    response = scrape()  # the test client comes from 127.0.0.1
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert b"# TYPE jembatan_request_seconds histogram" in response.content


def test_metrics_are_refused_to_an_address_outside_the_allowed_networks(settings: Any) -> None:
    settings.JEMBATAN_METRICS_ALLOW = "10.20.0.0/16"
    assert scrape(REMOTE_ADDR=OUTSIDE).status_code == 403
    assert scrape(REMOTE_ADDR="10.20.3.4").status_code == 200
    assert scrape(REMOTE_ADDR="127.0.0.1").status_code == 403  # no longer in the list


def test_metrics_answer_the_right_bearer_token_from_anywhere(settings: Any) -> None:
    settings.JEMBATAN_METRICS_ALLOW = ""
    settings.JEMBATAN_METRICS_TOKEN = "s3cret-scrape-token"
    right = scrape(REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Bearer s3cret-scrape-token")
    wrong = scrape(REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Bearer guess")
    none = scrape(REMOTE_ADDR=OUTSIDE)
    assert (right.status_code, wrong.status_code, none.status_code) == (200, 403, 403)
    assert b"jembatan_task_queue_depth" not in wrong.content


def test_no_token_configured_means_no_token_opens_them(settings: Any) -> None:
    settings.JEMBATAN_METRICS_ALLOW = ""
    settings.JEMBATAN_METRICS_TOKEN = ""
    assert scrape(REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Bearer ").status_code == 403


def test_request_latency_is_labelled_by_the_route_name_never_the_path(lpk_a) -> None:
    labels = {"view": "register:detail", "method": "GET"}
    before = REGISTRY.get_sample_value("jembatan_request_seconds_count", labels) or 0

    Client().get(reverse("register:detail", args=[lpk_a.pk]))

    assert REGISTRY.get_sample_value("jembatan_request_seconds_count", labels) == before + 1
    text = scrape().content.decode()
    assert 'view="register:detail"' in text
    assert f"/{lpk_a.pk}/" not in text


def test_queue_depth_and_the_oldest_age_are_read_from_the_database_by_task() -> None:
    now = timezone.now()
    for minutes in (10, 2):
        DBTaskResult.objects.create(
            status=TaskResultStatus.READY,
            task_path=expire_licences.module_path,
            args_kwargs={"args": [], "kwargs": {}},
            backend_name="default",
            run_after=now,
        )
        DBTaskResult.objects.filter(enqueued_at__gte=now).update(
            enqueued_at=now - dt.timedelta(minutes=minutes)
        )
    running_task(expire_licences, worker_id="gone")

    text = scrape().content.decode()

    assert 'jembatan_task_queue_depth{task="expire_licences"} 2.0' in text
    oldest = re.search(r'jembatan_task_queue_oldest_seconds\{task="expire_licences"\} (\S+)', text)
    assert oldest is not None and 600 <= float(oldest.group(1)) < 700
    assert 'jembatan_tasks_running{task="expire_licences"} 1.0' in text
    assert "jembatan_tasks_stale 1.0" in text


def test_failed_tasks_are_counted_by_task() -> None:
    failed = running_task(expire_licences, worker_id="gone")
    DBTaskResult.objects.filter(pk=failed.pk).update(status=TaskResultStatus.FAILED)

    assert 'jembatan_tasks_failed{task="expire_licences"} 1.0' in scrape().content.decode()


def test_the_licence_run_records_its_duration() -> None:
    before = REGISTRY.get_sample_value("jembatan_licence_run_seconds_count") or 0

    licences_run_daily(today=dt.date(2026, 12, 4))

    assert REGISTRY.get_sample_value("jembatan_licence_run_seconds_count") == before + 1


def test_metrics_carry_no_session_and_no_access_log() -> None:
    from jembatan.core.models import AccessLog

    response = scrape()
    assert "sessionid" not in response.cookies
    assert not AccessLog.objects.exists()


OBSERVE = """
import django; django.setup()
from jembatan.core.metrics import LICENCE_RUN_SECONDS
LICENCE_RUN_SECONDS.observe(2.0)
"""
READ = """
import django; django.setup()
from jembatan.core.metrics import process_metrics
print(process_metrics().decode())
"""


def test_in_multiprocess_mode_a_scrape_adds_up_every_process(tmp_path) -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    environment = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }

    def python(code: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", code],
            cwd=root,
            env=environment,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        return done.stdout

    python(OBSERVE)  # two processes (say, two gunicorn workers) each time one run
    python(OBSERVE)
    text = python(READ)  # a third answers the scrape

    assert "jembatan_licence_run_seconds_count 2.0" in text
    assert "jembatan_licence_run_seconds_sum 4.0" in text


def test_a_request_that_came_through_the_proxy_needs_the_token(settings: Any) -> None:
    settings.JEMBATAN_METRICS_TOKEN = "s3cret-scrape-token"
    through_proxy = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": OUTSIDE}

    assert scrape(**through_proxy).status_code == 403
    with_token = scrape(**through_proxy, HTTP_AUTHORIZATION="Bearer s3cret-scrape-token")
    assert with_token.status_code == 200
