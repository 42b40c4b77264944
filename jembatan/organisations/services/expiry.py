"""What happens to licences by itself each day: activation, expiry and reminders.

:func:`licences_run_daily` is idempotent: running it twice on the same day
changes nothing the second time. Each licence is handled in its own
transaction through the lifecycle services (so it is locked, checked and
audited as ``system:scheduler``), and one failing licence does not stop the
others. Reminders are recorded before the e-mail leaves, in the same
transaction, so a threshold is sent once per validity period even if two
workers run at the same time; if sending fails the record is rolled back and
the next run tries again.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import formats, translation
from django.utils.translation import gettext as _

from jembatan.core.audit import record_change
from jembatan.core.metrics import LICENCE_RUN_SECONDS, timed
from jembatan.core.roles import Role
from jembatan.core.transitions import SYSTEM_ACTOR
from jembatan.organisations.models import Licence, LicenceReminder, LicenceStatus
from jembatan.organisations.services.licence_applications import licence_activate
from jembatan.organisations.services.licence_renewals import licence_expire

logger = logging.getLogger(__name__)
REMINDER_DAYS = (90, 30, 7)
EXPIRING_STATUSES = (LicenceStatus.ACTIVE, LicenceStatus.RENEWAL, LicenceStatus.SUSPENDED)
REMINDED_STATUSES = (LicenceStatus.ACTIVE, LicenceStatus.RENEWAL)


@dataclass
class DailyReport:
    """What one daily run did, by licence number (or id when unnumbered)."""

    activated: list[str] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)
    reminded: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[str]]:
        """JSON-safe form for the task result and the command's output."""
        return {
            "activated": self.activated,
            "expired": self.expired,
            "reminded": self.reminded,
            "failed": self.failed,
        }


def _name(licence: Licence) -> str:
    return licence.number or f"#{licence.pk}"


def _each(rows: Any, step: Any, done: list[str], report: DailyReport) -> None:
    for licence in rows:
        try:
            step(licence)
        except ValidationError:
            # Changed by someone else since the query (e.g. suspended or renewed): skip.
            continue
        except Exception:
            logger.exception("Daily licence run failed for licence %s", licence.pk)
            report.failed.append(_name(licence))
            continue
        done.append(_name(licence))


def licences_run_daily(*, today: dt.date) -> DailyReport:
    """Activate licences whose start has come, expire those that ran out, send reminders."""
    with timed(LICENCE_RUN_SECONDS):
        return _run_daily(today)


def _run_daily(today: dt.date) -> DailyReport:
    report = DailyReport()
    due = Licence.objects.filter(status=LicenceStatus.GRANTED, valid_from__lte=today)
    _each(
        list(due),
        lambda lic: licence_activate(licence=lic, acting_user=SYSTEM_ACTOR, today=today),
        report.activated,
        report,
    )
    ran_out = Licence.objects.filter(status__in=EXPIRING_STATUSES, valid_to__lt=today)
    _each(
        list(ran_out),
        lambda lic: licence_expire(licence=lic, acting_user=SYSTEM_ACTOR, today=today),
        report.expired,
        report,
    )
    for licence in _reminder_candidates(today):
        if send_reminder(licence=licence, today=today):
            report.reminded.append(_name(licence))
    return report


def _reminder_candidates(today: dt.date) -> list[Licence]:
    return list(
        Licence.objects.filter(
            status__in=REMINDED_STATUSES,
            valid_to__gte=today,
            valid_to__lte=today + dt.timedelta(days=max(REMINDER_DAYS)),
        ).select_related("organisation")
    )


def threshold_for(days_left: int) -> int | None:
    """The smallest threshold that ``days_left`` has reached (90, 30 or 7), if any."""
    reached = [d for d in REMINDER_DAYS if days_left <= d]
    return min(reached) if reached else None


def send_reminder(*, licence: Licence, today: dt.date) -> bool:
    """Send the reminder due for ``licence`` today, once; True if one was sent now."""
    assert licence.valid_to is not None
    threshold = threshold_for((licence.valid_to - today).days)
    if threshold is None:
        return False
    recipients = _recipients(licence)
    try:
        with transaction.atomic():
            reminder = LicenceReminder.objects.create(
                licence=licence,
                days_before=threshold,
                valid_to=licence.valid_to,
                recipients=[address for address, _language in recipients],
            )
            _mail(licence, recipients, today)
            record_change(
                acting_user=SYSTEM_ACTOR,
                operation="organisations.licence_reminder",
                instance=reminder,
                action="create",
                changes={"days_before": {"before": None, "after": threshold}},
            )
    except IntegrityError:
        return False  # already sent for this threshold and validity
    return True


def _recipients(licence: Licence) -> list[tuple[str, str]]:
    """(address, language) of the organisation's active operators, and its own address."""
    operators = licence.organisation.operators.filter(
        is_active=True, role=Role.SENDER_OPERATOR
    ).exclude(email="")
    found = {u.email.lower(): u.preferred_language for u in operators}
    if licence.organisation.email:
        found.setdefault(licence.organisation.email.lower(), "id")
    return sorted(found.items())


def _mail(licence: Licence, recipients: list[tuple[str, str]], today: dt.date) -> None:
    for address, language in recipients:
        with translation.override(language):
            subject, body = _message(licence, today)
        send_mail(subject, body, None, [address])


def _message(licence: Licence, today: dt.date) -> tuple[str, str]:
    assert licence.valid_to is not None
    values = {
        "name": licence.organisation.name,
        "number": _name(licence),
        "date": formats.date_format(licence.valid_to, "j F Y"),
        "days": (licence.valid_to - today).days,
    }
    subject = _("Licence %(number)s expires in %(days)s days") % values
    body = (
        _(
            "The licence of %(name)s to organise overseas apprenticeships (%(number)s) is "
            "valid until %(date)s, %(days)s days from now.\n\n"
            "After that date %(name)s may not register, submit or send participants. "
            "To keep working, sign in to Jembatan and request a renewal of the licence "
            "(Organisations → your organisation → Request a renewal). A renewal requested "
            "in time lets you keep working while Kemnaker reviews it.\n\n"
            "This message is sent automatically by Jembatan, Kemnaker."
        )
        % values
    )
    return subject, body
