"""Import participants from a spreadsheet: check every row, then write all or nothing.

One :class:`~jembatan.core.models.ImportJob` is one import, from the pages
(queued as a task) or the ``jembatan import participants`` command.
:func:`import_run` checks the file (:mod:`jembatan.participants.import_checks`)
and then writes:

* by default all or nothing: one row with an error and nothing is written;
* with ``skip_invalid`` only the valid rows;
* with ``dry_run`` nothing at all.

Rows are inserted with ``bulk_create`` in one transaction, with one audit
record (``participants.import``) for the whole import. Progress is saved
every few thousand rows outside that transaction, so the progress page can
show it. Every import leaves a report (xlsx and CSV) listing every problem.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Model
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core import spreadsheet, stored_files
from jembatan.core.access import role_of
from jembatan.core.audit import actor_label, record_change
from jembatan.core.locks import lock_import_job
from jembatan.core.logs import enqueue
from jembatan.core.models import ImportJob
from jembatan.core.roles import NATIONAL, Role
from jembatan.core.spreadsheet import SpreadsheetError
from jembatan.core.workflows import IMPORT_WORKFLOW, ImportAction
from jembatan.participants.errors import ParticipantErrorCode
from jembatan.participants.fields import IMPORTED, attnames
from jembatan.participants.import_checks.columns import COLUMNS, LICENCE
from jembatan.participants.import_checks.problems import FileRefused
from jembatan.participants.import_checks.registry import BATCH_SIZE
from jembatan.participants.import_checks.rows import CheckedRow, Scope
from jembatan.participants.import_checks.whole_file import Checked, Progress, check_file
from jembatan.participants.models import (
    Consent,
    ConsentPurpose,
    ConsentText,
    JourneyStatus,
    Participant,
    ParticipantStatusChange,
)
from jembatan.participants.selectors import current_consent_text
from jembatan.participants.services.duplicates import flag_probable_duplicates_of_many

OPERATION = "participants.import"
IMPORTERS = NATIONAL | {Role.PROVINCIAL_OFFICER, Role.SENDER_OPERATOR}
HISTORY_READERS = IMPORTERS | {Role.AUDITOR}
UPLOAD_CHUNK = 1024 * 1024

# --- writing ---------------------------------------------------------------------------


def write_rows(rows: Iterable[CheckedRow], *, job: ImportJob) -> int:
    """Create the participants of ``rows`` in one transaction; return how many.

    Side effects: a *registered* status step per participant, a review flag for
    each probable duplicate (same name and birth date, another NIK) and one
    change record (``participants.import``) for the whole import.
    """
    now = timezone.now()
    records = [
        _model_values(row.values) | {"status_changed_at": now, "created_at": now} for row in rows
    ]
    by = job.created_by_id
    with transaction.atomic():
        bulk_insert(Participant, [r | {"registered_by_id": by} for r in records])
        new_ids = _ids_of([r["nik"] for r in records])
        _initial_statuses(new_ids, job=job, at=now)
        _consents(new_ids, job=job, at=now)
        flag_probable_duplicates_of_many(
            participant_ids=new_ids, acting_user=job.created_by or job.created_by_label
        )
        record_change(
            acting_user=job.created_by or job.created_by_label,
            operation=OPERATION,
            instance=job,
            action="bulk",
            changes=_counts(job, len(records)),
        )
    return len(records)


def _model_values(values: dict[str, Any]) -> dict[str, Any]:
    """A checked row as participant columns: the imported details and what follows from them."""
    model = {name: values[name] for name in attnames(IMPORTED)}
    model["province_id"] = values["province_id"]
    model["sending_organisation_id"] = values["sending_organisation_id"]
    model["status"] = JourneyStatus.REGISTERED
    # A NIK that disagrees with the birth date or sex: imported, awaiting an officer.
    model["nik_mismatch"] = values.get("nik_mismatch", "")
    return model


def _initial_statuses(ids: list[int], *, job: ImportJob, at: dt.datetime) -> None:
    """The first step of each new participant's journey, as a registration would record it."""
    reason = _("Imported from %(file)s (import %(id)s)") % {"file": job.file_name, "id": job.pk}
    common = {
        "from_status": "",
        "to_status": JourneyStatus.REGISTERED,
        "at": at,
        "by_id": job.created_by_id,
        "by_label": job.created_by_label,
        "reason": reason,
    }
    steps = [common | {"participant_id": pk} for pk in ids]
    bulk_insert(ParticipantStatusChange, steps)


def _consents(ids: list[int], *, job: ImportJob, at: dt.datetime) -> None:
    """Each new person's agreement to the privacy notice the importer declared they were shown."""
    if job.privacy_notice_version is None:
        return
    text = ConsentText.objects.get(
        purpose=ConsentPurpose.PRIVACY_NOTICE, version=job.privacy_notice_version
    )
    basis = _("%(authority)s (import %(id)s, %(file)s)") % {
        "authority": job.get_authority_display(),
        "id": job.pk,
        "file": job.file_name,
    }
    common = {
        "purpose": ConsentPurpose.PRIVACY_NOTICE,
        "text_id": text.pk,
        "language": "id",
        "agreed_at": at,
        "recorded_by_id": job.created_by_id,
        "basis": basis[:300],
    }
    bulk_insert(Consent, [common | {"participant_id": pk} for pk in ids])


def _ids_of(niks: list[str]) -> list[int]:
    """Ids of the participants with these NIKs (chunked ``__in`` queries)."""
    ids: list[int] = []
    for start in range(0, len(niks), BATCH_SIZE):
        chunk = niks[start : start + BATCH_SIZE]
        ids += Participant.objects.filter(nik__in=chunk).values_list("id", flat=True)
    return ids


# Types whose Python values the database driver cannot take as they are.
_PREPARED_TYPES = frozenset(
    {"DateField", "DateTimeField", "TimeField", "JSONField", "UUIDField", "DecimalField"}
)


def bulk_insert(model: type[Model], rows: list[dict[str, Any]]) -> None:
    """INSERT ``rows`` (dicts by attribute name) with ``executemany``, 5,000 at a time.

    ``bulk_create`` builds a model instance and prepares every field of every
    row through the ORM, and on SQLite sends at most 999 parameters (29 rows
    of a participant) per statement; for 100,000 rows that is most of an
    import's time. This sends one prepared statement per batch instead. Only
    identifiers from the model's metadata go into the SQL; values are always
    parameters, and the database's constraints (unique NIK, checks) still apply.
    Fields missing from a row get their model default.
    """
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    converters = [_converter(f, connection) for f in fields]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_SIZE):
            batch = rows[start : start + BATCH_SIZE]
            cursor.executemany(sql, [[convert(row) for convert in converters] for row in batch])


def _converter(model_field: Any, connection: Any) -> Callable[[dict[str, Any]], Any]:
    """A function giving the database value of ``model_field`` for one row dict."""
    name = model_field.attname
    needs_default = model_field.has_default() and callable(model_field.default)
    default = None if needs_default else model_field.get_default()
    prepare = model_field.get_internal_type() in _PREPARED_TYPES
    last: list[Any] = [object(), None]  # rows often share a value (the import's timestamp)

    def convert(row: dict[str, Any]) -> Any:
        value = (
            row[name] if name in row else (model_field.get_default() if needs_default else default)
        )
        if not prepare or value is None:
            return value
        if value is not last[0]:
            last[0], last[1] = value, model_field.get_db_prep_save(value, connection)
        return last[1]

    return convert


def _counts(job: ImportJob, created: int) -> dict[str, Any]:
    return {
        "file": job.file_name,
        "sha256": job.sha256,
        "rows": job.rows_total,
        "created": created,
        "already_registered": job.rows_existing,
        "invalid_skipped": job.rows_invalid,
        "skip_invalid": job.skip_invalid,
    }


# --- running a job ----------------------------------------------------------------------


def import_run(job: ImportJob) -> ImportJob:
    """Check ``job``'s file, write what the options allow, save the report; never raises
    for a bad file (the job says why it failed)."""
    import_job_move(
        job=job,
        action=ImportAction.START,
        phase=ImportJob.Phase.READING,
        started_at=timezone.now(),
    )
    try:
        with stored_files.local_copy(job.file_path) as path:
            checked = check_file(path, scope=Scope.for_job(job), progress=_progress(job))
    except FileRefused as refusal:
        return _finish_unreadable(job, refusal.message)
    _record_checked(job, checked)
    try:
        created = _write_if_allowed(job, checked)
    except IntegrityError:
        return _finish_race(job, checked)
    job.rows_created = created
    job.outcome = _outcome(job)
    _write_reports(job, checked.rows)
    return import_job_move(job=job, action=ImportAction.FINISH, phase=ImportJob.Phase.FINISHED)


def _write_if_allowed(job: ImportJob, checked: Checked) -> int:
    if job.dry_run or (job.rows_invalid and not job.skip_invalid):
        return 0
    _save(job, phase=ImportJob.Phase.WRITING)
    return write_rows(checked.new, job=job)


def _outcome(job: ImportJob) -> str:
    if job.dry_run:
        return ImportJob.Outcome.CHECKED
    if not job.rows_invalid:
        return ImportJob.Outcome.WRITTEN
    return ImportJob.Outcome.PARTIAL if job.skip_invalid else ImportJob.Outcome.REFUSED


def _record_checked(job: ImportJob, checked: Checked) -> None:
    problems = list(checked.problems)
    job.file_format = checked.table.format
    job.sheet_name = checked.table.sheet
    job.rows_total = job.rows_checked = len(checked.rows)
    job.rows_invalid = len(checked.invalid)
    job.rows_existing = sum(1 for r in checked.rows if r.existing)
    job.rows_valid = job.rows_total - job.rows_invalid
    job.error_count = sum(1 for p in problems if p.severity == "error")
    job.warning_count = sum(1 for p in problems if p.severity == "warning")
    job.notes = checked.notes


def _finish_unreadable(job: ImportJob, message: str) -> ImportJob:
    job.error_message = message
    job.outcome = ImportJob.Outcome.UNREADABLE
    _write_reports(job, [], file_problem=message)
    return import_job_move(job=job, action=ImportAction.FAIL, phase=ImportJob.Phase.FINISHED)


def _finish_race(job: ImportJob, checked: Checked) -> ImportJob:
    job.error_message = _(
        "While this file was being checked, another import or registration added some of "
        "the same NIKs. Nothing was written; import the file again."
    )
    job.outcome = ImportJob.Outcome.REFUSED
    _write_reports(job, checked.rows)
    return import_job_move(job=job, action=ImportAction.FAIL, phase=ImportJob.Phase.FINISHED)


def _progress(job: ImportJob) -> Progress:
    def report(phase: str, done: int, total: int) -> None:
        _save(job, phase=phase, rows_checked=done, rows_total=total)

    return report


def import_job_move(*, job: ImportJob, action: ImportAction, **fields: Any) -> ImportJob:
    """Move ``job`` as the table allows (core/workflows.py), saving ``fields`` with it."""
    step = IMPORT_WORKFLOW.check(job.status, action, name=f"#{job.pk}")
    return _save(job, status=step.target, **fields)


def _save(job: ImportJob, **fields: Any) -> ImportJob:
    """Update ``job`` at once (outside any write transaction) so the progress page sees it."""
    for name, value in fields.items():
        setattr(job, name, value)
    if job.is_finished and job.finished_at is None:
        job.finished_at = timezone.now()
    job.save()
    return job


def importer_label(user: Any) -> str:
    """How the audit trail and history name the importer."""
    return actor_label(user)


# --- reports ----------------------------------------------------------------------------


def report_headings() -> list[str]:
    """Headings of the problem table, in the reader's language."""
    return [
        _("Row"),
        _("Cell"),
        _("Column"),
        _("Value"),
        _("Severity"),
        _("Problem"),
        _("How to fix"),
    ]


def _severity_label(severity: str) -> str:
    labels = {"error": _("error"), "warning": _("warning"), "info": _("note")}
    return labels.get(severity, severity)


def problem_rows(rows: Iterable[CheckedRow], *, file_problem: str = "") -> Iterator[list[object]]:
    """One report line per problem; the file-level refusal first if there is one."""
    if file_problem:
        yield [0, "", "", "", _severity_label("error"), file_problem, ""]
    for row in rows:
        for p in row.problems:
            severity = _severity_label(p.severity)
            yield [p.row, p.cell, p.heading, p.value, severity, p.message, p.fix]


def summary_rows(job: ImportJob) -> list[list[object]]:
    """The job's facts, for the report's first sheet."""
    facts: list[tuple[str, object]] = [
        (_("File"), job.file_name),
        (_("Checksum (SHA-256)"), job.sha256),
        (_("Format"), job.file_format),
        (_("Sheet read"), job.sheet_name),
        (_("Imported by"), job.created_by_label),
        (_("Started"), timezone.localtime(job.started_at).isoformat() if job.started_at else ""),
        (_("Dry run"), _("yes") if job.dry_run else _("no")),
        (_("Skip invalid rows"), _("yes") if job.skip_invalid else _("no")),
        (_("Rows"), job.rows_total),
        (_("Valid rows"), job.rows_valid),
        (_("Invalid rows"), job.rows_invalid),
        (_("Already registered"), job.rows_existing),
        (_("Records created"), job.rows_created),
        (_("Outcome"), str(job.get_outcome_display())),
        (_("Why the file was refused"), job.error_message),
    ]
    facts += [(_("Note"), note) for note in job.notes]
    return [[label, value] for label, value in facts]


def _write_reports(job: ImportJob, rows: list[CheckedRow], *, file_problem: str = "") -> None:
    """Write both reports to a private temporary folder, then keep them in the storage."""
    stem = f"import-{job.pk}-{job.sha256[:12]}"
    headings = report_headings()
    with tempfile.TemporaryDirectory(prefix="jembatan-") as folder:
        xlsx, csv_path = Path(folder) / f"{stem}.xlsx", Path(folder) / f"{stem}.csv"
        spreadsheet.write_xlsx(
            xlsx,
            [
                (_("Problems"), headings, problem_rows(rows, file_problem=file_problem)),
                (_("Summary"), [_("Item"), _("Value")], summary_rows(job)),
            ],
        )
        spreadsheet.write_csv(csv_path, headings, problem_rows(rows, file_problem=file_problem))
        job.report_path = stored_files.store_path(f"imports/reports/{xlsx.name}", xlsx)
        job.report_csv_path = stored_files.store_path(f"imports/reports/{csv_path.name}", csv_path)


# --- starting an import -----------------------------------------------------------------


def import_create(
    *,
    acting_user: Any,
    chunks: Iterable[bytes],
    file_name: str,
    dry_run: bool = False,
    skip_invalid: bool = False,
    default_licence: str = "",
    authority: str = "",
    privacy_notice_version: int | None = None,
    run_now: bool = False,
) -> ImportJob:
    """Keep the file in the storage, create its job, and run it (now or as a task).

    ``created_by`` is a user (pages) or None (the console command). An import
    that writes states on whose ``authority`` the data was collected and which
    version of the privacy notice the people were shown (None: the one in
    force); each person imported gets that consent, with the authority as its
    basis. The file is refused at once, before a job exists, if it is too big
    or not a spreadsheet at all; everything else is reported by the job.
    """
    _ensure_may_import(acting_user)
    if not dry_run:
        privacy_notice_version = _declared_notice(authority, privacy_notice_version)
    stored, digest, size = _store_upload(chunks)
    job = ImportJob.objects.create(
        kind=ImportJob.Kind.PARTICIPANTS,
        created_by=acting_user,
        created_by_label=actor_label(acting_user or "cli"),
        organisation_id=getattr(acting_user, "organisation_id", None),
        file_name=Path(file_name).name[:255],
        file_path=stored,
        file_size=size,
        sha256=digest,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        default_licence=" ".join(default_licence.split()),
        authority="" if dry_run else authority,
        privacy_notice_version=None if dry_run else privacy_notice_version,
    )
    if run_now:
        return import_run(job)
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


@transaction.atomic
def import_requeue(*, job_id: int, acting_user: Any) -> str:
    """Run again an import whose worker died (the recovery of core/task_recovery.py).

    A *running* job goes back to *queued* with its progress reset: its rows are
    written in one transaction (``write_rows``), so a dead run wrote none, and a run
    that died after that transaction finds its rows already registered and writes
    none twice. A job still *queued* just gets its task again; a finished one nothing.
    """
    job = lock_import_job(job_id)
    if job.is_finished:
        return _("Nothing to do: the import had finished.")
    if job.status == ImportJob.Status.RUNNING:
        import_job_move(
            job=job,
            action=ImportAction.REQUEUE,
            phase=ImportJob.Phase.WAITING,
            rows_checked=0,
            started_at=None,
        )
        record_change(
            acting_user=acting_user,
            operation="participants.import_requeue",
            instance=job,
            action="transition",
            changes={"status": {"before": ImportJob.Status.RUNNING, "after": job.status}},
        )
    transaction.on_commit(lambda: _enqueue(job.pk))
    return _("Import #%(id)s queued again.") % {"id": job.pk}


def _declared_notice(authority: str, version: int | None) -> int:
    """The privacy-notice version an import declares, checked with its authority."""
    if authority not in ImportJob.Authority.values:
        raise ValidationError(
            {
                "authority": _(
                    "Say on whose authority the people's data was collected (%(choices)s)."
                )
                % {"choices": ", ".join(ImportJob.Authority.values)}
            },
            code=ParticipantErrorCode.AUTHORITY_MISSING,
        )
    current = current_consent_text(ConsentPurpose.PRIVACY_NOTICE)
    if current is None:
        raise ValidationError(
            _("No privacy notice is published."), code=ParticipantErrorCode.NO_NOTICE
        )
    if version is not None and version != current.version:
        raise ValidationError(
            {
                "privacy_notice_version": _(
                    "Version %(given)s of the privacy notice is not the one in force "
                    "(version %(current)s): read it and import again."
                )
                % {"given": version, "current": current.version}
            },
            code=ParticipantErrorCode.NOTICE_VERSION,
        )
    return current.version


def _enqueue(job_id: int) -> None:
    from jembatan.participants.tasks import run_participant_import

    enqueue(run_participant_import, job_id)


def _ensure_may_import(user: Any) -> None:
    """Pages pass the signed-in user; only importers may start an import."""
    if user is not None and role_of(user) not in IMPORTERS:
        raise PermissionDenied


def _limits() -> spreadsheet.Limits:
    return spreadsheet.Limits.from_settings()


def _store_upload(chunks: Iterable[bytes]) -> tuple[str, str, int]:
    """Keep the file under a random name (never the user's): (name, SHA-256, size).

    It is refused past the size limit, or when it is not a spreadsheet at all, before
    anything reaches the storage.
    """
    limit = _limits().max_bytes
    try:
        with stored_files.spooled(chunks, limit=limit) as (path, digest, size):
            try:
                spreadsheet.detect_format(path, limits=_limits())
            except SpreadsheetError as error:
                raise ValidationError(error.message, code=error.code) from error
            stored = stored_files.store_path(f"imports/uploads/{uuid.uuid4().hex}", path)
    except stored_files.TooBig as too_big:
        refusal = SpreadsheetError("too_big", **_sizes(too_big.size, limit))
        raise ValidationError(refusal.message) from None
    return stored, digest, size


def _sizes(size: int, limit: int) -> dict[str, str]:
    return {
        "size": _("more than %(size)s") % {"size": spreadsheet.human_size(limit)},
        "limit": spreadsheet.human_size(limit),
    }


def file_chunks(path: Path) -> Iterator[bytes]:
    """A file on disk as upload-sized chunks (for the console command)."""
    with path.open("rb") as handle:
        yield from iter(lambda: handle.read(UPLOAD_CHUNK), b"")


def run_job(job_id: int) -> ImportJob:
    """Run a queued job once (the task); a finished job is left as it is."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if not IMPORT_WORKFLOW.allows(job.status, ImportAction.START):
        return job  # started or finished already: a task delivered twice does nothing
    try:
        return import_run(job)
    except Exception:
        import_job_move(
            job=job,
            action=ImportAction.FAIL,
            phase=ImportJob.Phase.FINISHED,
            error_message=_(
                "The import stopped because of an internal error; nothing was written."
            ),
        )
        raise


# --- the stored reports ----------------------------------------------------------------------


def report_file(job: ImportJob, kind: str) -> str:
    """The storage name of ``job``'s report (``xlsx`` or ``csv``), or 404 if there is none."""
    name = job.report_csv_path if kind == "csv" else job.report_path
    if not stored_files.exists(name):
        raise Http404
    return name


# --- the template ---------------------------------------------------------------------------

TEMPLATE_SHEETS = {"id": ("Peserta", "Petunjuk"), "en": ("Participants", "Instructions")}
TEXT_COLUMNS = frozenset({"nik", "phone", "regency_code", "birth_date"})


def template_workbook(language: str) -> bytes:
    """An empty import file with the headings in ``language`` and an instructions sheet.

    The NIK, phone, code and date columns are formatted as Text, so Excel keeps
    all 16 digits of a NIK and the leading 0 of a phone number.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    data_title, help_title = TEMPLATE_SHEETS.get(language, TEMPLATE_SHEETS["id"])
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = data_title
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=_heading(column, language))
        cell.font = Font(bold=True)
        letter = spreadsheet.column_letter(index - 1)
        sheet.column_dimensions[letter].width = 24
        if column.field in TEXT_COLUMNS:
            for row in range(2, 1002):
                sheet.cell(row=row, column=index).number_format = "@"
    _instructions(workbook.create_sheet(help_title), language)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _heading(column: Any, language: str) -> str:
    return str(column.heading_for(language))


def _instructions(sheet: Any, language: str) -> None:
    from openpyxl.styles import Font

    sheet.append([_("Column"), _("Required"), _("What to write"), _("Example")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        required = column.required or column.field == LICENCE
        sheet.append(
            [
                _heading(column, language),
                _("yes") if required else _("no"),
                str(COLUMN_HELP[column.field]()),
                COLUMN_EXAMPLES[column.field],
            ]
        )
    sheet.append([])
    for line in _general_instructions():
        sheet.append([line])
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["C"].width = 90
    sheet.column_dimensions["D"].width = 24


def _general_instructions() -> list[str]:
    return [
        _("One participant per row, headings in the first row; do not merge cells."),
        _("Headings may be in Indonesian or English; the order of the columns does not matter."),
        _("Only the first visible sheet (or the one named Peserta/Participants) is read."),
        _("Cells are read as values: formulas are never run."),
        _("A participant already registered with the same data is reported, not added twice."),
    ]


COLUMN_HELP = {
    "nik": lambda: _("16 digits, as on the identity card (KTP). Keep the column as Text."),
    "full_name": lambda: _("Full name as on the KTP."),
    "sex": lambda: _("L or P (also M/F, Laki-laki/Perempuan)."),
    "birth_place": lambda: _("Place of birth as on the KTP."),
    "birth_date": lambda: _("dd/mm/yyyy (day first), or yyyy-mm-dd, or a date cell."),
    "phone": lambda: _("Indonesian number, e.g. 0812-3456-7890."),
    "email": lambda: _("E-mail address."),
    "address": lambda: _("Street address."),
    "regency_code": lambda: _("Kemendagri code of the regency/city: 33.74 or 3374."),
    "education": lambda: _("SD, SMP, SMA, SMK, D1, D2, D3, S1/D4 or S2."),
    LICENCE: lambda: _(
        "Kemnaker licence number of the sending organisation (LPK); an operator may leave "
        "it empty for their own organisation."
    ),
}
COLUMN_EXAMPLES = {
    "nik": "3374011708000001",
    "full_name": "Budi Santoso",
    "sex": "L",
    "birth_place": "Semarang",
    "birth_date": "17/08/2000",
    "phone": "0812-3456-7890",
    "email": "budi@contoh.id",
    "address": "Jl. Pemuda No. 1",
    "regency_code": "33.74",
    "education": "SMK",
    LICENCE: "KEP.101/LN/2024",
}
