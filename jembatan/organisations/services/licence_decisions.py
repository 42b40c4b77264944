"""Moving a licence and taking a decision: the one path every licence service takes.

Every licence service (:mod:`~.licence_applications`, :mod:`~.licence_renewals`,
:mod:`~.licence_sanctions`) is keyword-only and atomic and goes through
:func:`transition`, which locks the licence row
(:func:`jembatan.organisations.locks.lock_licence`) before checking its status
against the table in :mod:`jembatan.organisations.workflows`, and records the
change in the audit trail. Locking then checking is what makes a double-clicked "grant" produce
one decision: the second request waits for the first, then finds the licence
already granted and is refused without writing anything. A decision (a grant, a
refusal, a sanction) is taken by :func:`take_decision`, which also writes its record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import filetype
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.audit import actor_label, diff, record_change, snapshot
from jembatan.organisations.errors import OrganisationErrorCode
from jembatan.organisations.locks import lock_licence
from jembatan.organisations.models import (
    PUBLISHABLE_KINDS,
    DecisionKind,
    Licence,
    LicenceDecision,
    LicenceStatus,
)
from jembatan.organisations.workflows import (
    DECISION_OF,
    LICENCE_WORKFLOW,
    LicenceAction,
    check_actor,
    check_allowed,
)

LICENCE_FIELDS = ("licence_type", "status", "number", "valid_from", "valid_to", "resumes_as")
ATTACHMENT_TYPES = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Two identical sanctions this close together are one decision clicked twice.
DUPLICATE_WINDOW = dt.timedelta(minutes=10)


def the_day(today: dt.date | None) -> dt.date:
    """``today`` if given (tests, back-dated runs), else the local date."""
    return today or timezone.localdate()


# --- Moving a licence --------------------------------------------------------------------


def licence_state(licence: Licence) -> dict[str, Any]:
    """The licence's audited fields as the audit trail records them."""
    return snapshot(licence, LICENCE_FIELDS)


# What an action changes on the locked licence row besides the target status of the
# workflow table: it gets the row, the status the row had before, and the values the
# caller gave (``given``). Actions not listed change the status alone.
RowChange = Callable[[Licence, str, Mapping[str, Any]], None]


def _set_number_and_validity(licence: Licence, _before: str, given: Mapping[str, Any]) -> None:
    licence.number = given["number"]
    licence.valid_from, licence.valid_to = given["valid_from"], given["valid_to"]


def _extend_validity(licence: Licence, _before: str, given: Mapping[str, Any]) -> None:
    """A renewal ends after the current validity (read on the locked row: it cannot move)."""
    valid_to = given["valid_to"]
    if licence.valid_to and valid_to <= licence.valid_to:
        raise ValidationError(
            _("A renewal must end after the current validity (%(date)s).")
            % {"date": licence.valid_to.isoformat()},
            code=OrganisationErrorCode.VALIDITY,
        )
    licence.valid_to = valid_to


def _keep_status_to_resume(licence: Licence, before: str, _given: Mapping[str, Any]) -> None:
    licence.resumes_as = before


def _resume_status_before_suspension(
    licence: Licence, _before: str, _given: Mapping[str, Any]
) -> None:
    licence.status = licence.resumes_as or LicenceStatus.ACTIVE
    licence.resumes_as = ""


def _forget_status_to_resume(licence: Licence, _before: str, _given: Mapping[str, Any]) -> None:
    licence.resumes_as = ""


ROW_CHANGES: dict[LicenceAction, RowChange] = {
    LicenceAction.GRANT: _set_number_and_validity,
    LicenceAction.RENEW: _extend_validity,
    LicenceAction.SUSPEND: _keep_status_to_resume,
    LicenceAction.LIFT_SUSPENSION: _resume_status_before_suspension,
    LicenceAction.REVOKE: _forget_status_to_resume,
    LicenceAction.EXPIRE: _forget_status_to_resume,
}


def transition(
    *,
    licence: Licence,
    action: LicenceAction,
    acting_user: Any,
    reason: str = "",
    given: Mapping[str, Any] | None = None,
) -> tuple[Licence, str]:
    """Lock, check, set the table's target status and the action's row change, save, audit.

    Returns the saved licence and the status it had before.
    """
    locked = lock_licence(licence.pk)
    check_actor(locked, action, acting_user)
    allowed = check_allowed(locked, action)
    before = licence_state(locked)
    if allowed.target is not None:
        locked.status = allowed.target
    row_change = ROW_CHANGES.get(action)
    if row_change is not None:
        row_change(locked, before["status"], given or {})
    locked.full_clean(exclude=["organisation"], validate_unique=False)
    locked.save()
    changes = diff(before, licence_state(locked))
    record_change(
        acting_user=acting_user,
        operation=f"organisations.licence_{action.value}",
        instance=locked,
        action="update",
        changes=changes,
        reason=reason,
    )
    return locked, before["status"]


# --- Taking a decision ------------------------------------------------------------------


def _checked_reason(reason: str) -> str:
    cleaned = (reason or "").strip()
    if not cleaned:
        raise ValidationError(
            _("Give the reason for this decision."), code=OrganisationErrorCode.REASON_REQUIRED
        )
    return cleaned


def check_attachment(attachment: File | None) -> None:
    """Accept PDF, PNG or JPEG up to 10 MB, judged by content, not by the file name.

    The check every upload of a document passes (:mod:`jembatan.core.uploads`): a PDF
    with scripts, actions, attached files or a web page hidden in it is refused, and
    an image is re-encoded and written back into ``attachment``, so that what is
    stored is exactly the picture that was checked.
    """
    from jembatan.core.uploads import inspect_upload, replace_content

    if attachment is None:
        return
    inspection = inspect_upload(
        attachment.chunks(),
        limit=MAX_ATTACHMENT_BYTES,
        accepted=ATTACHMENT_TYPES,
        document=_("the attachment"),
    )
    replace_content(attachment, inspection.content)


def _check_publication(kind: DecisionKind, published: bool, attachment_public: bool) -> None:
    if published and kind not in PUBLISHABLE_KINDS:
        raise ValidationError(_("Only sanctions are published on the public register."))
    if attachment_public and not published:
        raise ValidationError(_("Publish the decision before making its attachment public."))


def _check_not_repeated(licence: Licence, kind: DecisionKind, reason: str) -> None:
    """Refuse the same sanction with the same reason twice in a few minutes (a double click)."""
    recent = licence.decisions.filter(
        kind=kind, reason=reason.strip(), decided_at__gte=timezone.now() - DUPLICATE_WINDOW
    ).first()
    if recent is not None:
        raise ValidationError(
            _("This decision was already recorded at %(time)s.")
            % {"time": timezone.localtime(recent.decided_at).strftime("%H:%M")},
            code=OrganisationErrorCode.DUPLICATE,
        )


def take_decision(
    *,
    licence: Licence,
    action: LicenceAction,
    acting_user: Any,
    reason: str,
    attachment: File | None = None,
    published: bool = False,
    attachment_public: bool = False,
    given: Mapping[str, Any] | None = None,
    **recorded: Any,
) -> LicenceDecision:
    """The one way every decision is taken: check its input, move the licence, record it.

    ``action`` names the decision kind (``workflows.DECISION_OF``) and the row change
    (``ROW_CHANGES``, with the values ``given``); ``recorded`` are the decision's own
    fields (a deadline, the bar on applying again, the suspended activities). A decision
    that leaves the status as it is (a warning, an improvement order) would not be
    refused by the table when clicked twice, so the same one with the same reason a few
    minutes apart is refused instead.
    """
    kind = DECISION_OF[action]
    if LICENCE_WORKFLOW[action].target is None:
        _check_not_repeated(lock_licence(licence.pk), kind, reason)
    reason = _checked_reason(reason)
    check_attachment(attachment)
    _check_publication(kind, published, attachment_public)
    locked, status_before = transition(
        licence=licence, action=action, acting_user=acting_user, reason=reason, given=given
    )
    return _record_decision(
        licence=locked,
        kind=kind,
        reason=reason,
        acting_user=acting_user,
        status_before=status_before,
        attachment=attachment,
        published=published,
        attachment_public=attachment_public,
        **recorded,
    )


def _record_decision(
    *,
    licence: Licence,
    kind: DecisionKind,
    reason: str,
    acting_user: Any,
    status_before: str,
    attachment: File | None = None,
    published: bool = False,
    attachment_public: bool = False,
    **recorded: Any,
) -> LicenceDecision:
    """Write the decision record (after the transition, in the same transaction)."""
    decision = LicenceDecision(
        licence=licence,
        kind=kind,
        reason=reason,
        published=published,
        attachment_public=attachment_public,
        status_before=status_before,
        status_after=licence.status,
        decided_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        decided_by_label=actor_label(acting_user),
        **recorded,
    )
    if attachment is not None:
        decision.attachment.save(_attachment_name(attachment), attachment, save=False)
    decision.save()
    record_change(
        acting_user=acting_user,
        operation=f"organisations.decision_{kind}",
        instance=decision,
        action="create",
        changes={
            "kind": {"before": None, "after": kind},
            "licence": {"before": None, "after": licence.pk},
        },
        reason=reason,
    )
    return decision


def _attachment_name(attachment: File) -> str:
    attachment.seek(0)
    kind = filetype.guess(attachment.read(2048))
    attachment.seek(0)
    extension = ATTACHMENT_TYPES.get(kind.mime if kind else "", "bin")
    return f"{timezone.now():%Y%m%d%H%M%S}.{extension}"
