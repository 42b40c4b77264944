"""The only writers of licences and licence decisions.

Every service is keyword-only and atomic, locks the licence row
(``select_for_update``) before checking its status against the table in
:mod:`jembatan.organisations.workflows`, and records the change in the audit
trail. Locking then checking is what makes a double-clicked "grant" produce
one decision: the second request waits for the first, then finds the licence
already granted and is refused without writing anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import filetype
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.audit import actor_label, diff, record_change, snapshot
from jembatan.core.models import Country
from jembatan.core.roles import NATIONAL, Role
from jembatan.organisations.models import (
    IN_FORCE_STATUSES,
    OPEN_APPLICATION_STATUSES,
    PUBLISHABLE_KINDS,
    DecisionKind,
    Licence,
    LicenceActivity,
    LicenceDecision,
    LicenceStatus,
    Organisation,
)
from jembatan.organisations.rules import reapply_bar
from jembatan.organisations.workflows import (
    DECISION_OF,
    LicenceAction,
    check_actor,
    check_allowed,
)

LICENCE_FIELDS = ("status", "number", "valid_from", "valid_to", "resumes_as")
ATTACHMENT_TYPES = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Two identical sanctions this close together are one decision clicked twice.
DUPLICATE_WINDOW = dt.timedelta(minutes=10)


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


# --- Applying ---------------------------------------------------------------------------


def _check_may_apply(organisation: Organisation, acting_user: Any, today: dt.date) -> None:
    if not organisation.may_hold_licence:
        raise ValidationError(
            _("Only an LPK or a sending company can hold a licence to send apprentices."),
            code="not_sending",
        )
    role = getattr(acting_user, "role", None)
    own = getattr(acting_user, "organisation_id", None) == organisation.pk
    if role not in NATIONAL and not (role == Role.SENDER_OPERATOR and own):
        raise PermissionDenied(_("Only the organisation's own operators or Kemnaker may apply."))
    bar = reapply_bar(organisation, today=today)
    if bar is not None:
        raise ValidationError(
            _(
                "The licence of %(name)s was revoked on %(date)s. It may not apply "
                "again before %(bar)s."
            )
            % {
                "name": organisation.name,
                "date": timezone.localdate(bar.decided_at).isoformat(),
                "bar": bar.bar_until.isoformat() if bar.bar_until else "—",
            },
            code="barred",
        )


def _check_no_open_licence(organisation: Organisation) -> None:
    busy = organisation.licences.filter(
        status__in=sorted(IN_FORCE_STATUSES | OPEN_APPLICATION_STATUSES)
    ).first()
    if busy is None:
        return
    if busy.status in OPEN_APPLICATION_STATUSES:
        message = _("%(name)s already has an application in progress (status: %(status)s).")
    else:
        message = _(
            "%(name)s already holds licence %(number)s (status: %(status)s). "
            "Request a renewal of it instead of a new licence."
        )
    raise ValidationError(
        message
        % {
            "name": organisation.name,
            "status": busy.get_status_display(),
            "number": busy.number or "—",
        },
        code="already_open",
    )


@transaction.atomic
def licence_apply(
    *, organisation: Organisation, acting_user: Any, today: dt.date | None = None
) -> Licence:
    """Start a licence application (a draft) for a sending organisation.

    Refused while the organisation is barred after a revocation, or while it
    already has an application in progress or a licence in force. The
    organisation row is locked so two simultaneous applications make one draft.
    """
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    _check_may_apply(organisation, acting_user, _today(today))
    _check_no_open_licence(organisation)
    licence = Licence.objects.create(organisation=organisation, status=LicenceStatus.DRAFT)
    record_change(
        acting_user=acting_user,
        operation="organisations.licence_apply",
        instance=licence,
        action="create",
        changes={k: {"before": None, "after": v} for k, v in _state(licence).items()},
    )
    return licence


# --- The shared transition machinery ----------------------------------------------------


def _state(licence: Licence) -> dict[str, Any]:
    return snapshot(licence, LICENCE_FIELDS)


def _locked(licence: Licence) -> Licence:
    return Licence.objects.select_for_update().select_related("organisation").get(pk=licence.pk)


def _transition(
    *,
    licence: Licence,
    action: LicenceAction,
    acting_user: Any,
    change: Callable[[Licence, str], None] | None = None,
    reason: str = "",
) -> tuple[Licence, dict[str, Any]]:
    """Lock, check, apply ``change`` and the table's target status, save, audit."""
    locked = _locked(licence)
    check_actor(locked, action, acting_user)
    transition = check_allowed(locked, action)
    before = _state(locked)
    if transition.target is not None:
        locked.status = transition.target
    if change is not None:
        change(locked, before["status"])
    locked.full_clean(exclude=["organisation"], validate_unique=False)
    locked.save()
    changes = diff(before, _state(locked))
    record_change(
        acting_user=acting_user,
        operation=f"organisations.licence_{action.value}",
        instance=locked,
        action="update",
        changes=changes,
        reason=reason,
    )
    return locked, before


def _checked_reason(reason: str) -> str:
    cleaned = (reason or "").strip()
    if not cleaned:
        raise ValidationError(_("Give the reason for this decision."), code="reason_required")
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


def _decide(
    *,
    licence: Licence,
    kind: DecisionKind,
    reason: str,
    acting_user: Any,
    status_before: str,
    attachment: File | None = None,
    published: bool = False,
    attachment_public: bool = False,
    **fields: Any,
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
        **fields,
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


def _decision_service(
    *,
    licence: Licence,
    action: LicenceAction,
    acting_user: Any,
    reason: str,
    change: Callable[[Licence, str], None] | None = None,
    attachment: File | None = None,
    published: bool = False,
    attachment_public: bool = False,
    **fields: Any,
) -> LicenceDecision:
    kind = DECISION_OF[action]
    reason = _checked_reason(reason)
    check_attachment(attachment)
    _check_publication(kind, published, attachment_public)
    locked, before = _transition(
        licence=licence, action=action, acting_user=acting_user, change=change, reason=reason
    )
    return _decide(
        licence=locked,
        kind=kind,
        reason=reason,
        acting_user=acting_user,
        status_before=before["status"],
        attachment=attachment,
        published=published,
        attachment_public=attachment_public,
        **fields,
    )


# --- The applicant's steps --------------------------------------------------------------


@transaction.atomic
def licence_submit(*, licence: Licence, acting_user: Any) -> Licence:
    """Send a draft application to Kemnaker for review."""
    return _transition(licence=licence, action=LicenceAction.SUBMIT, acting_user=acting_user)[0]


@transaction.atomic
def licence_request_renewal(*, licence: Licence, acting_user: Any) -> Licence:
    """Ask for an active licence to be renewed; it keeps letting the organisation act meanwhile."""
    return _transition(
        licence=licence, action=LicenceAction.REQUEST_RENEWAL, acting_user=acting_user
    )[0]


# --- The ministry's review --------------------------------------------------------------


@transaction.atomic
def licence_start_review(*, licence: Licence, acting_user: Any) -> Licence:
    """Take a submitted application into review."""
    return _transition(licence=licence, action=LicenceAction.START_REVIEW, acting_user=acting_user)[
        0
    ]


def _check_validity(valid_from: dt.date, valid_to: dt.date) -> None:
    if valid_to <= valid_from:
        raise ValidationError(_("The licence must end after it starts."), code="validity")


def _check_number_free(number: str, licence: Licence) -> str:
    cleaned = number.strip()
    if not cleaned:
        raise ValidationError(_("Give the licence number."), code="number_required")
    if Licence.objects.filter(number=cleaned).exclude(pk=licence.pk).exists():
        raise ValidationError(
            _("Licence number %(number)s is already in use.") % {"number": cleaned},
            code="number_taken",
        )
    return cleaned


@transaction.atomic
def licence_grant(
    *,
    licence: Licence,
    number: str,
    valid_from: dt.date,
    valid_to: dt.date,
    reason: str,
    acting_user: Any,
    attachment: File | None = None,
    today: dt.date | None = None,
) -> LicenceDecision:
    """Grant an application under review with its number and validity.

    Side effects: a GRANT decision; if ``valid_from`` has already come, the
    licence is activated at once (audited as ``licence_activate``).
    """
    _check_validity(valid_from, valid_to)
    cleaned = _check_number_free(number, licence)

    def change(locked: Licence, _status_before: str) -> None:
        locked.number, locked.valid_from, locked.valid_to = cleaned, valid_from, valid_to

    decision = _decision_service(
        licence=licence,
        action=LicenceAction.GRANT,
        acting_user=acting_user,
        reason=reason,
        change=change,
        attachment=attachment,
    )
    if valid_from <= _today(today):
        decision.licence = licence_activate(
            licence=decision.licence, acting_user=acting_user, today=today
        )
    return decision


@transaction.atomic
def licence_reject(
    *, licence: Licence, reason: str, acting_user: Any, attachment: File | None = None
) -> LicenceDecision:
    """Refuse an application; the organisation may apply again (no bar)."""
    return _decision_service(
        licence=licence,
        action=LicenceAction.REJECT,
        acting_user=acting_user,
        reason=reason,
        attachment=attachment,
    )


@transaction.atomic
def licence_activate(
    *, licence: Licence, acting_user: Any, today: dt.date | None = None
) -> Licence:
    """Put a granted licence in force once its ``valid_from`` has come."""
    day = _today(today)
    locked = _locked(licence)
    if locked.valid_from and locked.valid_from > day:
        raise ValidationError(
            _("This licence is valid only from %(date)s.") % {"date": locked.valid_from},
            code="not_yet_valid",
        )
    return _transition(licence=locked, action=LicenceAction.ACTIVATE, acting_user=acting_user)[0]


@transaction.atomic
def licence_renew(
    *,
    licence: Licence,
    valid_to: dt.date,
    reason: str,
    acting_user: Any,
    attachment: File | None = None,
) -> LicenceDecision:
    """Grant a renewal: the licence stays active with a later ``valid_to``."""

    def change(locked: Licence, _status_before: str) -> None:
        # Checked on the locked row: the validity cannot move under us.
        if locked.valid_to and valid_to <= locked.valid_to:
            raise ValidationError(
                _("A renewal must end after the current validity (%(date)s).")
                % {"date": locked.valid_to.isoformat()},
                code="validity",
            )
        locked.valid_to = valid_to

    return _decision_service(
        licence=licence,
        action=LicenceAction.RENEW,
        acting_user=acting_user,
        reason=reason,
        change=change,
        attachment=attachment,
    )


@transaction.atomic
def licence_refuse_renewal(
    *, licence: Licence, reason: str, acting_user: Any, attachment: File | None = None
) -> LicenceDecision:
    """Refuse a renewal: the licence stays active until its ``valid_to``, then expires."""
    return _decision_service(
        licence=licence,
        action=LicenceAction.REFUSE_RENEWAL,
        acting_user=acting_user,
        reason=reason,
        attachment=attachment,
    )


# --- Sanctions --------------------------------------------------------------------------


def _check_not_repeated(licence: Licence, kind: DecisionKind, reason: str) -> None:
    """Refuse the same sanction with the same reason twice in a few minutes (a double click)."""
    recent = licence.decisions.filter(
        kind=kind, reason=reason.strip(), decided_at__gte=timezone.now() - DUPLICATE_WINDOW
    ).first()
    if recent is not None:
        raise ValidationError(
            _("This decision was already recorded at %(time)s.")
            % {"time": timezone.localtime(recent.decided_at).strftime("%H:%M")},
            code="duplicate",
        )


@transaction.atomic
def licence_warn(
    *,
    licence: Licence,
    reason: str,
    acting_user: Any,
    published: bool = False,
    attachment: File | None = None,
    attachment_public: bool = False,
) -> LicenceDecision:
    """Record a warning; the licence stays as it is."""
    locked = _locked(licence)
    _check_not_repeated(locked, DecisionKind.WARNING, reason)
    return _decision_service(
        licence=locked,
        action=LicenceAction.WARN,
        acting_user=acting_user,
        reason=reason,
        attachment=attachment,
        published=published,
        attachment_public=attachment_public,
    )


@transaction.atomic
def licence_order_improvement(
    *,
    licence: Licence,
    reason: str,
    deadline: dt.date,
    acting_user: Any,
    published: bool = False,
    attachment: File | None = None,
    attachment_public: bool = False,
    today: dt.date | None = None,
) -> LicenceDecision:
    """Order the organisation to put something right by ``deadline``; the licence stays."""
    if deadline <= _today(today):
        raise ValidationError(_("The deadline must be in the future."), code="deadline")
    locked = _locked(licence)
    _check_not_repeated(locked, DecisionKind.IMPROVEMENT_ORDER, reason)
    return _decision_service(
        licence=locked,
        action=LicenceAction.ORDER_IMPROVEMENT,
        acting_user=acting_user,
        reason=reason,
        deadline=deadline,
        attachment=attachment,
        published=published,
        attachment_public=attachment_public,
    )


def _activity_codes(activities: Iterable[str]) -> list[str]:
    codes = sorted({str(a) for a in activities})
    unknown = [c for c in codes if c not in LicenceActivity.values]
    if unknown:
        raise ValidationError(
            _("Unknown activity: %(codes)s.") % {"codes": ", ".join(unknown)}, code="activity"
        )
    return codes


def _countries(countries: Iterable[Country | str]) -> list[Country]:
    codes = sorted({c.pk if isinstance(c, Country) else str(c).upper() for c in countries})
    found = list(Country.objects.filter(pk__in=codes))
    if len(found) != len(codes):
        missing = sorted(set(codes) - {c.pk for c in found})
        raise ValidationError(
            _("Unknown country: %(codes)s.") % {"codes": ", ".join(missing)}, code="country"
        )
    return found


@transaction.atomic
def licence_suspend(
    *,
    licence: Licence,
    reason: str,
    acting_user: Any,
    activities: Sequence[str] = (),
    countries: Sequence[Country | str] = (),
    published: bool = False,
    attachment: File | None = None,
    attachment_public: bool = False,
) -> LicenceDecision:
    """Suspend the licence, wholly or only for some activities and/or destination countries.

    Side effects: status SUSPENDED (the previous status is kept in
    ``resumes_as`` for the lift); a SUSPENSION decision recording the scope.
    An empty scope suspends everything. ``ensure_can_act`` enforces the scope.
    """
    codes = _activity_codes(activities)
    found = _countries(countries)

    def change(locked: Licence, status_before: str) -> None:
        locked.resumes_as = status_before

    decision = _decision_service(
        licence=licence,
        action=LicenceAction.SUSPEND,
        acting_user=acting_user,
        reason=reason,
        change=change,
        suspended_activities=codes,
        attachment=attachment,
        published=published,
        attachment_public=attachment_public,
    )
    decision.suspended_countries.set(found)
    return decision


@transaction.atomic
def licence_lift_suspension(
    *,
    licence: Licence,
    reason: str,
    acting_user: Any,
    published: bool = False,
    attachment: File | None = None,
    attachment_public: bool = False,
) -> LicenceDecision:
    """End a suspension: the licence returns to the status it had before (active or renewal)."""

    def change(locked: Licence, _status_before: str) -> None:
        locked.status = locked.resumes_as or LicenceStatus.ACTIVE
        locked.resumes_as = ""

    return _decision_service(
        licence=licence,
        action=LicenceAction.LIFT_SUSPENSION,
        acting_user=acting_user,
        reason=reason,
        change=change,
        attachment=attachment,
        published=published,
        attachment_public=attachment_public,
    )


@transaction.atomic
def licence_revoke(
    *,
    licence: Licence,
    reason: str,
    bar_until: dt.date,
    acting_user: Any,
    published: bool = False,
    attachment: File | None = None,
    attachment_public: bool = False,
    today: dt.date | None = None,
) -> LicenceDecision:
    """Revoke the licence for good; the organisation may not apply again before ``bar_until``."""
    if bar_until <= _today(today):
        raise ValidationError(
            _("The bar on applying again must end in the future."), code="bar_until"
        )

    def change(locked: Licence, _status_before: str) -> None:
        locked.resumes_as = ""

    return _decision_service(
        licence=licence,
        action=LicenceAction.REVOKE,
        acting_user=acting_user,
        reason=reason,
        change=change,
        bar_until=bar_until,
        attachment=attachment,
        published=published,
        attachment_public=attachment_public,
    )


@transaction.atomic
def licence_expire(*, licence: Licence, acting_user: Any, today: dt.date | None = None) -> Licence:
    """Mark a licence whose ``valid_to`` has passed as expired (the daily task does this)."""
    locked = _locked(licence)
    if locked.valid_to is None or locked.valid_to >= _today(today):
        raise ValidationError(_("This licence has not run out yet."), code="not_expired")

    def change(expiring: Licence, _status_before: str) -> None:
        expiring.resumes_as = ""

    return _transition(
        licence=locked, action=LicenceAction.EXPIRE, acting_user=acting_user, change=change
    )[0]


# --- One entry point for pages and the API ----------------------------------------------

_SANCTION_KEYS = ("published", "attachment", "attachment_public")


def _pick(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: data[k] for k in keys if k in data and data[k] is not None}


def perform_action(
    *, licence: Licence, action: LicenceAction, acting_user: Any, data: dict[str, Any]
) -> Licence:
    """Run ``action`` with the fields of its form (see ``forms.ACTION_FORMS``); return the licence.

    ``data`` keys are the form field names. Missing required values raise
    ValidationError from the service, exactly as when called directly.
    """
    reason = str(data.get("reason") or "")
    decision = {"reason": reason, "acting_user": acting_user, **_pick(data, "attachment")}
    sanction = {**decision, **_pick(data, *_SANCTION_KEYS)}
    calls: dict[LicenceAction, Callable[[], Any]] = {
        LicenceAction.SUBMIT: lambda: licence_submit(licence=licence, acting_user=acting_user),
        LicenceAction.START_REVIEW: lambda: licence_start_review(
            licence=licence, acting_user=acting_user
        ),
        LicenceAction.REQUEST_RENEWAL: lambda: licence_request_renewal(
            licence=licence, acting_user=acting_user
        ),
        LicenceAction.GRANT: lambda: licence_grant(
            licence=licence, **decision, **_required(data, "number", "valid_from", "valid_to")
        ),
        LicenceAction.REJECT: lambda: licence_reject(licence=licence, **decision),
        LicenceAction.RENEW: lambda: licence_renew(
            licence=licence, **decision, **_required(data, "valid_to")
        ),
        LicenceAction.REFUSE_RENEWAL: lambda: licence_refuse_renewal(licence=licence, **decision),
        LicenceAction.WARN: lambda: licence_warn(licence=licence, **sanction),
        LicenceAction.ORDER_IMPROVEMENT: lambda: licence_order_improvement(
            licence=licence, **sanction, **_required(data, "deadline")
        ),
        LicenceAction.SUSPEND: lambda: licence_suspend(
            licence=licence,
            **sanction,
            activities=list(data.get("activities") or []),
            countries=list(data.get("countries") or []),
        ),
        LicenceAction.LIFT_SUSPENSION: lambda: licence_lift_suspension(licence=licence, **sanction),
        LicenceAction.REVOKE: lambda: licence_revoke(
            licence=licence, **sanction, **_required(data, "bar_until")
        ),
    }
    if action not in calls:
        raise ValidationError(_("This action happens by itself; it cannot be requested."))
    result = calls[action]()
    found: Licence = result.licence if isinstance(result, LicenceDecision) else result
    return found


def _required(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    missing = [k for k in keys if data.get(k) in (None, "")]
    if missing:
        raise ValidationError({k: _("This field is required.") for k in missing}, code="required")
    return {k: data[k] for k in keys}
