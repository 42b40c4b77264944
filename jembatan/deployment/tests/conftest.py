"""Fixtures for the deployment tests: Siti (LPK A, IM Japan) on a confirmed placement.

Uses the shared cast of the project's conftest.py: sari runs LPK A, hiroshi is
IM Japan's partner user, oki a national officer, putri Jawa Tengah's officer.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from jembatan.demand.factories import FeeRuleFactory
from jembatan.demand.models import FeeRule
from jembatan.deployment.factories import deployment_for, make_ready
from jembatan.deployment.models import Deployment
from jembatan.participants.models import Participant


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted in English, the source language."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Path) -> Path:
    """The departure documents make_ready hands in are stored in the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "private"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def fee_rule(db: None) -> FeeRule:
    """Japan TITP: no placement fee or deposit; at most Rp 20,000,000 in total."""
    return FeeRuleFactory(name="Japan TITP costs", legal_basis="Permenaker 8/2008 (test)")


@pytest.fixture
def deployment(participant_jateng: Participant, fee_rule: FeeRule) -> Deployment:
    """Siti's departure being prepared: nothing recorded yet."""
    return deployment_for(participant_jateng)


@pytest.fixture
def ready(deployment: Deployment) -> Deployment:
    """Siti's departure with every gate met."""
    return make_ready(deployment)


@pytest.fixture
def audit_rows_cleared_after(transactional_db: None) -> Iterator[None]:
    """Empty the append-only audit tables (triggers lifted) so the test's flush can run."""
    yield
    from django.db import connection

    from jembatan.core.models import AccessLog, ChangeRecord
    from jembatan.core.tests.browser import audit_triggers_lifted

    with audit_triggers_lifted(), connection.cursor() as cursor:
        for model in (ChangeRecord, AccessLog):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")
