"""What an uploaded file really is, judged by its bytes and never by its name.

A file called ``ijazah.pdf`` may be a Windows program, a web page that would run
scripts in an officer's browser, or a PDF that is also a web page. Every upload
of a document (participants' documents, the attachments of licence decisions)
passes :func:`inspect_upload` before it is stored: the size is checked while
reading, the type is detected from the content (``filetype`` signatures), a PDF
is parsed and refused if it carries scripts, actions, attachments or anything
besides the PDF (:mod:`jembatan.core.pdf_safety`), and an image is decoded and
written again so that what is stored is exactly the picture
(:mod:`jembatan.core.image_safety`). A refusal says what the file really is and
what to do, in the person's language.

The name a file is offered under follows what it is (:func:`name_for_type`):
``ijazah.html`` that is a PDF is stored and downloaded as ``ijazah.pdf``.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jembatan.core import image_safety, pdf_safety
from jembatan.core.errors import CoreErrorCode

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
ACCEPTED_TYPES = (PDF, JPEG, PNG)
TYPE_LABELS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}
EXTENSIONS = {PDF: (".pdf",), JPEG: (".jpg", ".jpeg"), PNG: (".png",)}
IMAGE_FORMATS = {JPEG: "JPEG", PNG: "PNG"}
HTML_START = re.compile(rb"^\s*(<!doctype|<html|<head|<body|<script|<svg|<\?xml|<)", re.I)
# A suffix that looks like a file type (``.html``, ``.exe``), not a date or a version.
EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,4}$")
MAX_NAME = 255
FOUND_LABELS: dict[str, Promise] = {
    "application/x-msdownload": gettext_lazy("a Windows program (EXE)"),
    "application/x-executable": gettext_lazy("a program (ELF executable)"),
    "application/x-mach-binary": gettext_lazy("a program (Mach-O executable)"),
    "application/zip": gettext_lazy("a ZIP archive or an Office document"),
    "text/html": gettext_lazy("a web page (HTML)"),
}
FINDING_LABELS: dict[pdf_safety.Finding, Promise] = {
    pdf_safety.Finding.SCRIPT: gettext_lazy("scripts (JavaScript)"),
    pdf_safety.Finding.LAUNCH: gettext_lazy("a command that starts a program"),
    pdf_safety.Finding.ATTACHED_FILE: gettext_lazy("attached files"),
    pdf_safety.Finding.AUTOMATIC_ACTION: gettext_lazy("actions that run by themselves"),
    pdf_safety.Finding.MULTIMEDIA: gettext_lazy("multimedia or 3D content"),
    pdf_safety.Finding.DATA_FORM: gettext_lazy("a form that sends or imports data"),
    pdf_safety.Finding.OUTSIDE_LINK: gettext_lazy("links that open files or non-web addresses"),
}


@dataclass(frozen=True)
class Inspection:
    """The facts about an accepted file that are stored with it (``content`` is what to store)."""

    content: bytes
    content_type: str
    sha256: str
    size: int


def inspect_upload(
    chunks: Iterable[bytes], *, limit: int, accepted: Iterable[str], document: str
) -> Inspection:
    """Read, measure, identify and check one upload; raise ValidationError if refused.

    ``document`` names what the file is for ("Ijazah", "the attachment") in refusals.
    An image comes back re-encoded: store ``content``, not the bytes that came in.
    """
    content = read_limited(chunks, limit=limit)
    check_size(None if content is None else len(content), limit=limit, document=document)
    assert content is not None  # check_size refused the None case
    mime = check_type(detect(content), accepted=accepted, document=document)
    stored = check_pdf(content) if mime == PDF else rewrite_image(content, mime)
    return Inspection(
        content=stored,
        content_type=mime,
        sha256=hashlib.sha256(stored).hexdigest(),
        size=len(stored),
    )


def read_limited(chunks: Iterable[bytes], *, limit: int) -> bytes | None:
    """The whole content, or None as soon as it passes ``limit`` bytes (never read further)."""
    buffer = io.BytesIO()
    for chunk in chunks:
        buffer.write(chunk)
        if buffer.tell() > limit:
            return None
    return buffer.getvalue()


def detect(content: bytes) -> str | None:
    """The MIME type that the bytes show (not the name), or None if unrecognised."""
    kind = filetype.guess(content[:8192])
    if kind is not None:
        return str(kind.mime)
    if HTML_START.match(content[:1024]):
        return "text/html"
    return None


def found_label(mime: str | None) -> str:
    """How to name what a refused file really is, in words a participant understands."""
    if mime is None:
        return _("a format that is not recognised")
    if mime in FOUND_LABELS:
        return str(FOUND_LABELS[mime])
    return _("a %(type)s file") % {"type": mime.rsplit("/", 1)[-1].upper()}


def either(names: list[str]) -> str:
    """``PDF, JPEG or PNG``: a list of alternatives as a sentence says it."""
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s or %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def all_of(names: list[str]) -> str:
    """``scripts, attached files and forms``: a list of things found, as a sentence says it."""
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def check_size(size: int | None, *, limit: int, document: str) -> None:
    """Refuse empty files and files above ``limit`` (``size`` None means: read past it)."""
    if size == 0:
        raise ValidationError(_("The file is empty."), code=CoreErrorCode.EMPTY)
    if size is None or size > limit:
        raise ValidationError(
            _(
                "The file is larger than %(limit)s MB, the limit for %(document)s. "
                "Scan it at a lower resolution or compress it, then upload it again."
            )
            % {"limit": _mb(limit), "document": document},
            code=CoreErrorCode.TOO_LARGE,
        )


def check_type(mime: str | None, *, accepted: Iterable[str], document: str) -> str:
    """The detected type if ``document`` accepts it; otherwise a refusal saying what it is."""
    allowed = [t for t in accepted if t in ACCEPTED_TYPES]
    if mime in allowed:
        return str(mime)
    names = either([TYPE_LABELS[t] for t in allowed])
    raise ValidationError(
        _(
            "Whatever its name says, this file is %(found)s. %(document)s must be a "
            "%(accepted)s file: save or scan it in that format and upload it again."
        )
        % {"found": found_label(mime), "document": capfirst(document), "accepted": names},
        code=CoreErrorCode.TYPE_REFUSED,
    )


def _damaged(mime: str) -> ValidationError:
    return ValidationError(
        _(
            "The file looks like a %(type)s file but is damaged or incomplete. "
            "Save or scan it again and upload the new file."
        )
        % {"type": TYPE_LABELS[mime]},
        code=CoreErrorCode.DAMAGED,
    )


def _hidden_content(mime: str) -> ValidationError:
    return ValidationError(
        _(
            "This %(type)s file carries something else besides the %(type)s: data after its "
            "end or a web page hidden inside. Save or scan it again as a plain %(type)s file "
            "and upload the new file."
        )
        % {"type": TYPE_LABELS[mime]},
        code=CoreErrorCode.HIDDEN_CONTENT,
    )


def check_pdf(content: bytes) -> bytes:
    """``content`` if it is a readable PDF with nothing active or hidden in it."""
    try:
        pdf_safety.check_pdf(content)
    except pdf_safety.PdfEncrypted as error:
        raise ValidationError(
            _(
                "This PDF is encrypted or protected by a password, so its content cannot be "
                "checked. Save it again as a plain PDF without protection (or scan the paper "
                "again), then upload the new file."
            ),
            code=CoreErrorCode.ENCRYPTED,
        ) from error
    except pdf_safety.PdfActiveContent as error:
        found = all_of([str(FINDING_LABELS[f]) for f in sorted(error.findings)])
        raise ValidationError(
            _(
                "This PDF contains %(found)s, which a document here may not contain. Print "
                "it to a new PDF or scan the paper, then upload that file."
            )
            % {"found": found},
            code=CoreErrorCode.ACTIVE_CONTENT,
        ) from error
    except pdf_safety.PdfHiddenContent as error:
        raise _hidden_content(PDF) from error
    except pdf_safety.PdfRefused as error:
        raise _damaged(PDF) from error
    return content


def rewrite_image(content: bytes, mime: str) -> bytes:
    """The image decoded and encoded again (the pixels only), or a refusal saying why not."""
    try:
        return image_safety.rewrite_image(content, IMAGE_FORMATS[mime])
    except image_safety.TrailingData as error:
        raise _hidden_content(mime) from error
    except image_safety.TooManyPixels as error:
        raise ValidationError(
            _(
                "This image has more than %(limit)s million pixels, far more than a page "
                "needs. Scan or photograph it at a lower resolution (300 dpi is enough) and "
                "upload it again."
            )
            % {"limit": image_safety.pixel_limit() // 1_000_000},
            code=CoreErrorCode.TOO_MANY_PIXELS,
        ) from error
    except image_safety.AbsurdDimensions as error:
        raise ValidationError(
            _(
                "This image is %(width)s × %(height)s pixels; no side of a page scan is longer "
                "than %(limit)s pixels. Scan or photograph the document again and upload the "
                "new file."
            )
            % {"width": error.width, "height": error.height, "limit": image_safety.MAX_SIDE},
            code=CoreErrorCode.IMAGE_DIMENSIONS,
        ) from error
    except image_safety.ImageRefused as error:
        raise _damaged(mime) from error


def name_for_type(name: str, mime: str) -> str:
    """``name`` with the extension of what the file is: ``ijazah.html`` (a PDF) → ``ijazah.pdf``.

    A name that already ends as the type says stays as it is (``foto.jpeg``); another
    suffix that looks like a file type is replaced, and anything else kept
    (``scan 12.05.2024`` → ``scan 12.05.2024.pdf``).
    """
    extensions = EXTENSIONS[mime]
    if name.lower().endswith(extensions):
        return name
    stem = EXTENSION.sub("", name)
    if stem.lower().endswith(extensions):  # ijazah.pdf.html
        return stem
    return (stem or "document")[: MAX_NAME - len(extensions[0])] + extensions[0]


def replace_content(upload: File, content: bytes) -> None:
    """Make ``upload`` hold ``content`` (a re-encoded image) before it is stored.

    Written into the file itself where it can be: Django stores a large upload by
    moving its temporary file, so replacing the Python object would not do.
    """
    upload.seek(0)
    if upload.read() == content:
        upload.seek(0)
        return
    try:
        upload.seek(0)
        upload.write(content)
        upload.truncate()
        upload.flush()
    except (OSError, ValueError):
        upload.file = io.BytesIO(content)
    upload.seek(0)
    upload.size = len(content)
