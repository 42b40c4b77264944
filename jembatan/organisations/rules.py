"""The licence rule every path must pass: only an acting licence lets an organisation act.

Registering, submitting, advancing or sending participants — through pages, the
API, imports or commands — calls :func:`ensure_can_act` first. The refusal says
why and what to do, in the user's language.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.organisations.models import ACTING_STATUSES, Licence, LicenceStatus, Organisation


class LicenceRequired(ValidationError):
    """The organisation may not act now; the message says why and what to do."""


def acting_licence(organisation: Organisation) -> Licence | None:
    """The licence that currently lets ``organisation`` act, if any."""
    today = timezone.localdate()
    return (
        organisation.licences.filter(status__in=sorted(ACTING_STATUSES), valid_to__gte=today)
        .order_by("-valid_to")
        .first()
    )


def ensure_can_act(organisation: Organisation | None) -> Licence:
    """Return the acting licence, or raise :class:`LicenceRequired` explaining the refusal."""
    if organisation is None:
        raise LicenceRequired(_("A licensed sending organisation is required."), code="no_org")
    licence = acting_licence(organisation)
    if licence is not None:
        return licence
    raise LicenceRequired(_refusal(organisation), code="licence_required")


def _refusal(organisation: Organisation) -> str:
    latest = organisation.licences.order_by("-valid_to", "-id").first()
    name = organisation.name
    if latest is None:
        return _(
            "%(name)s has no licence to organise overseas apprenticeships. "
            "Apply for one at Kemnaker before registering or sending participants."
        ) % {"name": name}
    messages = {
        LicenceStatus.SUSPENDED: _(
            "The licence of %(name)s (%(number)s) is suspended. It may not register, "
            "submit or send participants until the suspension is lifted."
        ),
        LicenceStatus.REVOKED: _(
            "The licence of %(name)s (%(number)s) has been revoked. It may no longer "
            "register, submit or send participants."
        ),
    }
    default = _(
        "The licence of %(name)s (%(number)s) is not active (status: %(status)s, "
        "valid until %(valid_to)s). Renew it at Kemnaker before registering, "
        "submitting or sending participants."
    )
    return messages.get(LicenceStatus(latest.status), default) % {
        "name": name,
        "number": latest.number or "—",
        "status": latest.get_status_display(),
        "valid_to": latest.valid_to.isoformat() if latest.valid_to else "—",
    }
