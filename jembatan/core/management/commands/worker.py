"""``jembatan worker``: django-tasks-db's worker, beating so a dead one is noticed.

Same options as ``db_worker``. A thread beats every ``--beat`` seconds
(``worker_beat``), also while a task runs, and on each beat resumes the tasks of
workers that stopped beating (``recover_stale``). A clean stop marks the worker
stopped; a killed one simply stops beating, and after the lease
(``JEMBATAN_TASK_LEASE_SECONDS``) another worker resumes its task.
"""

from __future__ import annotations

import logging
import os
import queue
import socket
import threading
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError
from django.db import DatabaseError, close_old_connections, connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from jembatan.core.services.tasks import (
    recover_stale,
    worker_beat,
    worker_start,
    worker_stop,
)

logger = logging.getLogger("jembatan.worker")


class Heartbeat:
    """A daemon thread that beats for ``worker_id`` and recovers stale tasks."""

    def __init__(self, *, worker_id: str, every: float) -> None:
        self.worker_id, self.every = worker_id, every
        # A queue, not an Event: one put() wakes the loop at once to stop.
        self.stopping: queue.SimpleQueue[bool] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._loop, name="heartbeat", daemon=True)

    def start(self) -> None:
        # Alive, and whatever a previous process of this id left running resumed,
        # before the first task is claimed.
        recovered = worker_start(
            worker_id=self.worker_id, host=socket.gethostname(), pid=os.getpid()
        )
        self._log(recovered)
        self.thread.start()

    def stop(self) -> None:
        self.stopping.put(True)
        self.thread.join(timeout=self.every + 5)
        worker_stop(worker_id=self.worker_id)

    def beat(self) -> None:
        try:
            worker_beat(worker_id=self.worker_id, host=socket.gethostname(), pid=os.getpid())
            self._log(recover_stale())
        except DatabaseError:
            # A busy SQLite file or a dropped connection: the next beat tries again.
            logger.exception("Heartbeat of worker %s failed", self.worker_id)

    def _log(self, recovered: dict[str, str]) -> None:
        for task_id, outcome in recovered.items():
            logger.warning("Recovered stale task %s: %s", task_id, outcome)

    def _loop(self) -> None:
        try:
            while not self._stop_requested():
                close_old_connections()
                self.beat()
        finally:
            connection.close()  # the thread's own connection

    def _stop_requested(self) -> bool:
        try:
            return self.stopping.get(timeout=self.every)
        except queue.Empty:
            return False


class BeatingWorker(db_worker.Worker):
    """django-tasks-db's worker with a heartbeat around its loop."""

    def __init__(self, *, beat: float, **options: Any) -> None:
        super().__init__(**options)
        self.heartbeat = Heartbeat(worker_id=self.worker_id, every=beat)

    def run(self) -> None:
        self.heartbeat.start()
        try:
            super().run()
        finally:
            self.heartbeat.stop()


class Command(db_worker.Command):
    help = "Run the background task worker, with a heartbeat and recovery of stale tasks."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--beat",
            type=db_worker.valid_interval,
            default=10.0,
            help="Seconds between heartbeats (default: %(default)r)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        reload, batch = options["reload"], options["batch"]
        if reload and batch:
            reload = False
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = BeatingWorker(
            beat=options["beat"],
            queue_names=queue_names,
            interval=options["interval"],
            batch=batch,
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
