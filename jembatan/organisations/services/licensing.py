"""The only writers of licences and licence decisions.

Every service is keyword-only and atomic, locks the licence row
(:func:`jembatan.organisations.locks.lock_licence`) before checking its status
against the table in :mod:`jembatan.organisations.workflows`, and records the
change in the audit trail. Locking then checking is what makes a double-clicked "grant" produce
one decision: the second request waits for the first, then finds the licence
already granted and is refused without writing anything.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import filetype
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core import legal_frame
from jembatan.core.audit import actor_label, diff, record_change, snapshot
from jembatan.core.models import Country
from jembatan.core.roles import NATIONAL, Role
from jembatan.organisations.errors import OrganisationErrorCode
from jembatan.organisations.locks import lock_licence, lock_organisation
from jembatan.organisations.models import (
    IN_FORCE_STATUSES,
    OPEN_APPLICATION_STATUSES,
    PUBLISHABLE_KINDS,
    DecisionKind,
    Licence,
    LicenceActivity,
    LicenceDecision,
    LicenceStatus,
    LicenceType,
    Organisation,
    OrganisationKind,
)
from jembatan.organisations.rules import reapply_bar
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


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


# --- Applying ---------------------------------------------------------------------------


def _check_may_apply(organisation: Organisation, acting_user: Any, today: dt.date) -> None:
    if not organisation.may_hold_licence:
        raise ValidationError(
            _(
                "Only an organiser of apprenticeship abroad (a private LPK, a company, a "
                "government agency or an education institution) can hold a licence or "
                "registration (PER.08/MEN/V/2008)."
            ),
            code=OrganisationErrorCode.NOT_SENDING,
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
            code=OrganisationErrorCode.BARRED,
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
        code=OrganisationErrorCode.ALREADY_OPEN,
    )


def _checked_licence_type(organisation: Organisation, licence_type: str) -> str:
    """The licence type ``organisation`` may apply for, or the refusal naming the rule."""
    holds = legal_frame.licence_type_for_kind(organisation.kind) or LicenceType.APPRENTICESHIP
    if not licence_type:
        return holds
    allowed = {holds}
    if organisation.kind == OrganisationKind.SENDING_COMPANY:
        allowed.add(LicenceType.P3MI)
    if licence_type in allowed:
        return licence_type
    organiser = organisation.organiser_type
    raise ValidationError(
        _(
            "%(name)s is a %(kind)s: it may apply for a %(allowed)s, not a %(asked)s "
            "(rule: organiser types; source: %(basis)s)."
        )
        % {
            "name": organisation.name,
            "kind": organiser.label if organiser else organisation.get_kind_display(),
            "allowed": " / ".join(str(LicenceType(t).label) for t in sorted(allowed)),
            "asked": _label_of(licence_type),
            "basis": (organiser.basis if organiser else "") + "; UU 18/2017 (P3MI)",
        },
        code=OrganisationErrorCode.LICENCE_TYPE,
    )


def _label_of(licence_type: str) -> str:
    try:
        return str(LicenceType(licence_type).label)
    except ValueError:
        return licence_type


@transaction.atomic
def licence_apply(
    *,
    organisation: Organisation,
    acting_user: Any,
    licence_type: str = "",
    today: dt.date | None = None,
) -> Licence:
    """Start a licence application (a draft) for a sending organisation.

    ``licence_type`` defaults to what the organiser type holds
    (``core/data/organiser-types.csv``: a registration for an education institution,
    an apprenticeship licence for the others); a P3MI licence only for a company.
    Refused while the organisation is barred after a revocation, or while it
    already has an application in progress or a licence in force. The
    organisation row is locked so two simultaneous applications make one draft.
    """
    organisation = lock_organisation(organisation.pk)
    _check_may_apply(organisation, acting_user, _today(today))
    licence_type = _checked_licence_type(organisation, licence_type)
    _check_no_open_licence(organisation)
    licence = Licence.objects.create(
        organisation=organisation, status=LicenceStatus.DRAFT, licence_type=licence_type
    )
    record_change(
        acting_user=acting_user,
        operation="organisations.licence_apply",
        instance=licence,
        action="create",
        changes={k: {"before": None, "after": v} for k, v in _state(licence).items()},
    )
    return licence


# --- Moving a licence --------------------------------------------------------------------


def _state(licence: Licence) -> dict[str, Any]:
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


def _transition(
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
    transition = check_allowed(locked, action)
    before = _state(locked)
    if transition.target is not None:
        locked.status = transition.target
    row_change = ROW_CHANGES.get(action)
    if row_change is not None:
        row_change(locked, before["status"], given or {})
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


def _take_decision(
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
    locked, status_before = _transition(
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
        raise ValidationError(
            _("The licence must end after it starts."), code=OrganisationErrorCode.VALIDITY
        )


def _check_number_free(number: str, licence: Licence) -> str:
    cleaned = number.strip()
    if not cleaned:
        raise ValidationError(
            _("Give the licence number."), code=OrganisationErrorCode.NUMBER_REQUIRED
        )
    if Licence.objects.filter(number=cleaned).exclude(pk=licence.pk).exists():
        raise ValidationError(
            _("Licence number %(number)s is already in use.") % {"number": cleaned},
            code=OrganisationErrorCode.NUMBER_TAKEN,
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
    given = {
        "number": _check_number_free(number, licence),
        "valid_from": valid_from,
        "valid_to": valid_to,
    }
    decision = _take_decision(
        licence=licence,
        action=LicenceAction.GRANT,
        acting_user=acting_user,
        reason=reason,
        attachment=attachment,
        given=given,
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
    return _take_decision(
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
    locked = lock_licence(licence.pk)
    if locked.valid_from and locked.valid_from > day:
        raise ValidationError(
            _("This licence is valid only from %(date)s.") % {"date": locked.valid_from},
            code=OrganisationErrorCode.NOT_YET_VALID,
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
    return _take_decision(
        licence=licence,
        action=LicenceAction.RENEW,
        acting_user=acting_user,
        reason=reason,
        attachment=attachment,
        given={"valid_to": valid_to},
    )


@transaction.atomic
def licence_refuse_renewal(
    *, licence: Licence, reason: str, acting_user: Any, attachment: File | None = None
) -> LicenceDecision:
    """Refuse a renewal: the licence stays active until its ``valid_to``, then expires."""
    return _take_decision(
        licence=licence,
        action=LicenceAction.REFUSE_RENEWAL,
        acting_user=acting_user,
        reason=reason,
        attachment=attachment,
    )


# --- Sanctions --------------------------------------------------------------------------


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
    return _take_decision(
        licence=licence,
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
        raise ValidationError(
            _("The deadline must be in the future."), code=OrganisationErrorCode.DEADLINE
        )
    return _take_decision(
        licence=licence,
        action=LicenceAction.ORDER_IMPROVEMENT,
        acting_user=acting_user,
        reason=reason,
        attachment=attachment,
        published=published,
        attachment_public=attachment_public,
        deadline=deadline,
    )


def _activity_codes(activities: Iterable[str]) -> list[str]:
    codes = sorted({str(a) for a in activities})
    unknown = [c for c in codes if c not in LicenceActivity.values]
    if unknown:
        raise ValidationError(
            _("Unknown activity: %(codes)s.") % {"codes": ", ".join(unknown)},
            code=OrganisationErrorCode.ACTIVITY,
        )
    return codes


def _countries(countries: Iterable[Country | str]) -> list[Country]:
    codes = sorted({c.pk if isinstance(c, Country) else str(c).upper() for c in countries})
    found = list(Country.objects.filter(pk__in=codes))
    if len(found) != len(codes):
        missing = sorted(set(codes) - {c.pk for c in found})
        raise ValidationError(
            _("Unknown country: %(codes)s.") % {"codes": ", ".join(missing)},
            code=OrganisationErrorCode.COUNTRY,
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
    decision = _take_decision(
        licence=licence,
        action=LicenceAction.SUSPEND,
        acting_user=acting_user,
        reason=reason,
        attachment=attachment,
        published=published,
        attachment_public=attachment_public,
        suspended_activities=codes,
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
    return _take_decision(
        licence=licence,
        action=LicenceAction.LIFT_SUSPENSION,
        acting_user=acting_user,
        reason=reason,
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
            _("The bar on applying again must end in the future."),
            code=OrganisationErrorCode.BAR_UNTIL,
        )
    return _take_decision(
        licence=licence,
        action=LicenceAction.REVOKE,
        acting_user=acting_user,
        reason=reason,
        attachment=attachment,
        published=published,
        attachment_public=attachment_public,
        bar_until=bar_until,
    )


@transaction.atomic
def licence_expire(*, licence: Licence, acting_user: Any, today: dt.date | None = None) -> Licence:
    """Mark a licence whose ``valid_to`` has passed as expired (the daily task does this)."""
    locked = lock_licence(licence.pk)
    if locked.valid_to is None or locked.valid_to >= _today(today):
        raise ValidationError(
            _("This licence has not run out yet."), code=OrganisationErrorCode.NOT_EXPIRED
        )
    return _transition(licence=locked, action=LicenceAction.EXPIRE, acting_user=acting_user)[0]


# --- One entry point for pages and the API ----------------------------------------------

# The service of each action a person may ask for (activation and expiry happen by themselves).
REQUESTABLE: dict[LicenceAction, Callable[..., Licence | LicenceDecision]] = {
    LicenceAction.SUBMIT: licence_submit,
    LicenceAction.START_REVIEW: licence_start_review,
    LicenceAction.REQUEST_RENEWAL: licence_request_renewal,
    LicenceAction.GRANT: licence_grant,
    LicenceAction.REJECT: licence_reject,
    LicenceAction.RENEW: licence_renew,
    LicenceAction.REFUSE_RENEWAL: licence_refuse_renewal,
    LicenceAction.WARN: licence_warn,
    LicenceAction.ORDER_IMPROVEMENT: licence_order_improvement,
    LicenceAction.SUSPEND: licence_suspend,
    LicenceAction.LIFT_SUSPENSION: licence_lift_suspension,
    LicenceAction.REVOKE: licence_revoke,
}
# Never taken from a form: who acts, on which licence, and the clock.
NOT_FROM_INPUT = frozenset({"licence", "acting_user", "today"})


def perform_action(
    *, licence: Licence, action: LicenceAction, acting_user: Any, data: dict[str, Any]
) -> Licence:
    """Run ``action`` with the fields of its form (see ``forms.ACTION_FORMS``); return the licence.

    ``data`` keys are the form field names; the action's service (``REQUESTABLE``)
    takes those its keyword parameters name (see :func:`_arguments`). Its
    refusals are raised unchanged, exactly as when it is called directly.
    """
    service = REQUESTABLE.get(action)
    if service is None:
        raise ValidationError(_("This action happens by itself; it cannot be requested."))
    result = service(licence=licence, acting_user=acting_user, **_arguments(service, data))
    found: Licence = result.licence if isinstance(result, LicenceDecision) else result
    return found


def _arguments(service: Callable[..., Any], data: Mapping[str, Any]) -> dict[str, Any]:
    """The values of ``data`` that ``service`` takes, by its keyword parameters.

    A parameter without a default (a grant's number, a revocation's bar) missing
    from ``data`` is refused beside its field; a missing reason is left to the
    service, which says why a decision needs one. Empty optional values are left
    out, so the service's defaults apply.
    """
    parameters = {
        name: parameter
        for name, parameter in inspect.signature(service).parameters.items()
        if name not in NOT_FROM_INPUT
    }
    missing = [
        name
        for name, parameter in parameters.items()
        if parameter.default is parameter.empty
        and name != "reason"
        and data.get(name) in (None, "")
    ]
    if missing:
        raise ValidationError(
            {name: _("This field is required.") for name in missing},
            code=OrganisationErrorCode.REQUIRED,
        )
    taken = {name: data[name] for name in parameters if data.get(name) is not None}
    if "reason" in parameters:
        taken["reason"] = str(data.get("reason") or "")
    return taken
