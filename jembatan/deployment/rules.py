"""Rules of a deployment the services check before writing: scope, dates, the contract's terms.

The contract is held against its job order: a lower wage is refused, a wage
stated in another currency or period cannot be compared and is refused too;
more working hours, another length or more costs for the apprentice are
*differences*, which Kemnaker must approve with a reason before departure.
What the apprentice pays must also agree with the fee rule in force
(``demand.rules.check_costs``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

from jembatan.core.transitions import SYSTEM_ACTOR
from jembatan.demand.models import JobOrder, PayPeriod, Scheme
from jembatan.demand.rules import CostLine
from jembatan.deployment.errors import DeploymentErrorCode
from jembatan.deployment.models import Deployment
from jembatan.deployment.selectors import deployments_visible_to

# Programmes whose apprentices are supervised by an organisation in the destination
# country (Japan's kanri dantai; ESD keeps them as supervising and support bodies).
SUPERVISED = frozenset({Scheme.TITP, Scheme.ESD})
MEDICAL_VALID_MONTHS = 3  # default of settings.JEMBATAN_MEDICAL_VALID_MONTHS


def medical_valid_months() -> int:
    """How many months a medical check stays recent enough to depart on (a setting)."""
    return int(getattr(settings, "JEMBATAN_MEDICAL_VALID_MONTHS", MEDICAL_VALID_MONTHS))


def day(value: dt.date | None) -> str:
    """A date in the reader's language (3 Desember 2026)."""
    return formats.date_format(value, "DATE_FORMAT") if value else "—"


def ensure_in_scope(acting_user: Any, deployment: Deployment) -> None:
    """A person acts only on deployments they may see (the system on any)."""
    if acting_user == SYSTEM_ACTOR:
        return
    if not deployments_visible_to(acting_user).filter(pk=deployment.pk).exists():
        raise PermissionDenied(_("This deployment is not in your scope."))


def ensure_not_ahead(value: dt.date, today: dt.date, *, field: str, what: str) -> None:
    """Refuse a date after today for something that has already happened."""
    if value > today:
        raise ValidationError(
            {
                field: ValidationError(
                    _("%(what)s cannot be in the future: %(date)s is after today (%(today)s).")
                    % {"what": what, "date": day(value), "today": day(today)},
                    code=DeploymentErrorCode.FUTURE_DATE,
                )
            }
        )


def ensure_reason(reason: str, *, field: str = "reason") -> str:
    """The reason stripped, or the refusal asking for it."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {
                field: ValidationError(
                    _("Say why: this step is always explained in the record."),
                    code=DeploymentErrorCode.REASON_REQUIRED,
                )
            }
        )
    return reason


# --- the contract against the job order -----------------------------------------------


@dataclass(frozen=True)
class ContractTerms:
    """The terms of a contract as signed, before they are recorded."""

    signed_on: dt.date
    starts_on: dt.date
    months: int
    wage_amount: Decimal
    wage_currency: str
    wage_period: str
    weekly_hours: int
    fees: Sequence[CostLine] = ()


def check_wage(job_order: JobOrder, terms: ContractTerms) -> None:
    """Refuse a wage below the job order's, or one stated so that it cannot be compared."""
    if (terms.wage_currency, terms.wage_period) != (job_order.wage_currency, job_order.wage_period):
        raise ValidationError(
            {
                "wage_amount": ValidationError(
                    _(
                        "State the wage as job order %(reference)s does (%(currency)s %(period)s) "
                        "so that it can be compared with the wage the job order promised."
                    )
                    % {
                        "reference": job_order.reference,
                        "currency": job_order.wage_currency,
                        "period": PayPeriod(job_order.wage_period).label,
                    },
                    code=DeploymentErrorCode.WAGE_TERMS_DIFFER,
                )
            }
        )
    if terms.wage_amount < job_order.wage_amount:
        raise ValidationError(
            {
                "wage_amount": ValidationError(
                    _(
                        "The contract's wage %(wage)s %(currency)s is below the %(promised)s "
                        "%(currency)s job order %(reference)s promised. A contract may not pay "
                        "less than the job order the apprentice was matched to."
                    )
                    % {
                        "wage": f"{terms.wage_amount:,.2f}",
                        "promised": f"{job_order.wage_amount:,.2f}",
                        "currency": job_order.wage_currency,
                        "reference": job_order.reference,
                    },
                    code=DeploymentErrorCode.WAGE_BELOW_JOB_ORDER,
                )
            }
        )


def _totals(lines: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for currency, amount in lines:
        totals[currency] += amount
    return dict(totals)


def differences(job_order: JobOrder, terms: ContractTerms) -> list[dict[str, Any]]:
    """How ``terms`` differ from ``job_order`` where a difference needs approval."""
    found: list[dict[str, Any]] = []
    if terms.weekly_hours > job_order.weekly_hours:
        found.append(
            {
                "code": "hours",
                "params": {"job_order": job_order.weekly_hours, "contract": terms.weekly_hours},
            }
        )
    if terms.months != job_order.contract_months:
        found.append(
            {
                "code": "months",
                "params": {"job_order": job_order.contract_months, "contract": terms.months},
            }
        )
    promised = _totals((c.currency, c.amount) for c in job_order.costs.all())
    charged = _totals((c.currency, c.amount) for c in terms.fees)
    for currency, amount in sorted(charged.items()):
        if amount > promised.get(currency, Decimal(0)):
            found.append(
                {
                    "code": "fees",
                    "params": {
                        "currency": currency,
                        "job_order": str(promised.get(currency, Decimal(0))),
                        "contract": str(amount),
                    },
                }
            )
    return found


def describe_difference(data: Mapping[str, Any]) -> str:
    """One stored difference as a sentence in the reader's language."""
    p = dict(data.get("params") or {})
    code = data.get("code")
    if code == "hours":
        return _("%(contract)s working hours a week instead of the job order's %(job_order)s") % p
    if code == "months":
        return _("%(contract)s months instead of the job order's %(job_order)s") % p
    if code == "fees":
        return (
            _(
                "the apprentice pays %(contract)s %(currency)s instead of the job order's "
                "%(job_order)s %(currency)s"
            )
            % p
        )
    return str(code)


def fee_lines(stored: Sequence[Mapping[str, Any]]) -> list[CostLine]:
    """The stored fees of a contract as cost lines (for the fee rule)."""
    return [
        CostLine(
            kind=str(f.get("kind", "other")),
            description=str(f.get("description", "")),
            amount=Decimal(str(f.get("amount", "0"))),
            currency=str(f.get("currency", "IDR")),
            paid_to=str(f.get("paid_to", "")),
        )
        for f in stored
    ]


def fee_records(lines: Sequence[CostLine]) -> list[dict[str, str]]:
    """Cost lines as stored in a contract (JSON)."""
    return [
        {
            "kind": c.kind,
            "description": c.description,
            "amount": str(c.amount),
            "currency": c.currency,
            "paid_to": c.paid_to,
        }
        for c in lines
    ]
