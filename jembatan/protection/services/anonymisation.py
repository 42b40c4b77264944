"""Anonymising a protection case once its retention period has passed (UU PDP art. 43, 44).

The retention schedule's ``protection_cases`` row (ten years after the case was
closed or withdrawn) is applied by the retention run
(``privacy/services/retention_run.py``), which calls :func:`case_anonymise` for
each case :func:`cases_to_anonymise` finds. The case row stays, emptied of the
narrative and of who the people were:

- **removed**: what happened and what was done (the encrypted texts become
  ``—``), the reporter's name and contact, the secret's hash (the code no longer
  opens the follow-up), the links to the reporter's account, the person
  concerned and their deployment; the free text of every timeline line (the
  reporter's own lines lose their account and name: they read "reporter");
  what each referral asked and the answer; every file, deleted from storage once
  the transaction commits, its row keeping only the type, size and date;
- **kept**, for the statistics, the licence-risk view and the licence decisions
  citing the case: the code, category, severity, status, outcome, every date and
  deadline, the organisations (sending organisation, host company, partner),
  country and province, the levels and escalations, the owner and the officers
  who acted, the timeline's kinds, dates and status and level changes, and the
  referrals' recipients and dates.

Idempotent: an anonymised case has ``anonymised_at`` and drops out of
:func:`cases_to_anonymise`; calling the service again is refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.audit import diff, record_change, scrub_subject, snapshot
from jembatan.protection.errors import ProtectionErrorCode
from jembatan.protection.locks import lock_case
from jembatan.protection.models import FINISHED, Case, CaseAttachment, CaseEvent, Referral

OPERATION = "protection.case_anonymise"
EMPTIED_TEXT = "—"  # what a required text holds once anonymised
REMOVED_NAME = "•••"  # a removed file's name
CASE_FIELDS = [
    "description",
    "action_taken",
    "reporter_name",
    "reporter_contact",
    "secret_hash",
    "reporter_id",
    "participant_id",
    "deployment_id",
    "anonymised_at",
]
REPORTER_LABEL = "reporter"  # as the timeline names the anonymous reporter (timeline.py)


def cases_to_anonymise(*, closed_before: dt.datetime) -> QuerySet[Case]:
    """Closed or withdrawn cases closed before ``closed_before`` and not yet anonymised."""
    return Case.objects.filter(
        status__in=sorted(FINISHED), closed_at__lt=closed_before, anonymised_at__isnull=True
    )


@transaction.atomic
def case_anonymise(*, case: Case, acting_user: Any, reason: str) -> Case:
    """Anonymise ``case`` (see the module's docstring); the files go after the commit.

    Refuses a case still being handled (or resolved, not closed) and one already
    anonymised; nothing is written then.
    """
    locked = lock_case(case.pk)
    _ensure_may_anonymise(locked)
    before = snapshot(locked, CASE_FIELDS)
    reporter_id = locked.reporter_id
    _empty_case(locked)
    _empty_timeline(locked, reporter_id)
    _empty_referrals(locked)
    removed = _remove_files(locked, acting_user, reason)
    record_change(
        acting_user=acting_user,
        operation=OPERATION,
        instance=locked,
        action="update",
        changes=diff(before, snapshot(locked, CASE_FIELDS))
        | {"files": {"before": removed, "after": 0}},
        reason=reason,
    )
    return locked


def _ensure_may_anonymise(case: Case) -> None:
    if case.is_anonymised:
        raise ValidationError(
            _("This case was anonymised already."), code=ProtectionErrorCode.CASE_ANONYMISED
        )
    if case.status not in FINISHED:
        raise ValidationError(
            _("Only a closed or withdrawn case can be anonymised."),
            code=ProtectionErrorCode.CASE_NOT_FINISHED,
        )


def _empty_case(case: Case) -> None:
    case.description = case.action_taken = EMPTIED_TEXT
    case.reporter_name = case.reporter_contact = case.secret_hash = ""
    case.reporter = case.participant = case.deployment = None
    case.anonymised_at = timezone.now()
    case.save(update_fields=CASE_FIELDS)


def _empty_timeline(case: Case, reporter_id: int | None) -> None:
    """Blank the timeline's free text: the one rewrite of the append-only timeline.

    Only the message (and the reporter's own name on their lines) changes; what
    happened, when and to which status or level stays. The append-only queryset
    refuses ``update()``; this is the base queryset's, as ``core.audit.scrub_subject``.
    """
    lines = CaseEvent.objects.filter(case=case)
    models.QuerySet.update(lines, message="")
    if reporter_id is not None:
        models.QuerySet.update(lines.filter(by_id=reporter_id), by=None, by_label=REPORTER_LABEL)


def _empty_referrals(case: Case) -> None:
    referrals = Referral.objects.filter(case=case)
    referrals.update(request=EMPTIED_TEXT)
    referrals.filter(answered_at__isnull=False).update(answer=EMPTIED_TEXT)


def _remove_files(case: Case, acting_user: Any, reason: str) -> int:
    """Empty each file's row and delete the stored files after the commit; how many."""
    attachments = list(CaseAttachment.objects.filter(case=case))
    stored = [a.file.name for a in attachments if a.file.name]
    for attachment in attachments:
        _empty_attachment(attachment, acting_user, reason)
    if stored:
        storage = attachments[0].file.storage

        def delete_files() -> None:
            for name in stored:
                storage.delete(name)

        transaction.on_commit(delete_files)
    return len(stored)


def _empty_attachment(attachment: CaseAttachment, acting_user: Any, reason: str) -> None:
    CaseAttachment.objects.filter(pk=attachment.pk).update(
        file="",
        original_name=REMOVED_NAME,
        sha256="",
        encryption_key="",
        uploaded_by_id=None if attachment.from_reporter else attachment.uploaded_by_id,
    )
    attachment.original_name = REMOVED_NAME
    # The file's name was in its change record (protection.case_attach): blanked there too.
    scrub_subject(
        instance=attachment,
        fields=["original_name"],
        acting_user=acting_user,
        operation=OPERATION,
        reason=reason,
    )
