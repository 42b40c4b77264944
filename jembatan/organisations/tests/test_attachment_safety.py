"""Issue 14 for licence decisions: an attachment passes the same content check as a document.

Before, ``check_attachment`` looked only at the size and the first bytes' signature,
so every sample below was stored.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from jembatan.accounts.models import User
from jembatan.core.tests import upload_samples as samples
from jembatan.core.uploads import inspect_upload
from jembatan.organisations.models import Licence, LicenceDecision, LicenceStatus
from jembatan.organisations.services import licence_sanctions

pytestmark = pytest.mark.django_db


def _files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()]


def _warn(licence: Licence, officer: User, attachment: Any) -> LicenceDecision:
    return licence_sanctions.licence_warn(
        licence=licence, reason="Late reports.", acting_user=officer, attachment=attachment
    )


@pytest.mark.parametrize("sample", samples.HOSTILE, ids=lambda s: s.name)
def test_a_hostile_attachment_is_refused_and_nothing_is_decided_or_stored(
    sample, licence_in: Callable[..., Licence], national_officer: User, media: Path
) -> None:
    licence = licence_in(LicenceStatus.ACTIVE)
    attachment = SimpleUploadedFile("keputusan.pdf", sample.make())
    with pytest.raises(ValidationError) as caught:
        _warn(licence, national_officer, attachment)
    assert caught.value.code == sample.code
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.ACTIVE
    assert (LicenceDecision.objects.count(), _files(media)) == (0, [])


def test_a_pdf_that_is_also_a_web_page_named_ijazah_html_is_refused(
    licence_in: Callable[..., Licence], national_officer: User, media: Path
) -> None:
    attachment = SimpleUploadedFile("ijazah.html", samples.pdf_with_html_after_end())
    with pytest.raises(ValidationError, match="carries something else besides the PDF"):
        _warn(licence_in(LicenceStatus.ACTIVE), national_officer, attachment)
    assert (LicenceDecision.objects.count(), _files(media)) == (0, [])


def test_an_image_named_ijazah_html_is_stored_re_encoded_as_a_png(
    licence_in: Callable[..., Licence], national_officer: User, media: Path
) -> None:
    content = samples.png_with_text()
    decision = _warn(
        licence_in(LicenceStatus.ACTIVE),
        national_officer,
        SimpleUploadedFile("ijazah.html", content),
    )
    stored = (media / decision.attachment.name).read_bytes()
    assert decision.attachment.name.endswith(".png")
    expected = inspect_upload([content], limit=10**7, accepted=["image/png"], document="x")
    assert stored == expected.content != content
    assert b"Kendal" not in stored


def test_a_large_photo_uploaded_to_a_temporary_file_is_stored_re_encoded(
    licence_in: Callable[..., Licence], national_officer: User, media: Path
) -> None:
    content = samples.rotated_jpeg_with_gps()
    # Django keeps an upload above 2.5 MB in a temporary file and stores it by moving it.
    attachment = TemporaryUploadedFile("foto.jpg", "image/jpeg", len(content), None)
    attachment.write(content)
    attachment.seek(0)
    decision = _warn(licence_in(LicenceStatus.ACTIVE), national_officer, attachment)
    attachment.close()  # as Django does after the request (the file was moved away)
    stored = (media / decision.attachment.name).read_bytes()
    assert b"Exif" in content and b"Exif" not in stored
    assert (
        stored
        == inspect_upload([content], limit=10**7, accepted=["image/jpeg"], document="x").content
    )


def test_a_good_pdf_attachment_is_stored_as_it_came(
    licence_in: Callable[..., Licence], national_officer: User, media: Path
) -> None:
    content = samples.scanned_pdf()
    decision = _warn(
        licence_in(LicenceStatus.ACTIVE),
        national_officer,
        SimpleUploadedFile("surat.pdf", content),
    )
    assert (media / decision.attachment.name).read_bytes() == content
