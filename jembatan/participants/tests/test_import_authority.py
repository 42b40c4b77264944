"""An import records on whose authority the data was collected, and which notice people saw.

The walk-through found that imported people had no consent at all: now every
import that writes names its authority and the privacy-notice version, and
each person imported carries that consent with the authority as its basis.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from jembatan.core.models import ImportJob
from jembatan.participants.models import Consent, Participant
from jembatan.participants.services import importing
from jembatan.participants.tests.test_import_helpers import (  # noqa: F401 - fixtures
    as_lists,
    english,
    media,
    row,
    write_csv,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media", "english", "lpk_a")]


def _csv(tmp_path: Path, *serials: int) -> Path:
    return write_csv(tmp_path / "p.csv", as_lists([row(n) for n in serials]))


def _create(path: Path, **options: Any) -> ImportJob:
    return importing.import_create(
        acting_user=None,
        chunks=importing.file_chunks(path),
        file_name=path.name,
        run_now=True,
        **options,
    )


def test_an_import_without_its_authority_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as refused:
        _create(_csv(tmp_path, 1, 2))
    assert "authority" in refused.value.message_dict
    assert "signed_forms" in refused.value.message_dict["authority"][0]
    assert not ImportJob.objects.exists() and not Participant.objects.exists()


def test_a_dry_run_needs_no_authority(tmp_path: Path) -> None:
    job = _create(_csv(tmp_path, 1), dry_run=True)
    assert job.outcome == "checked" and job.authority == "" and job.privacy_notice_version is None


def test_each_person_imported_carries_the_consent_on_the_stated_authority(tmp_path: Path) -> None:
    job = _create(_csv(tmp_path, 1, 2, 3), authority="manpower_office")
    assert job.rows_created == 3
    assert (job.authority, job.privacy_notice_version) == ("manpower_office", 1)
    consents = Consent.objects.filter(purpose="privacy_notice")
    assert consents.count() == 3
    assert set(consents.values_list("participant_id", flat=True)) == set(
        Participant.objects.values_list("pk", flat=True)
    )
    consent = consents.first()
    assert consent is not None and consent.text.version == 1
    assert f"import {job.pk}" in consent.basis and "manpower office" in consent.basis


def test_a_notice_version_not_in_force_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as refused:
        _create(_csv(tmp_path, 1), authority="signed_forms", privacy_notice_version=7)
    assert "privacy_notice_version" in refused.value.message_dict
    assert not Participant.objects.exists()


def test_the_command_asks_for_the_authority(tmp_path: Path) -> None:
    path = _csv(tmp_path, 1)
    with pytest.raises(CommandError) as refused:
        call_command("import", "participants", str(path), stdout=StringIO(), stderr=StringIO())
    assert "authority" in str(refused.value)
    call_command(
        "import",
        "participants",
        str(path),
        "--authority",
        "signed_forms",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    assert Consent.objects.get().basis.startswith("Each person signed the privacy notice")


def test_the_page_shows_the_notice_and_refuses_without_an_authority(
    tmp_path: Path, client_for: Any, sender_operator: Any
) -> None:
    client = client_for(sender_operator)
    page = client.get(reverse("imports:new")).content.decode()
    assert 'data-testid="privacy-notice"' in page and "Privacy notice of the Overseas" in page
    path = write_csv(tmp_path / "p.csv", as_lists([row(1)]), delimiter=";", bom=True)
    upload = SimpleUploadedFile("p.csv", path.read_bytes(), content_type="text/csv")
    refused = client.post(reverse("imports:new"), {"file": upload, "privacy_notice_version": 1})
    html = refused.content.decode()
    assert refused.status_code == 200 and 'id="id_authority_error"' in html
    assert not ImportJob.objects.exists()
