"""Issue 14 through the upload service: hostile files are refused and leave nothing behind,
good ones are stored as checked (an image as re-encoded), under a name that says what they are."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from jembatan.core.models import ChangeRecord
from jembatan.core.tests import upload_samples as samples
from jembatan.core.uploads import inspect_upload
from jembatan.documents.models import Document, DocumentKind
from jembatan.organisations.models import Organisation, OrganisationKind
from jembatan.training.models import Certificate, CertificateKind
from jembatan.training.pdf import render_certificate_pdf

pytestmark = pytest.mark.django_db


def _nothing_stored(participant, media: Path) -> bool:
    folder = media / "documents"
    files = list(folder.iterdir()) if folder.exists() else []
    written = ChangeRecord.objects.filter(operation="documents.document_upload").exists()
    return not files and not written and not Document.objects.filter(participant=participant)


@pytest.mark.parametrize("sample", samples.HOSTILE, ids=lambda s: s.name)
def test_a_hostile_file_is_refused_by_the_upload_service_and_nothing_is_stored(
    sample, participant_jateng, participant_user, upload, private_media
) -> None:
    with pytest.raises(ValidationError) as caught:
        upload(participant_jateng, participant_user, content=sample.make(), name="ktp.pdf")
    assert caught.value.error_dict["file"][0].code == sample.code
    assert _nothing_stored(participant_jateng, private_media)


def test_a_pdf_that_is_also_a_web_page_named_ijazah_html_is_refused(
    participant_jateng, participant_user, upload, private_media
) -> None:
    with pytest.raises(ValidationError) as caught:
        upload(
            participant_jateng,
            participant_user,
            kind=DocumentKind.DIPLOMA,
            content=samples.pdf_with_html_after_end(),
            name="ijazah.html",
        )
    assert caught.value.error_dict["file"][0].code == "hidden_content"
    assert _nothing_stored(participant_jateng, private_media)


@pytest.mark.parametrize(
    ("content", "stored_as"),
    [(samples.plain_pdf(), "ijazah.pdf"), (samples.image_bytes("PNG"), "ijazah.png")],
    ids=["pdf", "png"],
)
def test_a_real_document_named_ijazah_html_is_stored_under_the_name_of_its_type(
    content, stored_as, participant_jateng, participant_user, upload
) -> None:
    document = upload(
        participant_jateng,
        participant_user,
        kind=DocumentKind.DIPLOMA,
        content=content,
        name="ijazah.html",
    )
    assert document.original_name == stored_as
    record = ChangeRecord.objects.get(operation="documents.document_upload")
    assert record.changes["original_name"]["after"] == stored_as


def test_an_image_is_stored_as_re_encoded_not_as_it_came(
    participant_jateng, participant_user, upload
) -> None:
    content = samples.rotated_jpeg_with_gps()
    document = upload(participant_jateng, participant_user, content=content, name="ktp.jpg")
    stored = Path(document.file.path).read_bytes()
    expected = inspect_upload([content], limit=10**7, accepted=["image/jpeg"], document="KTP")
    assert stored == expected.content != content
    assert (document.size, document.sha256) == (expected.size, expected.sha256)
    with Image.open(io.BytesIO(stored)) as image:
        assert (image.size, dict(image.getexif())) == ((30, 40), {})


@pytest.mark.parametrize("sample", samples.GOOD, ids=lambda s: s.name)
def test_a_good_file_is_accepted_by_the_upload_service(
    sample, participant_jateng, participant_user, upload
) -> None:
    document = upload(participant_jateng, participant_user, content=sample.make())
    assert Path(document.file.path).stat().st_size == document.size


def _unsaved_certificate() -> Certificate:
    """A training certificate as the certificate service fills it in (not saved)."""
    today = timezone.localdate()
    return Certificate(
        number="JBT/2026/000001",
        token="t" * 40,
        kind=CertificateKind.TRAINING,
        issuer=Organisation(name="BLK Semarang", kind=OrganisationKind.BLK),
        holder_name="Siti Aminah",
        issued_on=today,
        content={
            "title": {"id": "Sertifikat Pelatihan", "en": "Certificate of Training", "ja": "研修"},
            "programme": "Pengelasan dasar",
            "occupation": {"id": "Juru las", "en": "Welder", "ja": "溶接"},
            "batch": "SMG-2026-01",
            "from": (today - dt.timedelta(days=90)).isoformat(),
            "to": today.isoformat(),
            "hours": 480,
            "hours_attended": 470,
            "language_hours": 200,
            "units": [{"code": "LOG.OO01", "id": "Las", "en": "Weld", "ja": "溶接", "hours": 40}],
            "japanese": True,
        },
    )


def test_the_projects_own_certificate_pdf_is_accepted_as_it_is(
    participant_jateng, participant_user, upload
) -> None:
    pdf = render_certificate_pdf(_unsaved_certificate())
    assert b"/ObjStm" in pdf  # WeasyPrint packs its objects in compressed streams
    document = upload(
        participant_jateng,
        participant_user,
        kind=DocumentKind.DIPLOMA,
        content=pdf,
        name="sertifikat.pdf",
    )
    assert Path(document.file.path).read_bytes() == pdf


def test_a_document_handed_in_as_ijazah_html_before_is_downloaded_as_ijazah_pdf(
    participant_jateng, participant_user, national_officer, upload, client_for
) -> None:
    document = upload(participant_jateng, participant_user)
    Document.objects.filter(pk=document.pk).update(original_name="ijazah.html")
    response = client_for(national_officer).get(reverse("documents:open", args=[document.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="ijazah.pdf"'
