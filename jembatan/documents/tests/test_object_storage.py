"""Documents kept in an S3-compatible object store: private, and read only through the views.

The store is a real S3 server (moto's, on loopback), configured by the same settings
production reads (``JEMBATAN_STORAGE=s3`` and ``JEMBATAN_S3_*``).
"""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jembatan.core.models import AccessLog
from jembatan.core.tests.object_store import Bucket
from jembatan.documents.models import Document
from jembatan.documents.tests.conftest import make_pdf

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def anonymous_status(url: str) -> int:
    """The HTTP status an unsigned GET of ``url`` gets."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as refused:
        return refused.code


def test_a_document_uploaded_through_the_page_lands_in_the_bucket_privately(
    s3_storage: Bucket, participant_jateng, participant_user, client_for
) -> None:
    content = make_pdf("Paspor")
    url = reverse("documents:upload", args=[participant_jateng.pk, "id_card"])

    response = client_for(participant_user).post(
        url, {"file": SimpleUploadedFile("ktp.pdf", content, "application/pdf")}, **EN
    )

    assert response.status_code == 302
    document = Document.objects.get()
    assert set(s3_storage.objects()) == {document.file.name}  # (encrypted if specific data)
    assert document.file.name.startswith("documents/")
    assert anonymous_status(s3_storage.url(document.file.name)) == 403


def test_an_officer_reads_the_document_back_through_the_view_and_the_read_is_logged(
    s3_storage: Bucket, participant_jateng, participant_user, national_officer, upload, client_for
) -> None:
    content = make_pdf("Ijazah")
    document = upload(participant_jateng, participant_user, content=content)

    response = client_for(national_officer).get(reverse("documents:open", args=[document.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert AccessLog.objects.filter(
        object_id=str(document.pk), purpose__startswith="documents.view"
    ).exists()


def test_a_public_object_would_be_readable_so_the_refusal_above_means_something(
    s3_storage: Bucket,
) -> None:
    s3_storage.client.put_object(Bucket=s3_storage.name, Key="probe", Body=b"x", ACL="public-read")
    assert anonymous_status(s3_storage.url("probe")) == 200


def test_someone_without_access_gets_no_file_from_the_bucket_through_the_view(
    s3_storage: Bucket, participant_jateng, participant_user, upload, client_for
) -> None:
    document = upload(participant_jateng, participant_user)
    outsider = client_for(None)

    response = outsider.get(reverse("documents:open", args=[document.pk]))

    assert response.status_code == 302  # to the sign-in page, never the file
    assert anonymous_status(s3_storage.url(document.file.name)) == 403
