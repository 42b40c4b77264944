"""``jembatan import participants FILE``: import a spreadsheet from the console.

Exit codes: 0 when the import did what was asked (every row valid, or
``--skip-invalid`` wrote the valid ones, or a clean ``--dry-run``); 1 when
rows have errors and nothing was written; 2 when the file could not be read
as participant data (not a spreadsheet, too big, missing columns...). A report
listing every problem is always written.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from jembatan.core import stored_files
from jembatan.core.models import ImportJob
from jembatan.participants.services import importing

EXIT_OK, EXIT_INVALID_ROWS, EXIT_UNREADABLE = 0, 1, 2


class Command(BaseCommand):
    help = "Import records from a spreadsheet (.xlsx, .ods, .csv). Kinds: participants."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["participants"], help="what the file holds")
        parser.add_argument("file", type=Path, help="the .xlsx, .ods or .csv file")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="write the valid rows, report the rest"
        )
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--report", type=Path, help="also write the report here (.xlsx, or .csv)"
        )
        parser.add_argument(
            "--organisation-licence",
            default="",
            metavar="NUMBER",
            help="licence of rows that leave it empty; rows naming another one are refused",
        )

        parser.add_argument(
            "--authority",
            choices=ImportJob.Authority.values,
            default="",
            help="on whose authority the data was collected (required unless --dry-run): "
            + "; ".join(f"{c.value} = {c.label}" for c in ImportJob.Authority),
        )
        parser.add_argument(
            "--privacy-notice-version",
            type=int,
            default=None,
            metavar="N",
            help="the privacy notice version the people were shown (default: the one in force)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file", returncode=EXIT_UNREADABLE)
        job = self._run(path, options)
        self._print(job)
        self._copy_report(job, options["report"])
        code = exit_code(job)
        if code:
            raise SystemExit(code)

    def _run(self, path: Path, options: dict[str, Any]) -> ImportJob:
        try:
            return importing.import_create(
                acting_user=None,
                chunks=importing.file_chunks(path),
                file_name=path.name,
                dry_run=options["dry_run"],
                skip_invalid=options["skip_invalid"],
                default_licence=options["organisation_licence"],
                authority=options["authority"],
                privacy_notice_version=options["privacy_notice_version"],
                run_now=True,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages), returncode=EXIT_UNREADABLE) from error

    def _print(self, job: ImportJob) -> None:
        out = self.stdout if job.status == ImportJob.Status.DONE else self.stderr
        out.write(f"{job.get_outcome_display()} ({job.file_name}, sheet {job.sheet_name or '-'})")
        if job.error_message:
            self.stderr.write(job.error_message)
        for note in job.notes:
            self.stdout.write(f"  {note}")
        self.stdout.write(
            f"  rows {job.rows_total}, valid {job.rows_valid}, invalid {job.rows_invalid}, "
            f"already registered {job.rows_existing}, created {job.rows_created}, "
            f"errors {job.error_count}, warnings {job.warning_count}"
        )
        self.stdout.write(f"  report: {importing.report_file(job, 'xlsx')}")

    def _copy_report(self, job: ImportJob, target: Path | None) -> None:
        if target is None:
            return
        kind = "csv" if target.suffix.lower() == ".csv" else "xlsx"
        report = importing.report_file(job, kind)
        with stored_files.open_stored(report) as source, target.open("wb") as copy:
            shutil.copyfileobj(source, copy)
        self.stdout.write(f"  report copied to {target}")


def exit_code(job: ImportJob) -> int:
    """0 done as asked, 1 rows with errors and nothing written, 2 unreadable file."""
    if job.outcome == ImportJob.Outcome.UNREADABLE:
        return EXIT_UNREADABLE
    if job.status == ImportJob.Status.FAILED:
        return EXIT_INVALID_ROWS
    if job.rows_invalid and not job.skip_invalid:
        return EXIT_INVALID_ROWS
    return EXIT_OK
