"""Fixtures for the organisations tests: a fixed day, licences in any status, files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.core.roles import Role
from jembatan.core.tests.upload_samples import plain_pdf
from jembatan.organisations.factories import LicenceFactory, OrganisationFactory
from jembatan.organisations.models import (
    Licence,
    LicenceDecision,
    LicenceStatus,
    Organisation,
    OrganisationKind,
)
from jembatan.organisations.workflows import LICENCE_WORKFLOW, LicenceAction

TODAY = dt.date(2026, 3, 2)
PDF_BYTES = plain_pdf()  # a well-formed PDF: attachments are parsed


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are checked in English (the source language)."""
    with translation.override("en"):
        yield


@pytest.fixture
def today() -> dt.date:
    return TODAY


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """Attachments go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def pdf(name: str = "keputusan.pdf") -> SimpleUploadedFile:
    """A small file that is a PDF by its content."""
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def lpk(db: None) -> Organisation:
    """An LPK in Kota Semarang with no licence yet."""
    return OrganisationFactory(
        name="LPK Harapan Bangsa", kind=OrganisationKind.LPK, province_id="33", region_id="33.74"
    )


@pytest.fixture
def licence_in(lpk: Organisation) -> Callable[..., Licence]:
    """A licence of ``lpk`` put directly in ``status`` (setup only; tests use the services).

    Licences that were granted run from a year ago to a year ahead of the real today.
    """

    def make(status: LicenceStatus, **fields: Any) -> Licence:
        defaults: dict[str, Any] = {
            "organisation": lpk,
            "status": status,
            "number": "",
            "valid_from": None,
            "valid_to": None,
        }
        if status not in (
            LicenceStatus.DRAFT,
            LicenceStatus.SUBMITTED,
            LicenceStatus.UNDER_REVIEW,
            LicenceStatus.REJECTED,
        ):
            defaults |= {
                "number": "KEP.77/LN/2025",
                "valid_from": timezone.localdate() - dt.timedelta(days=365),
                "valid_to": timezone.localdate() + dt.timedelta(days=365),
            }
        licence: Licence = LicenceFactory(**(defaults | fields))
        return licence

    return make


def _day(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def action_data(action: LicenceAction) -> dict[str, Any]:
    """Complete, valid input for ``action`` (so only the status can refuse it)."""
    extra: dict[LicenceAction, dict[str, Any]] = {
        LicenceAction.GRANT: {
            "number": "KEP.900/LN/2026",
            "valid_from": _day(0),
            "valid_to": _day(5 * 365),
        },
        LicenceAction.RENEW: {"valid_to": _day(6 * 365)},
        LicenceAction.ORDER_IMPROVEMENT: {"deadline": _day(30)},
        LicenceAction.REVOKE: {"bar_until": _day(2 * 365)},
    }
    return {"reason": f"Grounds for {action.value}", **extra.get(action, {})}


def licence_state(licence: Licence) -> tuple[Any, ...]:
    """What a refused action must leave as it was: the row, its decisions, the audit."""
    fresh = Licence.objects.get(pk=licence.pk)
    return (
        fresh.status,
        fresh.number,
        fresh.valid_from,
        fresh.valid_to,
        fresh.resumes_as,
        LicenceDecision.objects.count(),
        ChangeRecord.objects.count(),
    )


def actor_for(action: LicenceAction, officer: User, operator: User) -> User:
    """The operator for the applicant's own steps, the national officer for the rest."""
    return operator if Role.SENDER_OPERATOR in LICENCE_WORKFLOW[action].actors else officer
