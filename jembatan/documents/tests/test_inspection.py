"""Uploads are judged by their bytes, never by their names."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError

from jembatan.documents.inspection import inspect_upload
from jembatan.documents.models import ACCEPTED_TYPES, JPEG, PDF, PNG
from jembatan.documents.tests.conftest import HTML_PAGE, WINDOWS_EXE, make_image, make_pdf

LIMIT = 5 * 1024 * 1024


def _inspect(content: bytes, accepted: tuple[str, ...] = ACCEPTED_TYPES, limit: int = LIMIT):
    return inspect_upload([content], limit=limit, accepted=accepted, document="Ijazah")


def _refusal(content: bytes, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        _inspect(content, **kwargs)
    return caught.value


@pytest.mark.parametrize(
    ("content", "expected"),
    [(make_pdf(), PDF), (make_image("PNG"), PNG), (make_image("JPEG"), JPEG)],
    ids=["pdf", "png", "jpeg"],
)
def test_a_real_pdf_png_or_jpeg_is_accepted_with_its_detected_type(content, expected) -> None:
    found = _inspect(content)
    assert (found.content_type, found.size) == (expected, len(content))
    assert found.sha256 == hashlib.sha256(content).hexdigest()
    assert found.content == content


def test_an_html_page_named_pdf_is_refused_as_a_web_page() -> None:
    error = _refusal(HTML_PAGE)
    assert error.code == "type_refused"
    assert error.messages == [
        "Whatever its name says, this file is a web page (HTML). Ijazah must be a "
        "PDF, JPEG or PNG file: save or scan it in that format and upload it again."
    ]


def test_a_windows_program_named_pdf_is_refused_as_a_program() -> None:
    error = _refusal(WINDOWS_EXE)
    assert error.code == "type_refused"
    assert "a Windows program (EXE)" in error.messages[0]


def test_an_elf_executable_is_refused() -> None:
    error = _refusal(b"\x7fELF\x02\x01\x01" + b"\x00" * 200)
    assert "a program (ELF executable)" in error.messages[0]


def test_a_gif_is_refused_naming_its_real_type() -> None:
    error = _refusal(make_image("GIF"))
    assert "this file is a GIF file" in error.messages[0]


def test_unrecognised_bytes_are_refused() -> None:
    error = _refusal(b"just some text, no document at all")
    assert "a format that is not recognised" in error.messages[0]


def test_a_jpeg_is_refused_where_only_pdf_is_accepted() -> None:
    error = _refusal(make_image("JPEG"), accepted=(PDF,))
    assert error.code == "type_refused"
    assert "this file is a JPEG file. Ijazah must be a PDF file" in error.messages[0]


def test_a_file_over_the_limit_is_refused_without_reading_it_all() -> None:
    chunks_read = []

    def chunks():
        for n in range(10):
            chunks_read.append(n)
            yield b"%PDF-" + b"0" * 1019

    with pytest.raises(ValidationError) as caught:
        inspect_upload(chunks(), limit=3000, accepted=ACCEPTED_TYPES, document="Ijazah")
    assert caught.value.code == "too_large"
    assert caught.value.messages == [
        "The file is larger than 0.0 MB, the limit for Ijazah. Scan it at a lower "
        "resolution or compress it, then upload it again."
    ]
    assert chunks_read == [0, 1, 2]


def test_a_file_exactly_at_the_limit_is_accepted() -> None:
    content = make_pdf()
    assert _inspect(content, limit=len(content)).size == len(content)


def test_an_empty_file_is_refused() -> None:
    assert _refusal(b"").code == "empty"


def test_a_truncated_pdf_is_refused_as_damaged() -> None:
    error = _refusal(make_pdf()[:60])
    assert error.code == "damaged"
    assert error.messages == [
        "The file looks like a PDF file but is damaged or incomplete. "
        "Save or scan it again and upload the new file."
    ]


def test_a_pdf_with_javascript_is_refused() -> None:
    content = make_pdf().replace(
        b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript >>"
    )
    assert _refusal(content).code == "active_content"


def test_a_png_signature_followed_by_garbage_is_refused_as_damaged() -> None:
    content = make_image("PNG")[:16] + b"\x00garbage" * 20
    assert _refusal(content).code == "damaged"


def test_a_truncated_jpeg_is_refused_as_damaged() -> None:
    content = make_image("JPEG", size=(64, 64))
    assert _refusal(content[: len(content) // 2]).code == "damaged"
