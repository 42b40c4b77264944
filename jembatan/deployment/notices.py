"""The e-mails of the stay abroad: overdue reports, escalations and a check-in asking for help.

Sent through Django's e-mail backend once the change that causes them commits
(a refused or rolled-back change tells nobody), each in its recipient's language, to the
sending organisation's active operators and its own address, or to the
ministry's national staff. Nobody with an address, nobody told: the alert is
still recorded and shown on the pages.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from jembatan.accounts.models import User
from jembatan.core.roles import NATIONAL, Role
from jembatan.deployment.models import ReportKind
from jembatan.deployment.rules import day
from jembatan.organisations.models import Organisation

logger = logging.getLogger(__name__)


def footer() -> str:
    """The last line of every message: who sent it."""
    return _("This message is sent automatically by Jembatan, Kemnaker.")


def organisation_recipients(organisation: Organisation) -> list[tuple[str, str]]:
    """(address, language) of the organisation's active operators, and its own address."""
    operators = User.objects.filter(
        organisation=organisation, is_active=True, role=Role.SENDER_OPERATOR
    ).exclude(email="")
    found = {u.email.lower(): u.preferred_language or "id" for u in operators}
    if organisation.email:
        found.setdefault(organisation.email.lower(), "id")
    return sorted(found.items())


def ministry_recipients() -> list[tuple[str, str]]:
    """(address, language) of the ministry's active national staff."""
    staff = User.objects.filter(is_active=True, role__in=sorted(NATIONAL)).exclude(email="")
    return sorted({u.email.lower(): u.preferred_language or "id" for u in staff}.items())


def _send(recipients: Sequence[tuple[str, str]], compose: Any) -> list[str]:
    """Compose each message in its reader's language now; send them once the change commits."""
    messages = []
    for address, language in recipients:
        with translation.override(language):
            messages.append((*compose(), address))

    def send() -> None:
        for subject, body, address in messages:
            try:
                send_mail(subject, body, None, [address])
            except Exception:  # a mail server down must not undo or fail the change itself
                logger.exception("Could not send %r to %s", subject, address)

    transaction.on_commit(send)
    return [address for address, _language in recipients]


def _lines(rows: Iterable[Any]) -> str:
    return "\n".join(
        f"- {r.reference} {r.participant}: {ReportKind(r.kind).label}, "
        + _("due on %(date)s") % {"date": day(r.due_on)}
        for r in rows
    )


def overdue_to_organisation(organisation: Organisation, rows: Sequence[Any]) -> list[str]:
    """Tell a sending organisation which reports on its apprentices are overdue."""

    def compose() -> tuple[str, str]:
        subject = _("Monitoring reports overdue: %(n)s for %(name)s") % {
            "n": len(rows),
            "name": organisation.name,
        }
        body = (
            _(
                "These monitoring reports on apprentices abroad were not handed in by their due "
                "date:\n\n%(lines)s\n\nSign in to Jembatan and hand them in (Departure and stay "
                "abroad → Overdue reports). If they are still missing after the grace period, "
                "Kemnaker is told."
            )
            % {"lines": _lines(rows)}
            + "\n\n"
            + footer()
        )
        return subject, body

    return _send(organisation_recipients(organisation), compose)


def escalated_to_ministry(rows: Sequence[Any]) -> list[str]:
    """Tell the ministry which overdue reports the grace period did not bring in."""

    def compose() -> tuple[str, str]:
        subject = _("Monitoring reports still overdue after the grace period: %(n)s") % {
            "n": len(rows)
        }
        body = (
            _(
                "The sending organisations were told of these overdue reports and they are "
                "still missing:\n\n%(lines)s\n\nThe list is in Jembatan under Departure and stay "
                "abroad → Overdue reports."
            )
            % {"lines": _lines(rows)}
            + "\n\n"
            + footer()
        )
        return subject, body

    return _send(ministry_recipients(), compose)


def help_asked(organisation: Organisation, reference: str, name: str) -> list[str]:
    """Tell the sending organisation at once that an apprentice answered "something is wrong"."""

    def compose() -> tuple[str, str]:
        subject = _("%(name)s says something is wrong (%(reference)s)") % {
            "name": name,
            "reference": reference,
        }
        body = (
            _(
                "In their check-in, %(name)s (%(reference)s) answered that something is wrong. "
                "Call them today, and the host company and the supervising organisation if "
                "needed. Their answers are on the deployment's page in Jembatan."
            )
            % {"name": name, "reference": reference}
            + "\n\n"
            + footer()
        )
        return subject, body

    return _send(organisation_recipients(organisation), compose)
