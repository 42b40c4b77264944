"""The officers' writers: triage, owner, questions and messages, files, resolution, closure.

Each move is a transition of ``CASE_WORKFLOW``: scope first (rules.py), the row
locked, the table checked (status, then role), then the move written with a
timeline line and a change record, in one transaction. A refused move changes
nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.accounts.models import User
from jembatan.core.audit import diff, fingerprint, record_change, snapshot
from jembatan.core.encryption import save_encrypted
from jembatan.core.uploads import ACCEPTED_TYPES, Inspection, inspect_upload, name_for_type
from jembatan.protection import notices
from jembatan.protection.deadlines import deadline_for
from jembatan.protection.errors import ProtectionErrorCode
from jembatan.protection.locks import lock_case
from jembatan.protection.models import (
    Case,
    CaseAttachment,
    CaseStatus,
    EventKind,
    Outcome,
    Severity,
)
from jembatan.protection.rules import (
    ensure_eligible_owner,
    ensure_in_scope,
    ensure_not_anonymised,
)
from jembatan.protection.services.reporting import _ensure_reporter, _text
from jembatan.protection.services.timeline import event_add, person
from jembatan.protection.workflows import ANONYMOUS_REPORTER, CASE_WORKFLOW, CaseAction

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
FIELDS = ["status", "severity", "owner", "outcome", "action_taken", "level"]


def _locked(case: Case, action: CaseAction, acting_user: Any) -> Case:
    """Scope, then the row locked and the move checked against the table (status, then role)."""
    ensure_in_scope(acting_user, case)
    locked = lock_case(case.pk)
    CASE_WORKFLOW.check(locked.status, action, name=locked.code)
    CASE_WORKFLOW.check_actor(action, acting_user)
    return locked


def _record(
    locked: Case,
    before: dict[str, Any],
    operation: str,
    acting_user: Any,
    *,
    reason: str = "",
    request: Any = None,
) -> None:
    after = snapshot(locked, FIELDS)
    record_change(
        acting_user=acting_user,
        operation=f"protection.{operation}",
        instance=locked,
        action="transition" if before["status"] != after["status"] else "update",
        changes=diff(before, after),
        # The reason is also the timeline's (encrypted) message: the trail keeps its fingerprint.
        reason=fingerprint(reason.strip()) or "",
        request=request,
    )


def _set_status(locked: Case, action: CaseAction) -> str:
    """Move ``locked`` to the action's target; return the status it left."""
    target = CASE_WORKFLOW[action].target
    assert target is not None
    before = locked.status
    locked.status = target
    locked.status_changed_at = timezone.now()
    return before


def _moved(
    locked: Case,
    before: dict[str, Any],
    action: CaseAction,
    kind: str,
    acting_user: Any,
    *,
    request: Any,
    reason: str = "",
    **line: Any,
) -> Case:
    """The body every move shares: target status, row saved, timeline line, change record.

    ``before`` is the snapshot taken before the caller changed anything else; ``line``
    holds the timeline line's own fields (message, public, owner...); the change is
    recorded as ``protection.case_<action>``.
    """
    from_status = _set_status(locked, action)
    locked.save()
    event_add(
        case=locked,
        kind=kind,
        acting_user=acting_user,
        from_status=from_status,
        to_status=locked.status,
        **line,
    )
    _record(locked, before, f"case_{action}", acting_user, reason=reason, request=request)
    return locked


def _message_text(value: str, prompt: str) -> str:
    """A message's or question's text; refused with ``prompt`` when there is none."""
    return _text(value, field="message", code=ProtectionErrorCode.MESSAGE_REQUIRED, message=prompt)


@transaction.atomic
def case_triage(
    *, case: Case, severity: str, owner: User, acting_user: Any, note: str = "", request: Any = None
) -> Case:
    """The first response: severity and owner; the resolution deadline follows the severity.

    Effects: first_responded_at; until the case has escalated, resolution_due is
    recomputed from the report for the new severity; a timeline line (internal);
    the new owner told if it is someone else.
    """
    locked = _locked(case, CaseAction.TRIAGE, acting_user)
    if severity not in Severity.values:
        raise ValidationError({"severity": ValidationError(_("Choose one of the options."))})
    ensure_eligible_owner(owner, locked)
    before = snapshot(locked, FIELDS)
    previous_owner = locked.owner_id
    locked.severity = severity
    locked.owner = owner
    locked.first_responded_at = timezone.now()
    if not locked.escalations:
        locked.resolution_due = deadline_for(locked.category, severity).resolution_due(
            locked.reported_at
        )
    _moved(
        locked,
        before,
        CaseAction.TRIAGE,
        EventKind.TRIAGED,
        acting_user,
        request=request,
        message=(note or "").strip(),
        owner=owner,
    )
    if owner.pk != previous_owner and owner.pk != getattr(acting_user, "pk", None):
        notices.cases_handed_to(owner, [locked], escalated=False)  # sent after the commit
    return locked


@transaction.atomic
def case_start(*, case: Case, acting_user: Any, request: Any = None) -> Case:
    """Start handling a triaged case (a timeline line the reporter sees)."""
    locked = _locked(case, CaseAction.START, acting_user)
    before = snapshot(locked, FIELDS)
    return _moved(
        locked,
        before,
        CaseAction.START,
        EventKind.STATUS,
        acting_user,
        request=request,
        public=True,
    )


@transaction.atomic
def case_assign(
    *, case: Case, owner: User, acting_user: Any, reason: str = "", request: Any = None
) -> Case:
    """Hand the case to another officer of its level; the status stays; the owner is told."""
    locked = _locked(case, CaseAction.ASSIGN, acting_user)
    ensure_eligible_owner(owner, locked)
    before = snapshot(locked, FIELDS)
    locked.owner = owner
    locked.save(update_fields=["owner"])
    event_add(
        case=locked,
        kind=EventKind.ASSIGNED,
        acting_user=acting_user,
        message=(reason or "").strip(),
        owner=owner,
    )
    if owner.pk != getattr(acting_user, "pk", None):
        notices.cases_handed_to(owner, [locked], escalated=False)
    _record(locked, before, "case_assign", acting_user, reason=reason, request=request)
    return locked


@transaction.atomic
def case_ask_reporter(*, case: Case, question: str, acting_user: Any, request: Any = None) -> Case:
    """Ask the reporter something; the case waits for their answer (a public line)."""
    locked = _locked(case, CaseAction.ASK_REPORTER, acting_user)
    text = _message_text(question, _("Write the question for the reporter."))
    before = snapshot(locked, FIELDS)
    return _moved(
        locked,
        before,
        CaseAction.ASK_REPORTER,
        EventKind.MESSAGE,
        acting_user,
        request=request,
        public=True,
        message=text,
    )


@transaction.atomic
def case_message(
    *, case: Case, message: str, public: bool, acting_user: Any, request: Any = None
) -> Case:
    """A message to the reporter (``public``) or an internal note; the status stays."""
    ensure_in_scope(acting_user, case)
    CASE_WORKFLOW.check_actor(CaseAction.START, acting_user)  # officers only
    locked = lock_case(case.pk)
    text = _message_text(message, _("Write the message."))
    event_add(
        case=locked,
        kind=EventKind.MESSAGE if public else EventKind.NOTE,
        acting_user=acting_user,
        public=public,
        message=text,
    )
    record_change(
        acting_user=acting_user,
        operation="protection.case_message",
        instance=locked,
        action="update",
        changes={"timeline": {"before": None, "after": "message" if public else "note"}},
        request=request,
    )
    return locked


def _checked_attacher(case: Case, acting_user: Any) -> tuple[Case, bool]:
    """Who may add a file: the reporter while the case is open, or an officer in scope.

    Returns the locked case and whether the file comes from the reporter.
    """
    from_reporter = acting_user == ANONYMOUS_REPORTER or (
        case.reporter_id is not None and case.reporter_id == getattr(acting_user, "pk", None)
    )
    if from_reporter:
        _ensure_reporter(case, acting_user)
    else:
        ensure_in_scope(acting_user, case)
        CASE_WORKFLOW.check_actor(CaseAction.START, acting_user)
    locked = lock_case(case.pk)
    ensure_not_anonymised(locked)  # before the file is stored
    if from_reporter and locked.status in (CaseStatus.CLOSED, CaseStatus.WITHDRAWN):
        raise ValidationError(
            _("This case is closed. Report a new case if something else happened."),
            code=ProtectionErrorCode.CASE_FINISHED,
        )
    return locked, from_reporter


def _checked_upload(upload: UploadedFile) -> tuple[Inspection, str]:
    """What a file needs: an accepted type by content, within the size; its name for that type."""
    inspection = inspect_upload(
        upload.chunks(),
        limit=MAX_ATTACHMENT_BYTES,
        accepted=ACCEPTED_TYPES,
        document=_("the file"),
    )
    return inspection, name_for_type(upload.name or "file", inspection.content_type)


def _stored_attachment(
    locked: Case,
    inspection: Inspection,
    name: str,
    *,
    public: bool,
    from_reporter: bool,
    acting_user: Any,
) -> CaseAttachment:
    """The file encrypted on the storage and its row saved (the file removed if the row fails)."""
    attachment = CaseAttachment(
        case=locked,
        original_name=name[:255],
        content_type=inspection.content_type,
        sha256=inspection.sha256,
        size=inspection.size,
        public=public,
        from_reporter=from_reporter,
        uploaded_by=person(acting_user),
        uploaded_at=timezone.now(),
    )
    target = attachment.file.field.generate_filename(attachment, name)
    stored, key = save_encrypted(attachment.file.storage, target, inspection.content)
    attachment.file.name, attachment.encryption_key = stored, key
    try:
        attachment.save()
    except BaseException:
        attachment.file.storage.delete(stored)
        raise
    return attachment


@transaction.atomic
def case_attach(
    *,
    case: Case,
    upload: UploadedFile,
    acting_user: Any,
    public: bool = False,
    request: Any = None,
) -> CaseAttachment:
    """Add a file, checked by content (core/uploads.py); the reporter's files are public.

    An officer's file is internal unless ``public``; the reporter (account or code
    and secret) may add files while the case is not closed.
    """
    locked, from_reporter = _checked_attacher(case, acting_user)
    inspection, name = _checked_upload(upload)
    attachment = _stored_attachment(
        locked,
        inspection,
        name,
        public=public or from_reporter,
        from_reporter=from_reporter,
        acting_user=acting_user,
    )
    event_add(
        case=locked,
        kind=EventKind.ATTACHMENT,
        acting_user=acting_user,
        public=attachment.public,
        attachment=attachment,
    )
    record_change(
        acting_user=acting_user,
        operation="protection.case_attach",
        instance=attachment,
        action="create",
        changes=diff({}, snapshot(attachment, ["original_name", "content_type", "size", "public"])),
        request=request,
    )
    return attachment


def _outcome(outcome: str, action_taken: str) -> tuple[str, str]:
    if outcome not in Outcome.values:
        raise ValidationError(
            {
                "outcome": ValidationError(
                    _("Choose the outcome."), code=ProtectionErrorCode.OUTCOME_REQUIRED
                )
            }
        )
    if outcome == Outcome.WITHDRAWN:
        raise ValidationError(
            {
                "outcome": ValidationError(
                    _("A withdrawn case is recorded by withdrawing it."),
                    code=ProtectionErrorCode.WITHDRAWN_OUTCOME,
                )
            }
        )
    text = _text(
        action_taken,
        field="action_taken",
        code=ProtectionErrorCode.ACTION_TAKEN_REQUIRED,
        message=_("Say what was done."),
    )
    return outcome, text


@transaction.atomic
def case_resolve(
    *, case: Case, outcome: str, action_taken: str, acting_user: Any, request: Any = None
) -> Case:
    """Record the outcome and what was done; the reporter reads it (a public line)."""
    locked = _locked(case, CaseAction.RESOLVE, acting_user)
    outcome, text = _outcome(outcome, action_taken)
    before = snapshot(locked, FIELDS)
    locked.outcome, locked.action_taken = outcome, text
    locked.resolved_at = timezone.now()
    return _moved(
        locked,
        before,
        CaseAction.RESOLVE,
        EventKind.RESOLVED,
        acting_user,
        request=request,
        public=True,
        message=text,
    )


@transaction.atomic
def case_close(
    *,
    case: Case,
    acting_user: Any,
    outcome: str = "",
    action_taken: str = "",
    request: Any = None,
) -> Case:
    """Close with an outcome and what was done (a resolved case keeps its own if none given)."""
    locked = _locked(case, CaseAction.CLOSE, acting_user)
    outcome, text = _outcome(outcome or locked.outcome, action_taken or locked.action_taken)
    before = snapshot(locked, FIELDS)
    locked.outcome, locked.action_taken = outcome, text
    now = timezone.now()
    locked.resolved_at = locked.resolved_at or now
    locked.closed_at = now
    return _moved(
        locked,
        before,
        CaseAction.CLOSE,
        EventKind.CLOSED,
        acting_user,
        request=request,
        public=True,
        message=text,
    )


@transaction.atomic
def case_reopen(*, case: Case, reason: str, acting_user: Any, request: Any = None) -> Case:
    """Reopen a resolved or closed case: the outcome is cleared (the timeline keeps it).

    Effects: a new resolution deadline of the table's escalated_days from now.
    """
    locked = _locked(case, CaseAction.REOPEN, acting_user)
    text = _text(
        reason,
        field="reason",
        code=ProtectionErrorCode.REASON_REQUIRED,
        message=_("Say why the case is reopened."),
    )
    before = snapshot(locked, FIELDS)
    now = timezone.now()
    locked.outcome, locked.action_taken = "", ""
    locked.resolved_at = locked.closed_at = None
    locked.resolution_due = deadline_for(locked.category, locked.severity).after_escalation(now)
    return _moved(
        locked,
        before,
        CaseAction.REOPEN,
        EventKind.REOPENED,
        acting_user,
        request=request,
        reason=text,
        at=now,
        public=True,
        message=text,
    )
