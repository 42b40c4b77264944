"""Scale-out drill (issue 13): two web processes and three task workers on one PostgreSQL.

The demo world is seeded into the test database; then ``jembatan web`` runs twice
(two gunicorn masters on two ports, as two machines) and ``jembatan worker`` three
times, all separate processes sharing the database and the file storage. Work goes
in through both web processes at once — three participant imports, a matching run,
the approval of another, certificate PDFs — and one worker is killed with
``kill -9`` while it runs an import, then restarted under its id as systemd would.

What must hold: every import is written exactly once (row counts, no task left
running or queued), the killed task is failed as *worker lost* and its work resumed
by a new task that succeeds, no task result was claimed by two workers, the
matching run finishes once and the approval creates each placement once, and every
page answers the same from either web process.

PostgreSQL only: SQLite is the embedded single-machine database.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jembatan.core.models import ImportJob, TaskWorker
from jembatan.core.nik import encode_nik
from jembatan.demand.models import Placement
from jembatan.demo.processes import (
    BASE_DIR,
    Process,
    Visitor,
    database_url,
    environment,
    free_port,
    wait_until,
    web_process,
    worker_process,
)
from jembatan.matching.models import MatchingRun, RunOutcome, RunStatus
from jembatan.organisations.models import Licence
from jembatan.participants.models import Participant
from jembatan.training.models import Certificate

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="scale-out runs on PostgreSQL"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("audit_rows_cleared_after"),
]

PASSWORD = "jembatan-demo"
IMPORT_ROWS = 1500
IMPORT_TASK = "jembatan.participants.tasks.run_participant_import"


@pytest.fixture
def audit_rows_cleared_after(transactional_db: None) -> Iterator[None]:
    """Empty the append-only audit tables (triggers lifted) so the test's flush can run."""
    yield
    from jembatan.core.models import AccessLog, ChangeRecord
    from jembatan.core.tests.browser import audit_triggers_lifted

    with audit_triggers_lifted(), connection.cursor() as cursor:
        for model in (ChangeRecord, AccessLog):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")


@pytest.fixture
def world(tmp_path: Path, settings: Any) -> Path:
    """The demo world in the test database, its files under ``tmp_path``."""
    ContentType.objects.clear_cache()  # an earlier flushing test may have renumbered them
    settings.MEDIA_ROOT = tmp_path / "private"
    # The servers check passwords with the real hasher, not the suite's fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    call_command("seed", participants=400, force=True, stdout=io.StringIO())
    return tmp_path


@pytest.fixture
def cluster(world: Path) -> Iterator[dict[str, Any]]:
    """Two web processes and three workers, stopped (and their output shown) afterwards."""
    logs = world / "logs"
    logs.mkdir()
    env = environment(
        db_url=database_url(connection.settings_dict),
        var_dir=world,
        JEMBATAN_TASK_LEASE_SECONDS="5",
        JEMBATAN_TWO_FACTOR_REQUIRED="0",
    )
    # The servers run with debug off: they serve static files from the collected manifest.
    collect = [sys.executable, "-m", "jembatan.cli", "collectstatic", "--no-input", "-v0"]
    subprocess.run(collect, env=env, cwd=BASE_DIR, check=True)
    ports = [free_port(), free_port()]
    webs = [web_process(f"web-{i}", port=p, env=env, logs=logs) for i, p in enumerate(ports)]
    workers = {w: worker_process(w, env=env, logs=logs) for w in ("w1", "w2", "w3")}
    running: list[Process] = [p.start() for p in [*webs, *workers.values()]]
    bases = [f"http://127.0.0.1:{p}" for p in ports]
    try:
        for base in bases:
            wait_until(lambda b=base: _alive(b), timeout=60, what=f"{base}/healthz")
        wait_until(
            lambda: TaskWorker.objects.filter(stopped_at__isnull=True).count() == 3,
            timeout=60,
            what="three workers beating",
        )
        yield {"bases": bases, "workers": workers, "env": env, "logs": logs, "running": running}
    except BaseException:
        for process in running:
            print(f"--- {process.name} ---\n{process.output()}")
        raise
    finally:
        for process in running:
            process.stop()


def _alive(base: str) -> bool:
    try:
        return Visitor().get(f"{base}/healthz").status == 200
    except OSError:
        return False


def _import_file(first_serial: int, licence: str) -> bytes:
    """``IMPORT_ROWS`` valid people of Kota Semarang, NIKs no seeded person holds."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["nik", "full_name", "sex", "birth_place", "birth_date", "phone", "email", "address",
         "regency_code", "education", "sending_organisation_licence"]
    )  # fmt: skip
    for serial in range(first_serial, first_serial + IMPORT_ROWS):
        district, number = divmod(serial, 9000)
        nik = encode_nik(
            regency_code="33.74",
            district=40 + district,
            birth_date=dt.date(2001, 3, 9),
            sex="M",
            serial=number + 1,
        )
        writer.writerow(
            [nik, f"Peserta Skala {serial}", "L", "Semarang", "09/03/2001",
             f"0812{serial:08d}", f"skala{serial}@contoh.id", "Jl. Pandanaran 1",
             "33.74", "SMK", licence]
        )  # fmt: skip
    return out.getvalue().encode()


def _submit_import(base: str, sender: Visitor, content: bytes, number: int) -> int:
    answer = sender.post(
        f"{base}/impor/baru/",
        {"authority": "signed_forms"},
        files={"file": (f"peserta-{number}.csv", content)},
    )
    assert answer.status == 302, answer.text[:2000]
    match = re.search(r"/impor/(\d+)/", answer.headers["Location"])
    assert match, answer.headers["Location"]
    return int(match.group(1))


def _notices(page: str) -> list[str]:
    """The messages a page shows the person (for a failure's explanation)."""
    notice = r'<(?:li|p)[^>]*class="[^"]*(?:message|error|alert)[^"]*"[^>]*>(.*?)</'
    return re.findall(notice, page, re.S)


def _running_import_worker() -> tuple[DBTaskResult, str] | None:
    running = DBTaskResult.objects.filter(task_path=IMPORT_TASK, status=TaskResultStatus.RUNNING)
    for result in running:
        if result.worker_ids:
            return result, result.worker_ids[-1]
    return None


def _all_settled() -> bool:
    open_tasks = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    )
    jobs_open = ImportJob.objects.exclude(status__in=["done", "failed"]).exists()
    return not open_tasks.exists() and not jobs_open


def test_two_web_processes_and_three_workers_lose_no_task_and_run_none_twice(
    cluster: dict[str, Any],
) -> None:
    web_a, web_b = cluster["bases"]
    before = Participant.objects.count()
    licence = Licence.objects.get(organisation__name="LPK Sakura Mandiri", status="active")
    sender_a, sender_b, officer = Visitor(), Visitor(), Visitor()
    sender_a.sign_in(web_a, "demo-sender", PASSWORD)
    sender_b.sign_in(web_b, "demo-sender", PASSWORD)  # a second device, the other machine
    officer.sign_in(web_b, "demo-officer", PASSWORD)

    # Given three imports handed in through both web processes at once
    jobs: list[int] = []
    submissions = [
        threading.Thread(
            target=lambda n=n, who=who, base=base: jobs.append(
                _submit_import(base, who, _import_file(n * IMPORT_ROWS, licence.number), n)
            )
        )
        for n, (who, base) in enumerate([(sender_a, web_a), (sender_b, web_b), (sender_a, web_b)])
    ]
    for thread in submissions:
        thread.start()
    # and a matching run started through the other, over the seeded run's pool
    waiting = MatchingRun.objects.get(status=RunStatus.DONE)
    answer = officer.post(
        f"{web_a}/pencocokan/baru/",
        {
            "name": "Drill run",
            "method": "stable",
            "rounds": [str(r.pk) for r in waiting.rounds.all()],
            "job_orders": [str(j.pk) for j in waiting.job_orders.all()],
        },
    )
    assert answer.status == 302, answer.text[:2000]
    for thread in submissions:
        thread.join(timeout=120)
    assert len(jobs) == 3

    # When the worker running an import is killed with -9, then restarted under its id
    claimed, victim_id = wait_until(_running_import_worker, timeout=60, what="an import running")
    cluster["workers"][victim_id].kill_hard()
    # (systemd's Restart=always: the same --worker-id, a new process)
    killed = cluster["workers"][victim_id]
    again = replace(killed, name=f"{victim_id}-again", log_path=killed.log_path.with_suffix(".2"))
    cluster["running"].append(again.start())

    # and certificates are printed from both web processes meanwhile
    admin = Visitor()
    admin.sign_in(web_a, "demo-admin", PASSWORD)
    certificates = list(
        Certificate.objects.filter(issuer_licence_number="").values_list("pk", flat=True)[:6]
    )
    assert certificates, "the demo world has certificates to print"
    for index, pk in enumerate(certificates):
        pdf = admin.get(f"{(web_a, web_b)[index % 2]}/pelatihan/sertifikat/{pk}/pdf/")
        assert pdf.status == 200 and pdf.body.startswith(b"%PDF"), pdf.status

    # and the run, once finished, approved by a second person, signed in on one machine
    # and approving through the other (who starts a run may not approve it)
    drill = wait_until(
        lambda: MatchingRun.objects.filter(name="Drill run", status=RunStatus.DONE).first(),
        timeout=120,
        what="the drill run finished",
    )
    detail = f"{web_b}/pencocokan/{drill.pk}/"
    answer = admin.post(f"{detail}setujui/", {}, form_url=detail)
    assert answer.status == 302
    page = admin.get(detail).text
    assert "sedang dibuat" in page, _notices(page)

    wait_until(_all_settled, timeout=240, what="every task finished", every=0.5)

    # Then every import is written exactly once
    finished = ImportJob.objects.filter(pk__in=jobs)
    assert sorted(finished.values_list("status", flat=True)) == ["done"] * 3
    assert sorted(finished.values_list("outcome", flat=True)) == ["written"] * 3
    assert Participant.objects.count() == before + 3 * IMPORT_ROWS
    # the killed task failed as lost, and a new task resumed its import and succeeded
    claimed.refresh_from_db()
    assert claimed.status == TaskResultStatus.FAILED
    assert "WorkerLost" in claimed.exception_class_path
    imports = DBTaskResult.objects.filter(task_path=IMPORT_TASK)
    assert imports.filter(status=TaskResultStatus.SUCCESSFUL).count() == 3
    assert imports.filter(status=TaskResultStatus.FAILED).count() == 1
    # no result anywhere was claimed by two workers, and nothing is left behind
    for result in DBTaskResult.objects.all():
        assert len(result.worker_ids) == 1, (result.task_path, result.worker_ids)
    assert not DBTaskResult.objects.exclude(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]
    ).exists()
    # the matching run finished once; the approval placed each person once
    drill.refresh_from_db()
    assert drill.status == RunStatus.APPROVED, drill.approval_error
    matched = RunOutcome.objects.filter(run=drill, job_order__isnull=False)
    assert matched.exists() and not matched.filter(placement__isnull=True).exists()
    people = list(matched.values_list("participant_id", flat=True))
    offers = Placement.objects.filter(
        participant_id__in=people, job_order__in=drill.job_orders.all()
    )
    assert sorted(offers.values_list("participant_id", flat=True)) == sorted(people)

    # and every page answers the same from either web process
    for path in ("/", "/peserta/", f"/impor/{jobs[0]}/", f"/pencocokan/{drill.pk}/", "/lowongan/"):
        answers = [admin.get(f"{base}{path}") for base in (web_a, web_b)]
        assert [a.status for a in answers] == [200, 200], path
