"""The writer of programmes' rule sets: a new version published, the old one closed (audited)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core import legal_frame
from jembatan.core.access import role_of
from jembatan.core.audit import actor_label, record_change
from jembatan.core.errors import CoreErrorCode
from jembatan.core.locks import lock_current_rule_set
from jembatan.core.models import SchemeRuleSet
from jembatan.core.roles import Role
from jembatan.core.scheme_rules import parse_rules


def _checked_programme(programme: str) -> str:
    if legal_frame.frame_for(programme) is None:
        raise ValidationError(
            _("“%(programme)s” is not a programme of the legal frame.") % {"programme": programme},
            code=CoreErrorCode.UNKNOWN_PROGRAMME,
        )
    return programme


@transaction.atomic
def scheme_rules_publish(
    *,
    programme: str,
    text: str,
    source: str,
    reason: str,
    acting_user: Any,
    valid_from: dt.date | None = None,
) -> SchemeRuleSet:
    """Publish a new version of ``programme``'s rules from ``text`` (CSV, see scheme_rules).

    The current version is closed the day before ``valid_from`` (today by default,
    never in the past) and kept: a refusal given under it can still be explained.
    Only a national administrator publishes; an unchanged rule set is refused.
    """
    if role_of(acting_user) != Role.NATIONAL_ADMIN:
        raise PermissionDenied(_("Only a national administrator publishes programme rules."))
    _checked_programme(programme)
    rules = [r.as_dict() for r in parse_rules(text)]
    source, reason = source.strip(), reason.strip()
    if not source or not reason:
        raise ValidationError(
            _("Say which source the rules follow and why they change."),
            code=CoreErrorCode.RULE_INVALID,
        )
    today = timezone.localdate()
    valid_from = valid_from or today
    current = lock_current_rule_set(programme)
    _check_succession(current, rules, valid_from, today)
    if current is not None:
        SchemeRuleSet.objects.filter(pk=current.pk).update(
            valid_to=valid_from - dt.timedelta(days=1)
        )
    published = SchemeRuleSet.objects.create(
        programme=programme,
        version=(current.version + 1) if current else 1,
        valid_from=valid_from,
        source=source,
        rules=rules,
        reason=reason,
        published_by=acting_user,
        published_by_label=actor_label(acting_user),
    )
    record_change(
        acting_user=acting_user,
        operation="core.scheme_rules_publish",
        instance=published,
        action="create",
        changes={
            "version": {"before": current.version if current else None, "after": published.version},
            "rules": {"before": current.rules if current else None, "after": rules},
            "source": {"before": current.source if current else None, "after": source},
        },
        reason=reason,
    )
    return published


def _check_succession(
    current: SchemeRuleSet | None, rules: list[dict[str, Any]], valid_from: dt.date, today: dt.date
) -> None:
    if valid_from < today or (current is not None and valid_from <= current.valid_from):
        raise ValidationError(
            _("A new version starts today or later, after the current version started."),
            code=CoreErrorCode.VALID_FROM,
        )
    if current is not None and current.rules == rules:
        raise ValidationError(
            _("These are the rules already in force; nothing to publish."),
            code=CoreErrorCode.RULES_UNCHANGED,
        )
