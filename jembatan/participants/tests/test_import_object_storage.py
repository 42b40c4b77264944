"""An import whose file and reports live in an S3-compatible object store (no path on disk)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jembatan.core.tests.object_store import Bucket
from jembatan.participants.models import Participant
from jembatan.participants.tests.test_import_helpers import (  # noqa: F401 - fixtures
    as_lists,
    english,
    report_lines,
    row,
    run_file,
    write_csv,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "lpk_a")]


def test_an_import_reads_its_file_from_the_bucket_and_keeps_its_reports_there(
    s3_storage: Bucket, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "p.csv", as_lists([row(1), row(2)]))

    job = run_file(path)

    assert (job.status, job.outcome, job.rows_created) == ("done", "written", 2)
    assert Participant.objects.count() == 2
    stored = s3_storage.objects()
    assert stored[job.file_path] == path.read_bytes()
    assert {job.report_path, job.report_csv_path} < set(stored)
    assert report_lines(job) == []


def test_an_import_with_problems_reports_them_from_the_bucket(
    s3_storage: Bucket, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "p.csv", as_lists([row(1), row(2, sex="X")]))

    job = run_file(path)

    assert (job.outcome, job.rows_invalid) == ("refused", 1)
    assert [line[0] for line in report_lines(job)] == ["3"]
