"""Metrics in Prometheus' text format at ``/metrics``, for the network that watches Jembatan.

Two kinds of figures:

- **kept by the processes**: request latency by view (the URL's name, never a path
  holding ids), and how long the licence run and a matching run took (recorded at
  the end of each). With several gunicorn workers and task workers on a machine, set
  ``PROMETHEUS_MULTIPROC_DIR`` to one empty directory for all of them: each process
  writes its figures there and a scrape adds them up (prometheus-client's
  multiprocess mode; ``config/gunicorn_conf.py`` forgets a worker that exited).
- **read from the database at each scrape**, so the same from any process: tasks
  waiting and the age of the oldest by task, tasks running and stale, tasks failed.

``/metrics`` answers only a client from ``JEMBATAN_METRICS_ALLOW`` (networks, by the
connection's own address) or one that sends ``Authorization: Bearer`` with
``JEMBATAN_METRICS_TOKEN``; anyone else gets 403. Like the health probes it is
answered before hosts, sessions and the HTTPS redirect (a scraper comes by address),
and it carries no personal data: no label holds an id, a name or a path.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from jembatan.core.task_recovery import stale_task_ids

PATH = "/metrics"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUEST_SECONDS = Histogram(
    "jembatan_request_seconds",
    "Time to answer a request, by the view's URL name and the method.",
    ["view", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
LICENCE_RUN_SECONDS = Histogram(
    "jembatan_licence_run_seconds",
    "Duration of the daily licence run (activation, expiry, reminders).",
    buckets=(0.1, 0.5, 1, 5, 15, 60, 300, 900),
)
MATCHING_RUN_SECONDS = Histogram(
    "jembatan_matching_run_seconds",
    "Duration of a matching run, from start to its result or failure.",
    buckets=(0.5, 1, 5, 15, 60, 300, 900, 3600),
)


@contextmanager
def timed(histogram: Histogram) -> Iterator[None]:
    """Record how long the block took in ``histogram``, whether it ends well or not."""
    start = time.perf_counter()
    try:
        yield
    finally:
        histogram.observe(time.perf_counter() - start)


def task_name(task_path: str) -> str:
    """A task's label in metrics: its function's name (``run_participant_import``)."""
    return task_path.rsplit(".", 1)[-1]


class TaskQueueCollector(Collector):
    """The task queue as the database holds it, read at each scrape."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = timezone.now()
        depth = GaugeMetricFamily(
            "jembatan_task_queue_depth", "Tasks waiting for a worker.", labels=["task"]
        )
        oldest = GaugeMetricFamily(
            "jembatan_task_queue_oldest_seconds",
            "Age of the oldest task waiting for a worker.",
            labels=["task"],
        )
        waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        for row in waiting.values("task_path").annotate(n=Count("id"), first=Min("enqueued_at")):
            name = task_name(row["task_path"])
            depth.add_metric([name], row["n"])
            oldest.add_metric([name], (now - row["first"]).total_seconds())
        yield depth
        yield oldest
        yield self._by_task(
            "jembatan_tasks_running", "Tasks running now.", TaskResultStatus.RUNNING
        )
        yield self._by_task(
            "jembatan_tasks_failed",
            "Task runs that failed (kept results).",
            TaskResultStatus.FAILED,
        )
        stale = GaugeMetricFamily(
            "jembatan_tasks_stale", "Running tasks whose worker stopped beating."
        )
        stale.add_metric([], len(stale_task_ids()))
        yield stale

    @staticmethod
    def _by_task(name: str, documentation: str, status: str) -> GaugeMetricFamily:
        family = GaugeMetricFamily(name, documentation, labels=["task"])
        rows = DBTaskResult.objects.filter(status=status).values("task_path")
        for row in rows.annotate(n=Count("id")):
            family.add_metric([task_name(row["task_path"])], row["n"])
        return family


def process_metrics() -> bytes:
    """The figures the processes keep: this one's, or every process's in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)  # type: ignore[no-untyped-call]
        return generate_latest(processes)
    return generate_latest(REGISTRY)


def exposition() -> bytes:
    """Every metric in Prometheus' text format: the processes' own, then the database's."""
    database = CollectorRegistry()
    database.register(TaskQueueCollector())
    return process_metrics() + generate_latest(database)


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [
        ipaddress.ip_network(cidr.strip(), strict=False)
        for cidr in settings.JEMBATAN_METRICS_ALLOW.split(",")
        if cidr.strip()
    ]


def may_scrape(request: HttpRequest) -> bool:
    """From an allowed network (the connection's address), or with the bearer token."""
    token = settings.JEMBATAN_METRICS_TOKEN
    sent = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return True
    if "HTTP_X_FORWARDED_FOR" in request.META:
        # Through the reverse proxy the connection's address is the proxy's (often the
        # loopback): only the token opens the metrics to a request that came that way.
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in _allowed_networks())


class MetricsMiddleware:
    """Answer ``/metrics`` (to the allowed only) and time every other request by view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == PATH and request.method in {"GET", "HEAD"}:
            return self._scrape(request)
        start = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match is not None else "unresolved"
        method = request.method if request.method in METHODS else "other"
        REQUEST_SECONDS.labels(view=view, method=method).observe(time.perf_counter() - start)
        return response

    @staticmethod
    def _scrape(request: HttpRequest) -> HttpResponse:
        if not may_scrape(request):
            response = HttpResponse("forbidden\n", status=403, content_type="text/plain")
        else:
            response = HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
        response["Cache-Control"] = "no-store"
        return response
