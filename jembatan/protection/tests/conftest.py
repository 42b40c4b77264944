"""Fixtures for the protection tests: Siti abroad with LPK A and IM Japan, and her case.

Uses the shared cast of the project's conftest.py: putri is Jawa Tengah's officer
(the provincial pool of Siti's cases), joko Jawa Timur's, oki the national
officer (the national pool), nadia the national administrator (the director),
sari runs LPK A (the sending organisation the case is about), hiroshi is IM Japan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.utils import timezone, translation

from jembatan.accounts.models import User
from jembatan.demand.factories import FeeRuleFactory
from jembatan.deployment.factories import abroad, deployment_for
from jembatan.deployment.models import Deployment
from jembatan.participants.models import Participant
from jembatan.protection.models import Case, CaseCategory, ReporterKind
from jembatan.protection.services.reporting import Concerned, ReportResult, case_report
from jembatan.protection.workflows import ANONYMOUS_REPORTER


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted in English, the source language."""
    with translation.override("en"):
        yield


@pytest.fixture
def siti_abroad(participant_jateng: Participant) -> Deployment:
    """Siti in placement in Japan for a month, with LPK A and IM Japan."""
    FeeRuleFactory(name="Japan TITP costs", legal_basis="Permenaker 8/2008 (test)")
    today = timezone.localdate()
    return abroad(
        deployment_for(participant_jateng),
        departed_on=today - dt.timedelta(days=40),
        arrived_on=today - dt.timedelta(days=39),
    )


@pytest.fixture
def officers(provincial_officer: User, national_officer: User, national_admin: User) -> None:
    """The three pools: putri (Jawa Tengah), oki (national), nadia (director)."""


@pytest.fixture
def anonymous_report(siti_abroad: Deployment, officers: None) -> ReportResult:
    """An anonymous report of unpaid wages about Siti's placement (code and secret issued)."""
    return case_report(
        reporter_kind=ReporterKind.ANONYMOUS,
        category=CaseCategory.UNPAID_WAGES,
        description="My friend Siti has not been paid for two months.",
        concerned=Concerned(deployment=siti_abroad),
        reporter_contact="friend@example.org",
        language="ja",
        acting_user=ANONYMOUS_REPORTER,
    )


@pytest.fixture
def case(anonymous_report: ReportResult) -> Case:
    """The anonymous report's case, reported and owned by putri (Jawa Tengah)."""
    return anonymous_report.case
