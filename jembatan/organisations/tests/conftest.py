"""Fixtures for the organisations tests: a fixed day, licences in any status, files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from jembatan.organisations.factories import LicenceFactory, OrganisationFactory
from jembatan.organisations.models import Licence, LicenceStatus, Organisation, OrganisationKind

TODAY = dt.date(2026, 3, 2)
PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


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
