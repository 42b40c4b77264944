"""Certificates: numbers, the PDF, the public verification page, revocation, the CLI."""

from __future__ import annotations

import contextlib
import ctypes
import io
import os
import re
import shutil
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.organisations.factories import OrganisationFactory
from jembatan.organisations.models import OrganisationKind
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.training.models import Batch, Certificate, CertificateKind
from jembatan.training.pdf import render_certificate_pdf
from jembatan.training.services import programmes
from jembatan.training.services.certification import batch_complete, certificate_revoke
from jembatan.training.services.competency import competency_certificate_record

pytestmark = pytest.mark.django_db
NUMBER = re.compile(r"^JBT/\d{4}/\d{6}$")


@pytest.fixture
def certificates(
    im_batch: Batch,
    make_participant: Callable[..., Participant],
    run_to_the_end: Callable[..., None],
    training_operator: User,
) -> list[Certificate]:
    """Siti Aminah completes the IM Japan batch (the centre's training certificate), then an
    LSP's competency certificate is recorded for her."""
    person = make_participant(
        JourneyStatus.SELECTED,
        full_name="Siti Aminah",
        birth_place="Kendal",
        phone="+6281234567890",
        email="siti.aminah@example.id",
        address="Jl. Pemuda 12, Kendal",
    )
    enrolment = programmes.enrol(batch=im_batch, participant=person, acting_user=training_operator)
    run_to_the_end(enrolment)
    report = batch_complete(batch=im_batch, acting_user=training_operator)
    lsp = OrganisationFactory(
        name="LSP Logam Indonesia",
        kind=OrganisationKind.LSP,
        bnsp_licence_number="BNSP-LSP-0999-ID",
    )
    competency = competency_certificate_record(
        enrolment=enrolment,
        lsp=lsp,
        number="62090 2421 3 0000123 2026",
        unit_codes=[u.code for u in im_batch.programme.units.all()],
        issued_on=timezone.localdate(),
        valid_until=None,
        acting_user=training_operator,
    )
    return [*report.certificates, competency]


def test_certificates_are_numbered_consecutively_in_the_year_series(
    certificates: list[Certificate],
) -> None:
    training, competency = certificates
    assert NUMBER.match(training.number) and int(training.number[-6:]) == 1
    assert (training.kind, training.issuer.name) == (CertificateKind.TRAINING, "BLK Semarang")
    # Competency is the LSP's: its own number, its name and BNSP licence on the record.
    assert (competency.kind, competency.number) == (
        CertificateKind.COMPETENCY,
        "62090 2421 3 0000123 2026",
    )
    assert (competency.issuer.name, competency.issuer_licence_number) == (
        "LSP Logam Indonesia",
        "BNSP-LSP-0999-ID",
    )


def test_the_token_is_random_and_not_the_number(certificates: list[Certificate]) -> None:
    tokens = {c.token for c in certificates}
    assert len(tokens) == 2
    assert all(
        len(t) >= 32 and c.number not in t for c, t in zip(certificates, tokens, strict=False)
    )


def _inflated(pdf: bytes) -> bytes:
    """Every compressed stream of ``pdf`` inflated (WeasyPrint packs objects in streams)."""
    out = b""
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        with contextlib.suppress(zlib.error):
            out += zlib.decompress(match.group(1))
    return out


def test_the_pdf_is_a_pdf_and_carries_the_number(certificates: list[Certificate]) -> None:
    certificate = certificates[0]
    pdf = render_certificate_pdf(certificate)
    assert pdf.startswith(b"%PDF")
    assert f"/Title ({certificate.number})".encode() in _inflated(pdf)


def _pdf_page(pdf: bytes, tmp_path: Path) -> pdfium.PdfPage:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    if os.environ.get("JEMBATAN_CERTIFICATE_PDF"):  # keep a copy to look at
        shutil.copy(path, os.environ["JEMBATAN_CERTIFICATE_PDF"])
    return pdfium.PdfDocument(str(path))[0]


def test_the_pdf_text_has_the_number_the_name_and_the_japanese_title(
    certificates: list[Certificate], tmp_path: Path
) -> None:
    certificate = certificates[0]
    page = _pdf_page(render_certificate_pdf(certificate), tmp_path)
    text = page.get_textpage().get_text_range()
    assert "Kompeten pada" not in text
    for expected in (
        certificate.number,
        "Siti Aminah",
        "SERTIFIKAT PELATIHAN",
        "研修修了証明書",
        "yang dilatihkan",  # the centre trained the units; it does not certify competency
        "安全衛生",
        "40 dari 40 jam",
    ):
        assert expected in text


def _font_of(textpage: pdfium.PdfTextPage, index: int) -> str:
    buffer = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, buffer, 256, ctypes.byref(flags))
    return buffer.value.decode("latin-1")


def _glyph_image(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, index: int) -> Any:
    """The rendered pixels of character ``index``, in grey, at 8x scale."""
    scale = 8
    left, bottom, right, top = textpage.get_charbox(index)
    height = page.get_height()
    image = page.render(scale=scale, grayscale=True).to_pil()
    return image.crop(
        (
            int(left * scale),
            int((height - top) * scale),
            int(right * scale) + 1,
            int((height - bottom) * scale) + 1,
        )
    )


def test_japanese_prints_in_the_shipped_font_not_as_empty_boxes(
    certificates: list[Certificate], tmp_path: Path
) -> None:
    """Render the certificate to an image: the Japanese title is drawn, glyph by glyph.

    The font comes with the project (static/jembatan/fonts), not from the system: the
    PDF names it, and two different characters draw differently (an empty box, the
    "missing glyph", draws the same for every character).
    """
    page = _pdf_page(render_certificate_pdf(certificates[0]), tmp_path)
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    title = "研修修了証明書"
    first = text.index(title)
    glyphs = []
    distinct = {title.index(char) for char in title}  # a repeated character is drawn once
    for index in sorted(first + offset for offset in distinct):
        assert _font_of(textpage, index).endswith("+Jembatan-Noto-Sans-JP")
        glyph = _glyph_image(page, textpage, index)
        ink = sum(glyph.histogram()[:128])
        assert ink > 0.05 * glyph.width * glyph.height, f"{text[index]} is blank"
        glyphs.append(glyph.resize((32, 32)).tobytes())
    assert len(set(glyphs)) == len(set(title))  # six characters, six different drawings


def test_the_public_page_shows_name_certificate_date_issuer_and_nothing_personal(
    certificates: list[Certificate],
) -> None:
    certificate = certificates[1]
    person = certificate.participant
    response = Client().get(reverse("verify:certificate", kwargs={"token": certificate.token}))
    body = response.content.decode()
    assert response.status_code == 200
    for shown in (
        "Siti Aminah",
        certificate.number,
        "LSP Logam Indonesia",
        "BNSP-LSP-0999-ID",
        "Certificate of competency",
    ):
        assert shown in body
    assert date_format(certificate.issued_on, "DATE_FORMAT") in body  # in the page's language
    for hidden in (
        person.nik,
        person.birth_date.isoformat(),
        person.birth_place,
        person.phone or "+62",
    ):
        assert hidden not in body
    assert "LPK A" not in body  # not even who sent the person


def test_an_unknown_token_or_the_number_finds_nothing(certificates: list[Certificate]) -> None:
    client = Client()
    assert client.get(reverse("verify:certificate", kwargs={"token": "x" * 32})).status_code == 404
    by_number = certificates[0].number.replace("/", "-")
    assert client.get(f"/verifikasi/{by_number}/").status_code == 404


def test_revoking_is_audited_and_shows_on_the_public_page(
    certificates: list[Certificate], training_operator: User
) -> None:
    certificate = certificates[0]
    certificate_revoke(
        certificate=certificate,
        reason="Assessment evidence was forged.",
        acting_user=training_operator,
    )
    record = ChangeRecord.objects.get(operation="training.certificate_revoke")
    assert (record.actor, record.reason) == (training_operator, "Assessment evidence was forged.")
    body = (
        Client()
        .get(reverse("verify:certificate", kwargs={"token": certificate.token}))
        .content.decode()
    )
    assert "REVOKED" in body
    assert "forged" not in body  # the reason is kept, not published


def test_revoking_needs_a_reason_and_happens_once(
    certificates: list[Certificate], training_operator: User, sender_operator: User
) -> None:
    from django.core.exceptions import PermissionDenied, ValidationError

    certificate = certificates[0]
    with pytest.raises(PermissionDenied):
        certificate_revoke(certificate=certificate, reason="No.", acting_user=sender_operator)
    with pytest.raises(ValidationError):
        certificate_revoke(certificate=certificate, reason="  ", acting_user=training_operator)
    certificate_revoke(
        certificate=certificate, reason="Issued in error.", acting_user=training_operator
    )
    with pytest.raises(ValidationError):
        certificate_revoke(certificate=certificate, reason="Again.", acting_user=training_operator)


def test_the_command_line_verifies_by_number_and_by_token(certificates: list[Certificate]) -> None:
    certificate = certificates[0]
    for value in (certificate.number, certificate.token):
        out = io.StringIO()
        call_command("certificates", "verify", value, stdout=out)
        lines = out.getvalue().splitlines()
        assert f"number: {certificate.number}" in lines
        assert "status: valid" in lines
        assert "holder: Siti Aminah" in lines


def test_the_command_line_fails_for_a_revoked_or_unknown_certificate(
    certificates: list[Certificate], training_operator: User
) -> None:
    certificate = certificates[0]
    certificate_revoke(
        certificate=certificate, reason="Issued in error.", acting_user=training_operator
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="is REVOKED"):
        call_command("certificates", "verify", certificate.number, "--json", stdout=out)
    assert '"status": "revoked"' in out.getvalue()
    with pytest.raises(CommandError, match="No certificate"):
        call_command("certificates", "verify", "JBT/1999/000001")


def test_the_holder_and_the_staff_open_the_pdf_others_do_not(
    certificates: list[Certificate], training_operator: User, other_sender_operator: User
) -> None:
    url = reverse("training:certificate_pdf", kwargs={"certificate_pk": certificates[0].pk})
    staff = Client()
    staff.force_login(training_operator)
    response = staff.get(url)
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    outsider = Client()
    outsider.force_login(other_sender_operator)
    assert outsider.get(url).status_code == 404
