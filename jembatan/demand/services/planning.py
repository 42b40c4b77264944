"""The only writers of targets and fee rules: Kemnaker's planning and its limits on costs.

Both accept ``set_by=None`` for the system itself (the demo seeder, a data
migration); people must be national staff.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jembatan.core.audit import diff, record_change, snapshot
from jembatan.core.models import Country
from jembatan.demand.errors import DemandErrorCode
from jembatan.demand.locks import lock_fee_rule, lock_fee_rule_row, lock_target
from jembatan.demand.models import CostKind, Currency, FeeRule, Target, TargetStage
from jembatan.demand.services.job_orders import is_national
from jembatan.organisations.models import Organisation, OrganisationKind

TARGET_FIELDS = ("year", "partner_id", "country_id", "number", "stage", "note")


def _require_national(acting_user: Any) -> None:
    if acting_user is not None and not is_national(acting_user):
        raise PermissionDenied(_("Only Kemnaker's national staff set targets and fee rules."))


@transaction.atomic
def target_set(
    *,
    year: int,
    number: int,
    acting_user: Any,
    partner: Organisation | None = None,
    country: Country | None = None,
    stage: str = TargetStage.DEPARTED,
    note: str = "",
) -> Target:
    """Set (create or change) the target of one year, national or for a partner and/or country."""
    _require_national(acting_user)
    if partner is not None and partner.kind != OrganisationKind.PARTNER:
        raise ValidationError({"partner": _("Targets are set for partners abroad.")})
    target = lock_target(year=year, partner=partner, country=country)
    creating = target is None
    target = target or Target(year=year, partner=partner, country=country)
    before = {} if creating else snapshot(target, TARGET_FIELDS)
    target.number, target.stage, target.note, target.set_by = (
        number,
        stage,
        note.strip(),
        acting_user,
    )
    target.full_clean(validate_constraints=False)  # the lookup above keeps one per scope
    target.save()
    record_change(
        acting_user=acting_user,
        operation="demand.target_set",
        instance=target,
        action="create" if creating else "update",
        changes=diff(before, snapshot(target, TARGET_FIELDS)),
    )
    return target


def _check_kinds(kinds: Iterable[str]) -> list[str]:
    chosen = sorted(set(kinds))
    unknown = [k for k in chosen if k not in CostKind.values]
    if unknown:
        raise ValidationError({"forbidden_kinds": _("Unknown kinds of cost: %s") % unknown})
    return chosen


@transaction.atomic
def fee_rule_set(
    *,
    country: Country,
    scheme: str,
    name: str,
    legal_basis: str,
    valid_from: dt.date,
    acting_user: Any,
    max_total_amount: Decimal | None = None,
    currency: str = Currency.IDR,
    forbidden_kinds: Iterable[str] = (),
) -> FeeRule:
    """Record a new fee rule; the rule it replaces ends the day before ``valid_from``."""
    _require_national(acting_user)
    previous = lock_fee_rule(country=country, scheme=scheme, replaced_on=valid_from)
    if previous is not None:
        previous.valid_to = valid_from - dt.timedelta(days=1)
        previous.save(update_fields=["valid_to"])
    rule = FeeRule(
        country=country,
        scheme=scheme,
        name=name.strip(),
        legal_basis=legal_basis.strip(),
        valid_from=valid_from,
        max_total_amount=max_total_amount,
        currency=currency,
        forbidden_kinds=_check_kinds(forbidden_kinds),
    )
    rule.full_clean()
    rule.save()
    record_change(
        acting_user=acting_user,
        operation="demand.fee_rule_set",
        instance=rule,
        action="create",
        changes={k: {"before": None, "after": v} for k, v in snapshot(rule).items()},
    )
    return rule


@transaction.atomic
def fee_rule_close(*, rule: FeeRule, valid_to: dt.date, reason: str, acting_user: Any) -> FeeRule:
    """End a fee rule in force on ``valid_to`` (e.g. the regulation was revoked), with the reason.

    Refuses a rule already ended, an end before its start, and no reason. From
    the day after, no rule applies to its country and programme until a new one
    is recorded: contracts there are refused for want of a fee rule.
    """
    _require_national(acting_user)
    locked = lock_fee_rule_row(rule.pk)
    if locked.valid_to is not None:
        raise ValidationError(
            _("This rule ended already on %(day)s.") % {"day": locked.valid_to.isoformat()},
            code=DemandErrorCode.FEE_RULE_CLOSED,
        )
    if valid_to < locked.valid_from:
        raise ValidationError(
            {
                "valid_to": ValidationError(
                    _("A rule cannot end before it starts (%(day)s).")
                    % {"day": locked.valid_from.isoformat()},
                    code=DemandErrorCode.FEE_RULE_END,
                )
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the rule ends.")})
    before = snapshot(locked)
    locked.valid_to = valid_to
    locked.save(update_fields=["valid_to"])
    record_change(
        acting_user=acting_user,
        operation="demand.fee_rule_close",
        instance=locked,
        action="update",
        changes=diff(before, snapshot(locked)),
        reason=reason.strip(),
    )
    return locked
