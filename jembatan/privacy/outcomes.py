"""The outcome of a rights request in words, in the language the person asked in.

UU PDP obliges the controller to tell the person what was done (art. 30(2),
41(3), 45) or why not. The words are composed when the officer decides and
kept on the request, so the person reads the same answer whenever they look.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from jembatan.participants.models import ConsentPurpose, Participant
from jembatan.privacy.models import RequestKind, RightsRequest


def field_label(name: str) -> str:
    """The label of a participant field, as the registry shows it."""
    return str(getattr(Participant._meta.get_field(name), "verbose_name", name))


def shown_value(participant: Participant, name: str) -> str:
    """The value of a participant field as people read it (choices by their label)."""
    field = Participant._meta.get_field(name)
    if getattr(field, "choices", None):
        return str(getattr(participant, f"get_{name}_display")())
    value = getattr(participant, name)
    return "" if value is None else str(value)


def _when(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _done(rights_request: RightsRequest, at: str) -> str:
    kind = rights_request.kind
    if kind == RequestKind.CORRECT:
        return _("On %(at)s your %(field)s was corrected as you asked; your record shows it.") % {
            "at": at,
            "field": field_label(rights_request.field_name),
        }
    if kind == RequestKind.DELETE:
        return _(
            "On %(at)s your personal data were deleted: your record was anonymised, your "
            "documents removed and your sign-in account closed. The audit trail keeps that "
            "this happened, as the law requires us to account for every processing."
        ) % {"at": at}
    if kind in (RequestKind.RESTRICT, RequestKind.OBJECT):
        start = (
            _("Your objection was upheld.")
            if kind == RequestKind.OBJECT
            else _("Your request was carried out.")
        )
        return (
            start
            + " "
            + _(
                "From %(at)s the processing of your data is restricted: partners abroad no "
                "longer see you, and no new training or selection starts for you, until you "
                "ask an officer to lift the restriction."
            )
            % {"at": at}
        )
    consent = rights_request.consent
    effect = ""
    if consent is not None and consent.purpose == ConsentPurpose.TRANSFER_ABROAD:
        effect = " " + _("Partners abroad no longer see you or your record.")
    purpose = consent.get_purpose_display() if consent is not None else ""
    return _("Your consent “%(purpose)s” is withdrawn.") % {"purpose": purpose} + effect


def outcome_text(
    rights_request: RightsRequest,
    *,
    done: bool,
    note: str,
    at: dt.datetime,
    reasons: Sequence[str | Promise] = (),
) -> str:
    """What the person reads: the decision, its reasons and the officer's explanation."""
    with translation.override(rights_request.language):
        when = _when(at)
        if done:
            lines = [_done(rights_request, when)]
        else:
            lines = [_("On %(at)s your request was refused.") % {"at": when}]
            lines += [str(reason) for reason in reasons]
        if note:
            lines.append(_("The officer's explanation: %(note)s") % {"note": note})
        return "\n".join(lines)
