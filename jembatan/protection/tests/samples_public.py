"""Sample path arguments of the reporter's pages and the risk view (core/tests/test_url_access.py).

Siti (``participant_jateng``) reported a case from her own pages; a warning to
LPK A was taken from the risk view citing it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from jembatan.organisations.workflows import LicenceAction
from jembatan.protection.models import CaseCategory, ReporterKind
from jembatan.protection.services.reporting import case_report
from jembatan.protection.services.sanctions import sanction_from_cases


def protection_world(request: pytest.FixtureRequest) -> dict[str, Any]:
    cached = getattr(request.node, "_protection_public_samples", None)
    if cached is not None:
        return cached
    siti = request.getfixturevalue("participant_jateng")
    lpk = request.getfixturevalue("lpk_a")
    case = case_report(
        reporter_kind=ReporterKind.APPRENTICE,
        category=CaseCategory.UNPAID_WAGES,
        description="Overtime unpaid since October.",
        acting_user=siti.user,
        language="id",
    ).case
    case.sending_organisation = lpk  # about her LPK even before she departs
    case.save(update_fields=["sending_organisation"])
    decision = sanction_from_cases(
        licence=lpk.licences.get(),
        action=LicenceAction.WARN,
        cases=[case],
        data={"reason": "Wages withheld."},
        acting_user=request.getfixturevalue("national_officer"),
    )
    world = {"code": case.code, "pk": lpk.pk, "decision_pk": decision.pk}
    request.node._protection_public_samples = world
    return world


def _sample(key: str) -> Callable[[pytest.FixtureRequest], Any]:
    return lambda request: protection_world(request)[key]


SAMPLES: dict[str, Callable[[pytest.FixtureRequest], Any]] = {
    "report:code": _sample("code"),
    "risk:pk": _sample("pk"),
    "risk:action": lambda request: "warn",
    "risk:decision_pk": _sample("decision_pk"),
}
