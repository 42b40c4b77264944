"""The licence rule every path must pass: only a licence in force lets an organisation act.

Registering, submitting, advancing or sending participants — through pages, the
API, imports or commands — calls :func:`ensure_can_act` first. The refusal says
why and what to do, in the user's language.

The rule reads the dates itself, so a licence whose ``valid_to`` has passed
refuses at once, even before the daily task has marked it expired. A partial
suspension refuses only what it names: the activities it lists (an action that
does not say which activity it is counts as all of them) and the destination
countries it lists (checked when the caller passes ``country``).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from jembatan.core import legal_frame
from jembatan.core.models import Country
from jembatan.organisations.errors import OrganisationErrorCode
from jembatan.organisations.models import (
    ACTING_STATUSES,
    IN_FORCE_STATUSES,
    OPEN_APPLICATION_STATUSES,
    DecisionKind,
    Licence,
    LicenceActivity,
    LicenceDecision,
    LicenceStatus,
    LicenceType,
    Organisation,
)


class LicenceRequired(ValidationError):
    """The organisation may not act now; the message says why and what to do."""


def _day(value: dt.date | None) -> str:
    return formats.date_format(value, "j F Y") if value else "—"


def acting_licence(organisation: Organisation, *, today: dt.date | None = None) -> Licence | None:
    """The licence that currently lets ``organisation`` act fully, if any."""
    today = today or timezone.localdate()
    return (
        organisation.licences.filter(
            status__in=sorted(ACTING_STATUSES), valid_to__gte=today, valid_from__lte=today
        )
        .order_by("-valid_to")
        .first()
    )


def current_suspension(licence: Licence) -> LicenceDecision | None:
    """The decision that suspended ``licence``, while it is suspended."""
    if licence.status != LicenceStatus.SUSPENDED:
        return None
    return (
        licence.decisions.filter(kind=DecisionKind.SUSPENSION)
        .prefetch_related("suspended_countries")
        .order_by("-decided_at", "-id")
        .first()
    )


def suspension_blocks(
    suspension: LicenceDecision, *, activity: str | None, country: str | None
) -> bool:
    """True if ``suspension`` covers this action (an empty scope covers everything)."""
    activities = set(suspension.suspended_activities or [])
    countries = {c.pk for c in suspension.suspended_countries.all()}
    activity_hit = not activities or activity is None or activity in activities
    country_hit = not countries or (country is not None and country in countries)
    return activity_hit and country_hit


def reapply_bar(organisation: Organisation, *, today: dt.date) -> LicenceDecision | None:
    """The revocation that still bars ``organisation`` from applying, if any."""
    return (
        LicenceDecision.objects.filter(
            licence__organisation=organisation,
            kind=DecisionKind.REVOCATION,
            bar_until__gt=today,
        )
        .order_by("-bar_until")
        .first()
    )


def _country_code(country: Country | str | None) -> str | None:
    if country is None:
        return None
    return country.pk if isinstance(country, Country) else str(country).upper()


def ensure_can_act(
    organisation: Organisation | None,
    *,
    activity: LicenceActivity | str | None = None,
    country: Country | str | None = None,
    scheme: str | None = None,
    today: dt.date | None = None,
) -> Licence:
    """Return the licence that lets ``organisation`` act, or raise :class:`LicenceRequired`.

    ``activity`` (a :class:`LicenceActivity`) and ``country`` (a destination)
    matter only under a partial suspension; pass them where they are known.
    ``scheme`` (a job order's programme) must run under the regime of the licence's
    type (``core/data/scheme-legal-frame.csv``): an apprenticeship licence sends no
    SSW worker, and no private licence sends under EPS.
    """
    if organisation is None:
        raise LicenceRequired(
            _("A licensed sending organisation is required."), code=OrganisationErrorCode.NO_ORG
        )
    today = today or timezone.localdate()
    licence = acting_licence(organisation, today=today)
    if licence is not None:
        return _of_the_right_type(licence, scheme)
    suspended = _suspended_in_validity(organisation, today)
    suspension = current_suspension(suspended) if suspended else None
    code = _country_code(country)
    if (
        suspended
        and suspension
        and not suspension_blocks(suspension, activity=activity, country=code)
    ):
        return _of_the_right_type(suspended, scheme)
    raise LicenceRequired(
        _refusal(organisation, today), code=OrganisationErrorCode.LICENCE_REQUIRED
    )


# A registered education institution organises apprenticeships like a licensed one.
_COVERS = {
    legal_frame.APPRENTICESHIP: {LicenceType.APPRENTICESHIP, LicenceType.REGISTRATION},
    legal_frame.P3MI: {LicenceType.P3MI},
    legal_frame.GOVERNMENT: set(),
}


def _of_the_right_type(licence: Licence, scheme: str | None) -> Licence:
    """``licence`` if its type may send under ``scheme``; else the refusal naming the rule."""
    frame = legal_frame.frame_for(scheme) if scheme else None
    if frame is None or licence.licence_type in _COVERS.get(frame.licence_type, set()):
        return licence
    raise LicenceRequired(
        _wrong_type_message(licence, frame), code=OrganisationErrorCode.WRONG_LICENCE_TYPE
    )


def _wrong_type_message(licence: Licence, frame: legal_frame.SchemeFrame) -> str:
    values = {
        "name": licence.organisation.name,
        "type": licence.get_licence_type_display(),
        "scheme": frame.label,
        "basis": frame.basis,
    }
    if frame.licence_type == legal_frame.GOVERNMENT:
        message = _(
            "%(scheme)s runs government to government under the migrant-worker placement "
            "regime; no licence of an organisation may send under it, and %(name)s holds a "
            "%(type)s (rule: the programme's legal frame; source: %(basis)s)."
        )
    elif frame.licence_type == legal_frame.P3MI:
        message = _(
            "%(scheme)s is labour migration, not apprenticeship: it needs a licence to place "
            "migrant workers (SIP3MI), and %(name)s holds a %(type)s "
            "(rule: the programme's legal frame; source: %(basis)s)."
        )
    else:
        message = _(
            "%(scheme)s is an apprenticeship abroad: it needs a licence to organise "
            "apprenticeship abroad, and %(name)s holds a %(type)s "
            "(rule: the programme's legal frame; source: %(basis)s)."
        )
    return message % values


def why_it_may_not_act(organisation: Organisation) -> str:
    """Empty if ``organisation`` may act today (or holds no licence of its kind), else why not."""
    if not organisation.may_hold_licence:
        return ""
    try:
        ensure_can_act(organisation)
    except LicenceRequired as refusal:
        return " ".join(refusal.messages)
    return ""


def _suspended_in_validity(organisation: Organisation, today: dt.date) -> Licence | None:
    return organisation.licences.filter(
        status=LicenceStatus.SUSPENDED, valid_to__gte=today, valid_from__lte=today
    ).first()


def licence_to_explain(organisation: Organisation) -> Licence | None:
    """The licence a refusal talks about: the one in force, an open application, or the latest."""
    licences = organisation.licences.order_by("-id")
    for statuses in (IN_FORCE_STATUSES, OPEN_APPLICATION_STATUSES):
        found = licences.filter(status__in=sorted(statuses)).first()
        if found is not None:
            return found
    return licences.first()


def _refusal(organisation: Organisation, today: dt.date) -> str:
    licence = licence_to_explain(organisation)
    values = {"name": organisation.name, "kind": organisation.get_kind_display()}
    if not organisation.may_hold_licence:
        return (
            _(
                "%(name)s is not a sending organisation (it is a %(kind)s). Only a licensed "
                "organiser of apprenticeship abroad (an LPK, a company, a government agency or "
                "a registered education institution) may register, submit or send participants."
            )
            % values
        )
    if licence is None:
        return (
            _(
                "%(name)s has no licence to organise overseas apprenticeships. "
                "Apply for one at Kemnaker before registering or sending participants."
            )
            % values
        )
    values |= {
        "number": licence.number or "—",
        "status": licence.get_status_display(),
        "valid_from": _day(licence.valid_from),
        "valid_to": _day(licence.valid_to),
    }
    return _message_for(licence, today, values)


def _message_for(licence: Licence, today: dt.date, values: dict[str, str]) -> str:
    if licence.status in OPEN_APPLICATION_STATUSES:
        return (
            _(
                "%(name)s has applied for a licence, but it has not been granted yet "
                "(status: %(status)s). It may register, submit or send participants only once "
                "Kemnaker grants the licence and it is in force."
            )
            % values
        )
    if licence.valid_to and licence.valid_to < today and licence.status != LicenceStatus.REVOKED:
        return (
            _(
                "The licence of %(name)s (%(number)s) expired on %(valid_to)s. Apply to Kemnaker "
                "for a new licence before registering, submitting or sending participants."
            )
            % values
        )
    if licence.status == LicenceStatus.GRANTED or (
        licence.valid_from and licence.valid_from > today
    ):
        return (
            _(
                "The licence of %(name)s (%(number)s) is granted but valid only from "
                "%(valid_from)s. Wait until then before registering, submitting or sending "
                "participants."
            )
            % values
        )
    return _status_message(licence, values)


def _status_message(licence: Licence, values: dict[str, str]) -> str:
    if licence.status == LicenceStatus.SUSPENDED:
        return _suspension_message(licence, values)
    if licence.status == LicenceStatus.REVOKED:
        return _revocation_message(licence, values)
    if licence.status == LicenceStatus.REJECTED:
        return (
            _(
                "The licence application of %(name)s was rejected. It may not register, submit "
                "or send participants; it may apply to Kemnaker again."
            )
            % values
        )
    return (
        _(
            "The licence of %(name)s (%(number)s) is not in force (status: %(status)s, "
            "valid until %(valid_to)s). Renew it at Kemnaker before registering, "
            "submitting or sending participants."
        )
        % values
    )


def scope_text(suspension: LicenceDecision) -> str:
    """The scope of a suspension in words ("activities: …; destinations: Japan")."""
    labels = dict(LicenceActivity.choices)
    activities = [str(labels.get(a, a)) for a in suspension.suspended_activities or []]
    countries = [str(c) for c in suspension.suspended_countries.all()]
    parts = []
    if activities:
        parts.append(_("activities: %(list)s") % {"list": ", ".join(activities)})
    if countries:
        parts.append(_("destinations: %(list)s") % {"list": ", ".join(countries)})
    return "; ".join(parts) or _("all activities")


def suspension_is_partial(suspension: LicenceDecision) -> bool:
    """True if the suspension names activities or countries (so the rest may go on)."""
    return bool(suspension.suspended_activities) or suspension.suspended_countries.exists()


def _suspension_message(licence: Licence, values: dict[str, str]) -> str:
    suspension = current_suspension(licence)
    if suspension is None or not suspension_is_partial(suspension):
        return (
            _(
                "The licence of %(name)s (%(number)s) is suspended. It may not register, "
                "submit or send participants until Kemnaker lifts the suspension."
            )
            % values
        )
    return _(
        "The licence of %(name)s (%(number)s) is partly suspended (%(scope)s), and this "
        "action falls under the suspension. It is possible again once Kemnaker lifts it."
    ) % (values | {"scope": scope_text(suspension)})


def _revocation_message(licence: Licence, values: dict[str, str]) -> str:
    revocation = licence.decisions.filter(kind=DecisionKind.REVOCATION).first()
    if revocation is None or revocation.bar_until is None:
        return (
            _(
                "The licence of %(name)s (%(number)s) has been revoked. It may no longer "
                "register, submit or send participants."
            )
            % values
        )
    return _(
        "The licence of %(name)s (%(number)s) has been revoked. It may no longer "
        "register, submit or send participants, and may not apply again before %(bar)s."
    ) % (values | {"bar": _day(revocation.bar_until)})
