"""gunicorn's settings for ``jembatan web`` (read as ``-c python:config.gunicorn_conf``).

Every value comes from the environment with a default that suits one 2-core
server behind nginx; ``docs/operations.md`` lists them. Options given on the
command line (``jembatan web --workers 4``) override these.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Any

bind = os.environ.get("JEMBATAN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("JEMBATAN_WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# A slow client or a stuck request must not hold a worker for ever; uploads and
# reports that take longer are tasks, not requests.
timeout = int(os.environ.get("JEMBATAN_WEB_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
threads = int(os.environ.get("JEMBATAN_WEB_THREADS", 1))
# Recycle workers now and then so a slow leak cannot grow without bound, but seldom: a
# new worker imports the application and warms its caches again, about 2 s of CPU. After
# every 2,000 requests (the old limit) that was a millisecond of every request, a third of
# a short page's cost under load (bench/load_lists.py). 0 turns recycling off.
max_requests = int(os.environ.get("JEMBATAN_WEB_MAX_REQUESTS", 100_000))
max_requests_jitter = max_requests // 10
# Each worker opens its own database connections (no shared state across forks).
preload_app = False
# X-Forwarded-* headers are believed only from these addresses (the proxy).
forwarded_allow_ips = os.environ.get("JEMBATAN_TRUSTED_PROXIES", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# The access log carries no query strings (they may hold a NIK or a name searched for).
# The last field is the request id the application logged under (core/logs.py).
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms %({x-request-id}o)s'


def child_exit(server: Any, worker: Any) -> None:
    """A worker that exited is forgotten by the metrics (prometheus-client multiprocess mode)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
