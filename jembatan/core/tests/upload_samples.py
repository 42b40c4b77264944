"""Files for the upload checks, made in the test: hostile ones that must be refused, good ones
that must pass.

Each hostile sample is one that slipped through the byte-pattern check before
(issue 14), or one the issue names: JavaScript and Launch actions written with
name escapes (``/J#61vaScript``), an action inside a compressed object stream,
an embedded file, PDFs and images with a web page inside or appended, a
decompression bomb, an encrypted PDF. They are built byte by byte here, small
and readable, rather than kept as opaque files.
"""

from __future__ import annotations

import base64
import io
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from PIL import Image
from pypdf import PdfReader, PdfWriter

HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


# --- building PDFs by hand -----------------------------------------------------------


def build_pdf(
    objects: list[bytes],
    *,
    packed: frozenset[int] = frozenset(),
    prologue: bytes = b"",
    unlisted: bytes = b"",
) -> bytes:
    """A PDF of ``objects`` (numbered from 1, the catalog first).

    Objects whose numbers are in ``packed`` go into one compressed object stream
    with a cross-reference stream, as WeasyPrint and Acrobat write them; without
    ``packed`` the cross-reference is a classic table. ``prologue`` comes right
    after the header; ``unlisted`` is written in the body but left out of the
    cross-reference.
    """
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + prologue)
    offsets: dict[int, int] = {}
    for number, body in enumerate(objects, start=1):
        if number not in packed:
            offsets[number] = out.tell()
            out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    out.write(unlisted)
    if not packed:
        return _classic_trailer(out, offsets, len(objects) + 1)
    return _stream_trailer(out, objects, packed, offsets)


def _classic_trailer(out: io.BytesIO, offsets: dict[int, int], size: int) -> bytes:
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for number in range(1, size):
        out.write(b"%010d 00000 n \n" % offsets[number])
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % size)
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def _stream_trailer(
    out: io.BytesIO, objects: list[bytes], packed: frozenset[int], offsets: dict[int, int]
) -> bytes:
    stream_number, xref_number = len(objects) + 1, len(objects) + 2
    numbers = sorted(packed)
    bodies, header, position = [], [], 0
    for number in numbers:
        header.append(b"%d %d" % (number, position))
        bodies.append(objects[number - 1] + b"\n")
        position += len(bodies[-1])
    head = b" ".join(header) + b"\n"
    data = zlib.compress(head + b"".join(bodies))
    offsets[stream_number] = out.tell()
    out.write(
        b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\n"
        b"stream\n%s\nendstream\nendobj\n"
        % (stream_number, len(numbers), len(head), len(data), data)
    )
    offsets[xref_number] = out.tell()
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    for number in range(1, xref_number + 1):
        if number in packed:
            rows.append(struct.pack(">BIH", 2, stream_number, numbers.index(number)))
        else:
            rows.append(struct.pack(">BIH", 1, offsets[number], 0))
    table = zlib.compress(b"".join(rows))
    out.write(
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Filter /FlateDecode "
        b"/Length %d >>\nstream\n%s\nendstream\nendobj\n"
        % (xref_number, xref_number + 1, len(table), table)
    )
    out.write(b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number])
    return out.getvalue()


def page_objects(*, catalog: bytes = b"", page: bytes = b"", text: str = "Ijazah") -> list[bytes]:
    """Catalog, page tree, one page and its text: objects 1 to 4 (more may follow)."""
    stream = f"BT /F1 12 Tf 10 10 Td ({text}) Tj ET".encode()
    return [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R " + page + b">>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]


def link_annotation(action: bytes) -> bytes:
    """A link over the whole page that runs ``action`` when clicked."""
    return b"<< /Type /Annot /Subtype /Link /Rect [0 0 200 100] /A " + action + b" >>"


def plain_pdf() -> bytes:
    """A small well-formed one-page PDF with a classic cross-reference table."""
    return build_pdf(page_objects())


# --- hostile PDFs ----------------------------------------------------------------------


def escaped_javascript_pdf() -> bytes:
    """A link running JavaScript, its names written ``/J#61vaScript`` and ``/J#53``."""
    objects = page_objects(page=b"/Annots [5 0 R] ")
    objects.append(link_annotation(b"<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>"))
    return build_pdf(objects)


def escaped_launch_pdf() -> bytes:
    """A link starting a program, its action written ``/L#61unch``."""
    objects = page_objects(page=b"/Annots [5 0 R] ")
    objects.append(link_annotation(b"<< /S /L#61unch /Win << /F (cmd.exe) /P (/c calc.exe) >> >>"))
    return build_pdf(objects)


def action_in_object_stream_pdf() -> bytes:
    """A JavaScript action run on opening, catalog and action packed in a compressed stream."""
    objects = page_objects(catalog=b"/OpenAction 5 0 R ")
    objects.append(b"<< /S /JavaScript /JS (app.launchURL\\('http://evil.example'\\)) >>")
    return build_pdf(objects, packed=frozenset({1, 2, 5}))


def embedded_file_pdf() -> bytes:
    """A program attached in the names tree (``/EmbeddedFiles``, ``/EF``, no ``/Type``)."""
    program = b"MZ\x90\x00 pretend this is a program"
    names = b"/Names << /EmbeddedFiles << /Names [(invoice.exe) 5 0 R] >> >> "
    objects = page_objects(catalog=names)
    objects.append(b"<< /Type /Filespec /F (invoice.exe) /EF << /F 6 0 R >> >>")
    objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(program), program))
    return build_pdf(objects)


def pypdf_attachment_pdf() -> bytes:
    """A file attached the ordinary way, by pypdf."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(plain_pdf())))
    writer.add_attachment("notes.txt", b"hello")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def unlisted_object_pdf() -> bytes:
    """A script action written in the body but left out of the cross-reference table."""
    hidden = b"9 0 obj\n<< /S /J#61vaScript /JS (app.alert\\(1\\)) >>\nendobj\n"
    return build_pdf(page_objects(), unlisted=hidden)


def javascript_link_pdf() -> bytes:
    """A link to a ``javascript:`` address."""
    objects = page_objects(page=b"/Annots [5 0 R] ")
    objects.append(link_annotation(b"<< /S /URI /URI (JavaScript:alert\\(1\\)) >>"))
    return build_pdf(objects)


def pdf_with_html_after_end() -> bytes:
    """A PDF followed by a web page: read as HTML, the browser runs the script."""
    return plain_pdf() + HTML_PAGE + b"\n"


def pdf_with_html_inside() -> bytes:
    """A PDF that is also a web page: the HTML sits in a comment after the header."""
    return build_pdf(page_objects(), prologue=b"%" + HTML_PAGE + b"\n")


def encrypted_pdf() -> bytes:
    """A PDF encrypted with an owner password (it opens without one, but is encrypted)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(plain_pdf())))
    writer.encrypt(user_password="", owner_password="rahasia", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- images ------------------------------------------------------------------------------


def image_bytes(fmt: str, size: tuple[int, int] = (40, 30), **params: object) -> bytes:
    """A small real PNG or JPEG drawn by Pillow: a red page with a dark stripe at the top."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((20, 20, 20), (0, 0, size[0], max(1, size[1] // 5)))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **params)
    return buffer.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data)
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def blank_png(width: int, height: int) -> bytes:
    """A one-bit PNG of ``width`` × ``height`` written by hand (Pillow would allocate it)."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", data)
        + _png_chunk(b"IEND", b"")
    )


def decompression_bomb_png() -> bytes:
    """About 25 KB that decode into 100 million pixels."""
    return blank_png(10_000, 10_000)


def absurd_png() -> bytes:
    """A strip 30,000 pixels long and one high: no page is that shape."""
    return blank_png(30_000, 1)


def png_with_html() -> bytes:
    """A real PNG with a web page appended after its end."""
    return image_bytes("PNG") + HTML_PAGE


def jpeg_with_html() -> bytes:
    """A real JPEG with a web page appended after its end."""
    return image_bytes("JPEG") + HTML_PAGE


def rotated_jpeg_with_gps() -> bytes:
    """A phone photo: stored sideways with orientation 6 (turn right) and a GPS position."""
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to view
    exif[0x8825] = {1: "S", 2: (6.0, 10.0, 30.0)}  # GPS latitude
    return image_bytes("JPEG", size=(40, 30), exif=exif.tobytes())


def png_with_text() -> bytes:
    """A PNG carrying a text chunk (software, comments: metadata to leave behind)."""
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "Alamat: Jl. Pemuda 12, Kendal")
    return image_bytes("PNG", pnginfo=info)


def jpeg_with_second_picture() -> bytes:
    """A JPEG followed by another complete JPEG, as phones write a gain map or preview."""
    return image_bytes("JPEG") + image_bytes("JPEG", size=(8, 6))


# --- good PDFs ---------------------------------------------------------------------------


def scanned_pdf() -> bytes:
    """What a scanner app writes: one page holding one JPEG photo of the paper."""
    page = Image.new("RGB", (620, 877), "white")
    page.paste((30, 30, 30), (60, 60, 560, 90))
    out = io.BytesIO()
    page.save(out, format="PDF", resolution=75)
    return out.getvalue()


def web_link_pdf() -> bytes:
    """A link to an ``https:`` address, as WeasyPrint writes for ``<a href>``."""
    objects = page_objects(page=b"/Annots [5 0 R] ")
    objects.append(link_annotation(b"<< /S /URI /URI (https://jembatan.example/verifikasi) >>"))
    return build_pdf(objects)


def incrementally_updated_pdf() -> bytes:
    """A PDF saved again with an incremental update (a second ``%%EOF`` after the first)."""
    writer = PdfWriter(PdfReader(io.BytesIO(plain_pdf())), incremental=True)
    writer.add_metadata({"/Title": "Ijazah SMK"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@cache
def weasyprint_pdf() -> bytes:
    """A page WeasyPrint renders (compressed object streams, a web link, an image)."""
    from weasyprint import HTML

    png = image_bytes("PNG")
    source = (
        "<html><body><h1>Sertifikat</h1><p><a href='https://jembatan.example/v/abc'>"
        "Verifikasi</a></p><img src='data:image/png;base64,"
        + base64.b64encode(png).decode()
        + "'></body></html>"
    )
    pdf: bytes = HTML(string=source).write_pdf()
    return pdf


# --- the catalogue -----------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """One file, how to make it, and the refusal code it must get (None: accepted)."""

    name: str
    make: Callable[[], bytes]
    code: str | None


HOSTILE = [
    Sample("javascript-name-escapes", escaped_javascript_pdf, "active_content"),
    Sample("launch-name-escapes", escaped_launch_pdf, "active_content"),
    Sample("action-in-object-stream", action_in_object_stream_pdf, "active_content"),
    Sample("embedded-file", embedded_file_pdf, "active_content"),
    Sample("pypdf-attachment", pypdf_attachment_pdf, "active_content"),
    Sample("object-left-out-of-xref", unlisted_object_pdf, "active_content"),
    Sample("javascript-link", javascript_link_pdf, "active_content"),
    Sample("pdf-then-html", pdf_with_html_after_end, "hidden_content"),
    Sample("pdf-with-html-inside", pdf_with_html_inside, "hidden_content"),
    Sample("encrypted-pdf", encrypted_pdf, "encrypted"),
    Sample("png-then-html", png_with_html, "hidden_content"),
    Sample("jpeg-then-html", jpeg_with_html, "hidden_content"),
    Sample("decompression-bomb", decompression_bomb_png, "too_many_pixels"),
    Sample("absurd-dimensions", absurd_png, "image_dimensions"),
]
GOOD = [
    Sample("plain-pdf", plain_pdf, None),
    Sample("scanned-pdf", scanned_pdf, None),
    Sample("pdf-with-web-link", web_link_pdf, None),
    Sample("incremental-update", incrementally_updated_pdf, None),
    Sample("weasyprint-pdf", weasyprint_pdf, None),
    Sample("png", lambda: image_bytes("PNG"), None),
    Sample("jpeg", lambda: image_bytes("JPEG"), None),
    Sample("jpeg-rotated-with-gps", rotated_jpeg_with_gps, None),
    Sample("png-with-text", png_with_text, None),
    Sample("jpeg-with-second-picture", jpeg_with_second_picture, None),
]
