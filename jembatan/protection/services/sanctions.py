"""A licence decision taken from the risk view, citing the protection cases that led to it.

The decision itself is taken by the licensing services that exist
(``organisations/services/licence_sanctions.py``, run through
``licensing.perform_action``: a warning, an improvement order (the licence
review), a suspension, a revocation), with their own checks, locks and
audit; this service only adds, in the same transaction, which cases the
decision cites (:class:`SanctionCase`). The cited cases are never public: the
register shows the decision and the reason the officer wrote, nothing more.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jembatan.core.audit import record_change
from jembatan.core.errors import CoreErrorCode
from jembatan.organisations.models import Licence, LicenceDecision
from jembatan.organisations.services import licensing
from jembatan.organisations.workflows import LicenceAction
from jembatan.protection.errors import ProtectionErrorCode
from jembatan.protection.models import Case, SanctionCase

# What an officer may take from the risk view: the sanctions, and the licence review.
FROM_RISK = (
    LicenceAction.WARN,
    LicenceAction.ORDER_IMPROVEMENT,
    LicenceAction.SUSPEND,
    LicenceAction.REVOKE,
)
OPERATION = "protection.cited_cases_record"


def _checked_cases(licence: Licence, cases: Sequence[Case]) -> list[Case]:
    if not cases:
        raise ValidationError(
            {"cases": _("Choose the cases that lead to this decision.")},
            code=ProtectionErrorCode.REASON_REQUIRED,
        )
    foreign = [c.code for c in cases if c.sending_organisation_id != licence.organisation_id]
    if foreign:
        raise ValidationError(
            {
                "cases": _("These cases are not about this organisation: %(codes)s.")
                % {"codes": ", ".join(foreign)}
            },
            code=ProtectionErrorCode.OUT_OF_SCOPE,
        )
    return sorted(cases, key=lambda c: c.pk)


@transaction.atomic
def sanction_from_cases(
    *,
    licence: Licence,
    action: LicenceAction,
    cases: Sequence[Case],
    data: dict[str, Any],
    acting_user: Any,
) -> LicenceDecision:
    """Take ``action`` on ``licence`` with the fields of its form, citing ``cases``.

    Side effects: everything the licensing service writes for ``action`` (the
    decision, the licence's status, their change records), one
    :class:`SanctionCase` per cited case, and a change record on the decision
    listing the case ids. Refusals of the licensing service are raised unchanged.
    """
    if action not in FROM_RISK:
        raise ValidationError(
            _("This decision cannot be taken from the risk view."),
            code=CoreErrorCode.TRANSITION_REFUSED,
        )
    cited = _checked_cases(licence, cases)
    before = set(licence.decisions.values_list("pk", flat=True))
    licensing.perform_action(licence=licence, action=action, acting_user=acting_user, data=data)
    decision = licence.decisions.exclude(pk__in=before).order_by("-pk").first()
    if decision is None:  # every action of FROM_RISK records a decision
        raise RuntimeError(f"{action} recorded no decision")
    SanctionCase.objects.bulk_create([SanctionCase(decision=decision, case=c) for c in cited])
    record_change(
        acting_user=acting_user,
        operation=OPERATION,
        instance=decision,
        action="update",
        changes={"cited_cases": {"before": [], "after": [c.pk for c in cited]}},
        reason=_("Taken from the licence risk view."),
    )
    return decision
