"""One entry point for pages and the API: run a licence action by name.

The services themselves live by topic: applying and the ministry's review
(:mod:`~.licence_applications`), renewals and expiry (:mod:`~.licence_renewals`),
sanctions (:mod:`~.licence_sanctions`), and the one path they all take to move a
licence and record a decision (:mod:`~.licence_decisions`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jembatan.organisations.errors import OrganisationErrorCode
from jembatan.organisations.models import Licence, LicenceDecision
from jembatan.organisations.services.licence_applications import (
    licence_grant,
    licence_reject,
    licence_start_review,
    licence_submit,
)
from jembatan.organisations.services.licence_renewals import (
    licence_refuse_renewal,
    licence_renew,
    licence_request_renewal,
)
from jembatan.organisations.services.licence_sanctions import (
    licence_lift_suspension,
    licence_order_improvement,
    licence_revoke,
    licence_suspend,
    licence_warn,
)
from jembatan.organisations.workflows import LicenceAction

# The service of each action a person may ask for (activation and expiry happen by themselves).
REQUESTABLE: dict[LicenceAction, Callable[..., Licence | LicenceDecision]] = {
    LicenceAction.SUBMIT: licence_submit,
    LicenceAction.START_REVIEW: licence_start_review,
    LicenceAction.REQUEST_RENEWAL: licence_request_renewal,
    LicenceAction.GRANT: licence_grant,
    LicenceAction.REJECT: licence_reject,
    LicenceAction.RENEW: licence_renew,
    LicenceAction.REFUSE_RENEWAL: licence_refuse_renewal,
    LicenceAction.WARN: licence_warn,
    LicenceAction.ORDER_IMPROVEMENT: licence_order_improvement,
    LicenceAction.SUSPEND: licence_suspend,
    LicenceAction.LIFT_SUSPENSION: licence_lift_suspension,
    LicenceAction.REVOKE: licence_revoke,
}
# Never taken from a form: who acts, on which licence, and the clock.
NOT_FROM_INPUT = frozenset({"licence", "acting_user", "today"})


def perform_action(
    *, licence: Licence, action: LicenceAction, acting_user: Any, data: dict[str, Any]
) -> Licence:
    """Run ``action`` with the fields of its form (see ``forms.ACTION_FORMS``); return the licence.

    ``data`` keys are the form field names; the action's service (``REQUESTABLE``)
    takes those its keyword parameters name (see :func:`_arguments`). Its
    refusals are raised unchanged, exactly as when it is called directly.
    """
    service = REQUESTABLE.get(action)
    if service is None:
        raise ValidationError(_("This action happens by itself; it cannot be requested."))
    result = service(licence=licence, acting_user=acting_user, **_arguments(service, data))
    found: Licence = result.licence if isinstance(result, LicenceDecision) else result
    return found


def _arguments(service: Callable[..., Any], data: Mapping[str, Any]) -> dict[str, Any]:
    """The values of ``data`` that ``service`` takes, by its keyword parameters.

    A parameter without a default (a grant's number, a revocation's bar) missing
    from ``data`` is refused beside its field; a missing reason is left to the
    service, which says why a decision needs one. Empty optional values are left
    out, so the service's defaults apply.
    """
    parameters = {
        name: parameter
        for name, parameter in inspect.signature(service).parameters.items()
        if name not in NOT_FROM_INPUT
    }
    missing = [
        name
        for name, parameter in parameters.items()
        if parameter.default is parameter.empty
        and name != "reason"
        and data.get(name) in (None, "")
    ]
    if missing:
        raise ValidationError(
            {name: _("This field is required.") for name in missing},
            code=OrganisationErrorCode.REQUIRED,
        )
    taken = {name: data[name] for name in parameters if data.get(name) is not None}
    if "reason" in parameters:
        taken["reason"] = str(data.get("reason") or "")
    return taken
