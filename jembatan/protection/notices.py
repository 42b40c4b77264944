"""The e-mails of protection cases: a case handed to a new owner (escalation, assignment).

Sent through Django's e-mail backend once the change commits (a refused or
rolled-back change tells nobody), in the owner's language. An e-mail names only
the case code, category, severity, level and deadline: never the reporter, never
what happened (the case file is read in Jembatan, where the read is logged).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from jembatan.accounts.models import User
from jembatan.protection.models import Case

logger = logging.getLogger(__name__)


def _line(case: Case) -> str:
    due = case.current_deadline()
    when = date_format(timezone.localtime(due), "DATETIME_FORMAT") if due else "-"
    deadline = _("deadline %(when)s") % {"when": when}
    return (
        f"- {case.code}: {case.get_category_display()}, {case.get_severity_display()}, "
        f"{case.get_level_display()}; {deadline}"
    )


def cases_handed_to(owner: User, cases: Sequence[Case], *, escalated: bool) -> list[str]:
    """Tell ``owner`` which cases are now theirs; the addresses written to (none without one)."""
    if not owner.email or not cases:
        return []
    with translation.override(owner.preferred_language or "id"):
        subject = (
            _("Protection cases escalated to you: %(n)s")
            if escalated
            else _("Protection cases assigned to you: %(n)s")
        ) % {"n": len(cases)}
        body = (
            _(
                "These protection cases are now yours:\n\n%(lines)s\n\nOpen them in Jembatan "
                "(Protection → Cases, filter: mine). Reporters' identities are confidential."
            )
            % {"lines": "\n".join(_line(c) for c in cases)}
            + "\n\n"
            + _("This message is sent automatically by Jembatan, Kemnaker.")
        )
    address = owner.email

    def send() -> None:
        try:
            send_mail(subject, body, None, [address])
        except Exception:  # a mail server down must not undo or fail the change itself
            logger.exception("Could not send %r to %s", subject, address)

    transaction.on_commit(send)
    return [address]
