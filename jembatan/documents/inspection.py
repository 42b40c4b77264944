"""What an uploaded file really is, judged by its bytes and never by its name.

A file called ``ijazah.pdf`` may be a Windows program or a web page that would
run scripts in an officer's browser. Every upload passes :func:`inspect_upload`
before it is stored: the size is checked while reading, the type is detected
from the content (``filetype`` signatures, then a PDF header/trailer check and a
full image decode with Pillow), and PDFs that carry scripts or launch actions
are refused. The refusal says what the file really is and what to do.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image

from jembatan.documents.models import ACCEPTED_TYPES, JPEG, PDF, PNG, TYPE_LABELS

PIL_FORMATS = {JPEG: "JPEG", PNG: "PNG"}
HTML_START = re.compile(rb"^\s*(<!doctype|<html|<head|<body|<script|<svg|<\?xml|<)", re.I)
# Scripts, attachments and actions that run when a PDF is opened; a scanned document
# needs none. Only names long enough that compressed image data will not hold them by
# chance (``/JS`` alone would match a large scan every few megabytes).
PDF_ACTIVE = re.compile(rb"/(JavaScript|Launch|EmbeddedFile|RichMedia)\b")
FOUND_LABELS: dict[str, Promise] = {
    "application/x-msdownload": gettext_lazy("a Windows program (EXE)"),
    "application/x-executable": gettext_lazy("a program (ELF executable)"),
    "application/x-mach-binary": gettext_lazy("a program (Mach-O executable)"),
    "application/zip": gettext_lazy("a ZIP archive or an Office document"),
    "text/html": gettext_lazy("a web page (HTML)"),
}


@dataclass(frozen=True)
class Inspection:
    """The facts about an accepted file that are stored with it."""

    content: bytes
    content_type: str
    sha256: str
    size: int


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


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def check_size(size: int | None, *, limit: int, document: str) -> None:
    """Refuse empty files and files above ``limit`` (``size`` None means: read past it)."""
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size is None or size > limit:
        raise ValidationError(
            _(
                "The file is larger than %(limit)s MB, the limit for %(document)s. "
                "Scan it at a lower resolution or compress it, then upload it again."
            )
            % {"limit": _mb(limit), "document": document},
            code="too_large",
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
        % {"found": found_label(mime), "document": document, "accepted": names},
        code="type_refused",
    )


def _damaged(mime: str) -> ValidationError:
    return ValidationError(
        _(
            "The file looks like a %(type)s file but is damaged or incomplete. "
            "Save or scan it again and upload the new file."
        )
        % {"type": TYPE_LABELS[mime]},
        code="damaged",
    )


def check_pdf(content: bytes) -> None:
    """A PDF must start with its header, end with its trailer and carry no active content."""
    if not content.startswith(b"%PDF-") or b"%%EOF" not in content[-2048:]:
        raise _damaged(PDF)
    if PDF_ACTIVE.search(content):
        raise ValidationError(
            _(
                "This PDF contains scripts, attachments or automatic actions, which are "
                "not allowed. Print it to a new PDF or scan the paper, then upload that file."
            ),
            code="active_content",
        )


def check_image(content: bytes, mime: str) -> None:
    """An image must decode completely as the format its signature claims."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                if image.format != PIL_FORMATS[mime]:
                    raise _damaged(mime)
                image.load()
    except (
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as error:
        raise _damaged(mime) from error


def inspect_upload(
    chunks: Iterable[bytes], *, limit: int, accepted: Iterable[str], document: str
) -> Inspection:
    """Read, measure, identify and check one upload; raise ValidationError if refused."""
    content = read_limited(chunks, limit=limit)
    check_size(None if content is None else len(content), limit=limit, document=document)
    assert content is not None  # check_size refused the None case
    mime = check_type(detect(content), accepted=accepted, document=document)
    if mime == PDF:
        check_pdf(content)
    else:
        check_image(content, mime)
    return Inspection(
        content=content,
        content_type=mime,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )
