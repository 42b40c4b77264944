"""Applying for a licence and the ministry's review: from a draft to a licence in force.

The writers of licences share one path (:mod:`~.licence_decisions`); a person's
request by name goes through :func:`~.licensing.perform_action`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core import legal_frame
from jembatan.core.audit import record_change
from jembatan.core.roles import NATIONAL, Role
from jembatan.organisations.errors import OrganisationErrorCode
from jembatan.organisations.locks import lock_licence, lock_organisation
from jembatan.organisations.models import (
    IN_FORCE_STATUSES,
    OPEN_APPLICATION_STATUSES,
    Licence,
    LicenceDecision,
    LicenceStatus,
    LicenceType,
    Organisation,
    OrganisationKind,
)
from jembatan.organisations.rules import reapply_bar
from jembatan.organisations.services.licence_decisions import (
    licence_state,
    take_decision,
    the_day,
    transition,
)
from jembatan.organisations.workflows import LicenceAction

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
    _check_may_apply(organisation, acting_user, the_day(today))
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
        changes={k: {"before": None, "after": v} for k, v in licence_state(licence).items()},
    )
    return licence


# --- The applicant's steps --------------------------------------------------------------


@transaction.atomic
def licence_submit(*, licence: Licence, acting_user: Any) -> Licence:
    """Send a draft application to Kemnaker for review."""
    return transition(licence=licence, action=LicenceAction.SUBMIT, acting_user=acting_user)[0]


# --- The ministry's review --------------------------------------------------------------


@transaction.atomic
def licence_start_review(*, licence: Licence, acting_user: Any) -> Licence:
    """Take a submitted application into review."""
    return transition(licence=licence, action=LicenceAction.START_REVIEW, acting_user=acting_user)[
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
    decision = take_decision(
        licence=licence,
        action=LicenceAction.GRANT,
        acting_user=acting_user,
        reason=reason,
        attachment=attachment,
        given=given,
    )
    if valid_from <= the_day(today):
        decision.licence = licence_activate(
            licence=decision.licence, acting_user=acting_user, today=today
        )
    return decision


@transaction.atomic
def licence_reject(
    *, licence: Licence, reason: str, acting_user: Any, attachment: File | None = None
) -> LicenceDecision:
    """Refuse an application; the organisation may apply again (no bar)."""
    return take_decision(
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
    day = the_day(today)
    locked = lock_licence(licence.pk)
    if locked.valid_from and locked.valid_from > day:
        raise ValidationError(
            _("This licence is valid only from %(date)s.") % {"date": locked.valid_from},
            code=OrganisationErrorCode.NOT_YET_VALID,
        )
    return transition(licence=locked, action=LicenceAction.ACTIVATE, acting_user=acting_user)[0]
