"""Sample records for the URL-access walk (core/tests/test_url_access.py), all of LPK A."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jembatan.core.tests.upload_samples import plain_pdf

PDF_BYTES = plain_pdf()  # a well-formed PDF: attachments are parsed


def licence_pk(request: pytest.FixtureRequest) -> int:
    """The active licence of LPK A."""
    return int(request.getfixturevalue("lpk_a").licences.get().pk)


def contact_pk(request: pytest.FixtureRequest) -> int:
    """A contact person of LPK A."""
    from jembatan.organisations.models import ContactPerson

    lpk = request.getfixturevalue("lpk_a")
    return ContactPerson.objects.create(organisation=lpk, name="Dewi Kartika").pk


def decision_pk(request: pytest.FixtureRequest) -> int:
    """A warning on LPK A's licence with a private PDF attachment."""
    from jembatan.organisations.services.licence_sanctions import licence_warn

    request.getfixturevalue("settings").MEDIA_ROOT = request.getfixturevalue("tmp_path")
    licence: Any = request.getfixturevalue("lpk_a").licences.get()
    decision = licence_warn(
        licence=licence,
        reason="Late monitoring reports.",
        acting_user=request.getfixturevalue("national_officer"),
        attachment=SimpleUploadedFile("w.pdf", PDF_BYTES, content_type="application/pdf"),
    )
    return decision.pk


SAMPLES = {
    "organisations:licence_pk": licence_pk,
    "organisations:contact_pk": contact_pk,
    "organisations:decision_pk": decision_pk,
    "organisations:action": lambda request: "submit",
    "register:pk": lambda request: request.getfixturevalue("lpk_a").pk,
    "register:decision_pk": decision_pk,
}
