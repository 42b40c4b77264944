"""The retention run: apply the retention schedule to what has passed its time.

``retention_plan`` reads what is due, per kind of record, and writes nothing
(the dry run). ``retention_run`` does it and writes a ``RetentionRun`` with the
counts per kind:

- **participants** whose file passed its time (withdrawn, rejected, or never
  further than certified for the schedule's months, without a certificate) are
  anonymised by the erasure service, ``participant_anonymise`` — the same
  removal a deletion request carries out, with its documents and files; a
  ``RetentionErasure`` row says the schedule did it, and which row;
- **sensitive documents** of people who left the programme are deleted with
  their files after the schedule's shorter period;
- **import files** (the uploaded spreadsheet and its reports) are deleted from
  storage; the import job keeps its name, checksum, counts and findings;
- **protection cases** closed (or withdrawn) longer ago than the schedule's
  period are anonymised by protection's one writer for it, ``case_anonymise``
  (``protection/services/anonymisation.py``): the narrative, the people's
  details, the timeline's text and the files go; what the statistics and the
  licence-risk view count stays.

Idempotent: what was done drops out of the queries (an anonymised person, a
deleted document, an emptied file path, a case with ``anonymised_at``), so a
second run finds nothing. Batched
by primary key (keyset), never loading everything: each person is anonymised
in their own transaction, so one refusal (a rule keeps the record) is counted
as a failure with its reason and the run goes on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from jembatan.core.audit import actor_label, record_change
from jembatan.core.locks import lock_import_job
from jembatan.core.models import ImportJob
from jembatan.core.transitions import SYSTEM_ACTOR
from jembatan.documents.locks import lock_document
from jembatan.documents.models import Document
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.privacy.models import RetentionErasure, RetentionRun
from jembatan.privacy.retention import anonymised
from jembatan.privacy.schedule import period, schedule_checksum, schedule_version
from jembatan.privacy.services.erasure import REMOVED, participant_anonymise
from jembatan.protection.models import Case
from jembatan.protection.services.anonymisation import case_anonymise, cases_to_anonymise
from jembatan.training.models import Certificate

EXAMPLES = 10
BATCH = 500
LEFT = (JourneyStatus.WITHDRAWN, JourneyStatus.REJECTED)
NOT_STARTED = (JourneyStatus.REGISTERED, JourneyStatus.VERIFIED, JourneyStatus.CERTIFIED)
OPERATION = "privacy.retention_run"


def _people(statuses: tuple[str, ...], key: str, now: dt.datetime) -> QuerySet[Participant]:
    holds_certificate = Certificate.objects.filter(participant=OuterRef("pk"))
    return (
        Participant.objects.filter(
            status__in=statuses,
            status_changed_at__lt=period(key).cutoff(now),
            merged_into__isnull=True,  # anonymised with the record they were merged into
        )
        .exclude(pk__in=anonymised())
        .exclude(Exists(holds_certificate))
    )


def people_due(key: str, now: dt.datetime) -> QuerySet[Participant]:
    """The participants whose file passed its time under schedule row ``key``."""
    statuses = {
        "participant_withdrawn": (JourneyStatus.WITHDRAWN,),
        "participant_rejected": (JourneyStatus.REJECTED,),
        "participant_never_departed": NOT_STARTED,
    }[key]
    return _people(statuses, key, now)


def sensitive_documents_due(now: dt.datetime) -> QuerySet[Document]:
    """Documents with specific personal data of people who left the programme long enough ago."""
    return Document.objects.filter(
        requirement__sensitive=True,
        participant__status__in=LEFT,
        participant__status_changed_at__lt=period("sensitive_documents").cutoff(now),
    )


def import_files_due(now: dt.datetime) -> QuerySet[ImportJob]:
    """Finished imports whose uploaded file or reports are still stored past their time."""
    stored = ImportJob.objects.exclude(file_path="", report_path="", report_csv_path="")
    return stored.filter(finished_at__lt=period("import_files").cutoff(now))


def protection_cases_due(now: dt.datetime) -> QuerySet[Case]:
    """Protection cases closed or withdrawn before the schedule's period, not yet anonymised."""
    return cases_to_anonymise(closed_before=period("protection_cases").cutoff(now))


PERSON_KINDS = ("participant_withdrawn", "participant_rejected", "participant_never_departed")


def _due(now: dt.datetime) -> dict[str, QuerySet[Any]]:
    due: dict[str, QuerySet[Any]] = {key: people_due(key, now) for key in PERSON_KINDS}
    due["sensitive_documents"] = sensitive_documents_due(now)
    due["import_files"] = import_files_due(now)
    due["protection_cases"] = protection_cases_due(now)
    return due


@dataclass
class Plan:
    """What a run would do now: how many records per kind, and the first ids of each."""

    counts: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Records due, all kinds together."""
        return sum(self.counts.values())


def retention_plan(*, now: dt.datetime | None = None) -> Plan:
    """The dry run: what has passed its time, per kind, with example ids. Writes nothing."""
    now = now or timezone.now()
    plan = Plan()
    for key, rows in _due(now).items():
        plan.counts[key] = rows.count()
        plan.examples[key] = list(rows.order_by("pk").values_list("pk", flat=True)[:EXAMPLES])
    return plan


@transaction.atomic
def retention_dry_run_record(*, acting_user: Any, now: dt.datetime | None = None) -> RetentionRun:
    """Keep a dry run's report for the officers' page; nothing else is written."""
    now = now or timezone.now()
    plan = retention_plan(now=now)
    run = _start(acting_user, dry_run=True, now=now)
    run.counts, run.examples, run.finished_at = plan.counts, plan.examples, timezone.now()
    run.save(update_fields=["counts", "examples", "finished_at"])
    return run


def retention_dry_run_queue(*, acting_user: Any) -> None:
    """Hand a dry run to the task worker once the request's transaction commits."""
    from jembatan.privacy.tasks import run_retention  # the task module imports this one

    asked_by = actor_label(acting_user)
    transaction.on_commit(lambda: run_retention.enqueue(dry_run=True, asked_by=asked_by))


def _start(acting_user: Any, *, dry_run: bool, now: dt.datetime) -> RetentionRun:
    run = RetentionRun.objects.create(
        started_at=now,
        dry_run=dry_run,
        started_by=actor_label(acting_user),
        schedule_version=schedule_version(),
        schedule_checksum=schedule_checksum(),
    )
    record_change(
        acting_user=acting_user,
        operation=OPERATION,
        instance=run,
        action="create",
        changes={"dry_run": {"before": None, "after": dry_run}},
    )
    return run


def _batches(rows: QuerySet[Any], size: int) -> Iterator[list[int]]:
    """Primary keys in ascending batches (keyset: a refused row is never tried twice)."""
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size])
        if not batch:
            return
        yield batch
        last = batch[-1]


class _Tally:
    """Counts, example ids and failures of one run, per kind."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.examples: dict[str, list[int]] = {}
        self.failures: list[dict[str, Any]] = []

    def done(self, key: str, pk: int) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1
        if len(self.examples.setdefault(key, [])) < EXAMPLES:
            self.examples[key].append(pk)

    def failed(self, key: str, pk: int, error: ValidationError) -> None:
        self.failures.append({"kind": key, "id": pk, "reason": "; ".join(error.messages)})


def retention_run(
    *, acting_user: Any = SYSTEM_ACTOR, now: dt.datetime | None = None, batch_size: int = BATCH
) -> RetentionRun:
    """Apply the schedule (see the module's docstring); returns the run with its counts.

    Not one transaction: each record is its own, so a run stopped halfway keeps
    what it did and the next run does the rest.
    """
    now = now or timezone.now()
    with transaction.atomic():
        run = _start(acting_user, dry_run=False, now=now)
    tally = _Tally()
    for key, rows in _due(now).items():
        _each(rows, key, tally, batch_size, _action(run, key, acting_user))
    with transaction.atomic():
        _finish(run, tally, acting_user)
    return run


def _each(
    rows: QuerySet[Any],
    key: str,
    tally: _Tally,
    batch_size: int,
    act: Callable[[int], None],
) -> None:
    tally.counts.setdefault(key, 0)
    for batch in _batches(rows, batch_size):
        for pk in batch:
            try:
                with transaction.atomic():
                    act(pk)
            except ValidationError as error:
                tally.failed(key, pk, error)
            else:
                tally.done(key, pk)


def _action(run: RetentionRun, key: str, acting_user: Any) -> Callable[[int], None]:
    """What the run does to one record of kind ``key``, by its primary key."""
    if key in PERSON_KINDS:
        return _anonymise(run, key, acting_user)
    return {
        "sensitive_documents": lambda pk: _delete_document(pk, acting_user),
        "import_files": lambda pk: _delete_import_files(pk, acting_user),
        "protection_cases": lambda pk: _anonymise_case(pk, acting_user),
    }[key]


def _anonymise(run: RetentionRun, key: str, acting_user: Any) -> Callable[[int], None]:
    reason = str(period(key).basis)

    def act(pk: int) -> None:
        participant = Participant.objects.get(pk=pk)
        participant_anonymise(participant=participant, acting_user=acting_user, reason=reason)
        erasure = RetentionErasure.objects.create(
            participant=participant, run=run, rule=key, at=timezone.now()
        )
        record_change(
            acting_user=acting_user,
            operation=OPERATION,
            instance=erasure,
            action="create",
            changes={"rule": {"before": None, "after": key}},
        )

    return act


def _delete_document(pk: int, acting_user: Any) -> None:
    document = lock_document(pk)
    record_change(
        acting_user=acting_user,
        operation=OPERATION,
        instance=document,
        action="archive",
        changes={"file": {"before": REMOVED, "after": None}},
        reason=str(period("sensitive_documents").basis),
    )
    storage, name = document.file.storage, document.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    Document.objects.filter(replaced_by=document).update(replaced_by=None)
    Document.objects.filter(pk=pk).delete()


def _anonymise_case(pk: int, acting_user: Any) -> None:
    reason = str(period("protection_cases").basis)
    case = case_anonymise(case=Case.objects.get(pk=pk), acting_user=acting_user, reason=reason)
    record_change(
        acting_user=acting_user,
        operation=OPERATION,
        instance=case,
        action="update",
        changes={"rule": {"before": None, "after": "protection_cases"}},
        reason=reason,
    )


FILE_FIELDS = ("file_path", "report_path", "report_csv_path")


def _delete_import_files(pk: int, acting_user: Any) -> None:
    job = lock_import_job(pk)
    names = [getattr(job, name) for name in FILE_FIELDS if getattr(job, name)]
    record_change(
        acting_user=acting_user,
        operation=OPERATION,
        instance=job,
        action="update",
        changes={name: {"before": getattr(job, name), "after": ""} for name in FILE_FIELDS},
        reason=str(period("import_files").basis),
    )
    ImportJob.objects.filter(pk=pk).update(**dict.fromkeys(FILE_FIELDS, ""))
    media = Path(settings.MEDIA_ROOT)
    transaction.on_commit(lambda: [(media / name).unlink(missing_ok=True) for name in names])


def _finish(run: RetentionRun, tally: _Tally, acting_user: Any) -> None:
    run.counts, run.examples, run.failures = tally.counts, tally.examples, tally.failures
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "examples", "failures", "finished_at"])
    record_change(
        acting_user=acting_user,
        operation=OPERATION,
        instance=run,
        action="update",
        changes={"counts": {"before": {}, "after": tally.counts}},
    )
