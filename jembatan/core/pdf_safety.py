"""Whether a PDF is only a document, judged by parsing it (pypdf), not by byte patterns.

A PDF can carry scripts, commands that start programs, attached files, forms
that send or import data, multimedia, and actions that a viewer runs by itself
when the file is opened or a page is shown. Searching the bytes for
``/JavaScript`` misses them: a name may be written with escapes
(``/J#61vaScript`` is ``/JavaScript``) and objects may be packed in compressed
object streams. So the file is parsed and every object is visited, at any
depth: those its cross-reference lists (also inside object streams), and any
object written in the bytes that the cross-reference leaves out (a viewer
repairing the file would still find it).

What is refused, and why:

* scripts (``/JS``, ``/JavaScript``), ``/Launch``, attached files
  (``/EmbeddedFiles``, ``/EF``, ``/EmbeddedFile``, file-attachment annotations,
  ``/GoToE``), forms that send or import data (``/XFA``, ``/SubmitForm``,
  ``/ImportData``), multimedia and 3D (``/RichMedia``, ``/Movie``, ``/Sound``,
  ``/Rendition``, ``/3D``): a certificate or a scan needs none of them;
* ``/AA`` (actions on events) holding any action, and an ``/OpenAction`` that is
  an action other than going to a page (a plain destination is harmless);
* links that leave the web: ``/GoToR`` (opens another file) and ``/URI`` actions
  whose address is not ``http:``, ``https:`` or ``mailto:`` (``javascript:``,
  ``file:`` and ``\\\\host\\share`` addresses run code or leak the officer's
  Windows credentials). Web links stay allowed: WeasyPrint writes them for every
  ``<a href>``, a viewer asks before following one, and refusing them would
  refuse ordinary certificates;
* a PDF whose bytes hold more than a PDF: a web page (an officer's browser would
  run it if the file were ever opened as ``.html``) or data after its end
  (``%%EOF``) that is not an incremental update;
* encrypted PDFs, whose objects cannot be read, and files pypdf cannot parse.

pypdf rather than pikepdf: pure Python (no compiled qpdf to ship), and it
decodes escaped names, object streams and cross-reference streams, which is all
this check needs. The reader resolves only the objects a cross-reference lists
(pypdf would otherwise search the whole file for each one it does not, which a
hostile file can ask for a million times), and the counts of objects are capped.
"""

from __future__ import annotations

import bisect
import io
import re
from collections.abc import Iterator
from enum import StrEnum
from typing import Any

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    PdfObject,
    StreamObject,
    read_object,
)

WHITESPACE = b"\x00\t\n\x0c\r "
EOF_MARKER = re.compile(rb"%%EOF")
SPACE = rb"[\x00\t\n\x0c\r ]"
# After an end marker that is not the last, only an incremental update may follow.
UPDATE_START = re.compile(SPACE + rb"*(?:\d+" + SPACE + rb"+\d+" + SPACE + rb"+obj|xref)")
OBJECT_HEADER = re.compile(
    rb"(?<![0-9])\d{1,10}" + SPACE + rb"+\d{1,5}" + SPACE + rb"+obj(?![A-Za-z])"
)
# HTML a browser would act on: tags of four letters or more, and any tag with an event
# handler. Long enough that compressed image data does not hold one by chance: a given
# tag with its "<" and the byte after it turns up about once in a few terabytes.
MARKUP = re.compile(
    rb"<(?:!doctype|html|head|body|script|iframe|frame|object|embed|applet|meta|link|style"
    rb"|base|form|math|video|audio|source|input|details|marquee)(?=[\x00\t\n\x0c\r />])"
    rb"|<[a-z]+[\t\n\x0c\r ][^<>]{0,200}?\bon[a-z]{4,}[\t\n\x0c\r ]*=",
    re.IGNORECASE,
)
MAX_LISTED_OBJECTS = 200_000
MAX_UNLISTED_OBJECTS = 1_000
MAX_UNLISTED_BYTES = 1024 * 1024
MAX_VISITS = 2_000_000
WEB_SCHEMES = ("http:", "https:", "mailto:")


class Finding(StrEnum):
    """A kind of active content found in a PDF; the refusal names each one found."""

    SCRIPT = "script"
    LAUNCH = "launch"
    ATTACHED_FILE = "attached_file"
    AUTOMATIC_ACTION = "automatic_action"
    MULTIMEDIA = "multimedia"
    DATA_FORM = "data_form"
    OUTSIDE_LINK = "outside_link"


ACTIVE_KEYS = {
    "/JS": Finding.SCRIPT,
    "/JavaScript": Finding.SCRIPT,
    "/EmbeddedFiles": Finding.ATTACHED_FILE,
    "/EF": Finding.ATTACHED_FILE,
    "/XFA": Finding.DATA_FORM,
    "/RichMediaContent": Finding.MULTIMEDIA,
}
# Values of /S (an action's type), /Type and /Subtype (an annotation's or a stream's).
ACTIVE_TYPES = {
    "/JavaScript": Finding.SCRIPT,
    "/Launch": Finding.LAUNCH,
    "/EmbeddedFile": Finding.ATTACHED_FILE,
    "/FileAttachment": Finding.ATTACHED_FILE,
    "/GoToE": Finding.ATTACHED_FILE,
    "/SubmitForm": Finding.DATA_FORM,
    "/ImportData": Finding.DATA_FORM,
    "/RichMedia": Finding.MULTIMEDIA,
    "/RichMediaExecute": Finding.MULTIMEDIA,
    "/Movie": Finding.MULTIMEDIA,
    "/Sound": Finding.MULTIMEDIA,
    "/Rendition": Finding.MULTIMEDIA,
    "/3D": Finding.MULTIMEDIA,
    "/GoToR": Finding.OUTSIDE_LINK,
}
TYPE_KEYS = ("/S", "/Type", "/Subtype")


class PdfRefused(Exception):
    """The bytes are not only a readable PDF without active content."""


class PdfDamaged(PdfRefused):
    """pypdf cannot read it: truncated, broken, or too complex to check."""


class PdfEncrypted(PdfRefused):
    """Encrypted (with or without a password to open it): its objects cannot be read."""


class PdfHiddenContent(PdfRefused):
    """More than a PDF: a web page in its bytes (``markup``) or data after its end."""

    def __init__(self, *, markup: bool) -> None:
        super().__init__("web page" if markup else "data after the end")
        self.markup = markup


class PdfActiveContent(PdfRefused):
    """Scripts, actions, attachments, forms or multimedia, as ``findings``."""

    def __init__(self, findings: set[Finding]) -> None:
        super().__init__(", ".join(sorted(findings)))
        self.findings = frozenset(findings)


class _ListedOnlyReader(PdfReader):
    """A reader that resolves only the objects its cross-reference lists.

    pypdf searches the whole file for an object the cross-reference does not
    list; a hostile file can ask for that once per reference. Unlisted objects
    are found by :func:`_unlisted_objects` instead, once each.
    """

    def get_object(self, indirect_reference: int | IndirectObject) -> PdfObject | None:
        if isinstance(indirect_reference, int):
            indirect_reference = IndirectObject(indirect_reference, 0, self)
        number, generation = indirect_reference.idnum, indirect_reference.generation
        listed = number in self.xref.get(generation, {}) or (
            generation == 0 and number in self.xref_objStm
        )
        return super().get_object(indirect_reference) if listed else None


def check_pdf(content: bytes) -> None:
    """Raise a :class:`PdfRefused` unless ``content`` is a readable PDF and nothing more."""
    _check_bytes(content)
    try:
        reader = _ListedOnlyReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise PdfEncrypted
        if not _has_pages(reader):
            raise PdfDamaged
        findings = _findings(reader, content)
    except PdfRefused:
        raise
    except Exception as error:
        # pypdf answers hostile input with anything from AssertionError to RecursionError;
        # whatever it is, the file cannot be read, so it cannot be checked.
        raise PdfDamaged from error
    if findings:
        raise PdfActiveContent(findings)


def _check_bytes(content: bytes) -> None:
    """A PDF from its first byte to its last end marker, with no web page inside."""
    if not content.startswith(b"%PDF-"):
        raise PdfDamaged
    ends = [match.end() for match in EOF_MARKER.finditer(content)]
    if not ends:
        raise PdfDamaged
    if content[ends[-1] :].strip(WHITESPACE):
        raise PdfHiddenContent(markup=False)
    if any(UPDATE_START.match(content, end) is None for end in ends[:-1]):
        raise PdfHiddenContent(markup=False)
    if MARKUP.search(content):
        raise PdfHiddenContent(markup=True)


def _has_pages(reader: PdfReader) -> bool:
    """True if the catalog names a page tree with at least one page in it."""
    root = _value(reader.trailer, "/Root")
    pages = _value(root, "/Pages") if isinstance(root, DictionaryObject) else None
    kids = _value(pages, "/Kids") if isinstance(pages, DictionaryObject) else None
    return isinstance(kids, ArrayObject) and len(kids) > 0


def _value(item: DictionaryObject, key: str) -> Any:
    """``item[key]`` resolved if it is a reference, None if absent (or not listed)."""
    value = dict.get(item, key)
    return value.get_object() if isinstance(value, IndirectObject) else value


def _findings(reader: PdfReader, content: bytes) -> set[Finding]:
    """Every kind of active content in any object of the file, at any depth."""
    seen: set[tuple[int, int]] = set()
    budget = [MAX_VISITS]
    found = _walk([reader.trailer, *_listed_references(reader)], reader, seen, budget)
    # After the listed objects: pypdf has corrected the offsets of any it found elsewhere.
    return found | _walk(_unlisted_objects(reader, content), reader, seen, budget)


def _walk(
    stack: list[Any], reader: PdfReader, seen: set[tuple[int, int]], budget: list[int]
) -> set[Finding]:
    """Visit ``stack`` and everything it holds or refers to (each object once)."""
    found: set[Finding] = set()
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) not in seen:
                seen.add((item.idnum, item.generation))
                stack.append(reader.get_object(item))
            continue
        budget[0] -= 1
        if budget[0] < 0:
            raise PdfDamaged
        if isinstance(item, DictionaryObject):
            found |= _dictionary_findings(item)
            stack.extend(_containers(dict.values(item)))
            if isinstance(item, StreamObject) and _value(item, "/Type") == "/ObjStm":
                stack.extend(_packed_objects(item, reader))
        elif isinstance(item, ArrayObject):
            stack.extend(_containers(item))
    return found


def _containers(values: Any) -> Iterator[Any]:
    """The values worth a visit: dictionaries, arrays and references (not numbers, names)."""
    return (v for v in values if isinstance(v, DictionaryObject | ArrayObject | IndirectObject))


def _listed_references(reader: PdfReader) -> list[IndirectObject]:
    """A reference to every object the cross-reference lists, packed ones included."""
    listed = [
        IndirectObject(number, generation, reader)
        for generation, numbers in reader.xref.items()
        for number in numbers
    ]
    listed += [IndirectObject(number, 0, reader) for number in reader.xref_objStm]
    if len(listed) > MAX_LISTED_OBJECTS:
        raise PdfDamaged
    return listed


def _unlisted_objects(reader: PdfReader, content: bytes) -> list[Any]:
    """Objects written in the bytes at places the cross-reference does not point to.

    A viewer that repairs a file finds these; an older version of an object that an
    incremental update replaced is one of them. Bytes that only look like an object
    header (inside a stream's data) do not parse and are passed over.
    """
    listed = {offset for numbers in reader.xref.values() for offset in numbers.values()}
    ends = [match.end() for match in re.finditer(rb"endobj", content)]
    headers = [m for m in OBJECT_HEADER.finditer(content) if m.start() not in listed]
    if len(headers) > MAX_UNLISTED_OBJECTS:
        raise PdfDamaged
    found: list[Any] = []
    for header in headers:
        # Parse only up to the next "endobj" (and at most MAX_UNLISTED_BYTES): a stream
        # without a usable length is then never read to the end of the file.
        close = bisect.bisect_left(ends, header.end())
        stop = ends[close] if close < len(ends) else len(content)
        stop = min(stop, header.end() + MAX_UNLISTED_BYTES)
        parsed = _parse_at(content[header.end() : stop], 0, reader)
        if parsed is not None:
            found.append(parsed)
    return found


def _parse_at(data: bytes, offset: int, reader: PdfReader) -> PdfObject | None:
    """The object that starts at ``offset`` of ``data`` (after whitespace), or None."""
    stream = io.BytesIO(data)
    stream.seek(offset)
    while stream.read(1) in (b" ", b"\t", b"\n", b"\r", b"\x0c", b"\x00"):
        pass
    stream.seek(-1, io.SEEK_CUR)
    try:
        return read_object(stream, reader)
    except Exception:  # not an object after all: bytes that only looked like a header
        return None


def _packed_objects(stream: StreamObject, reader: PdfReader) -> list[PdfObject]:
    """The objects packed in an object stream, listed in the cross-reference or not."""
    data = stream.get_data()
    count, first = _value(stream, "/N"), _value(stream, "/First")
    if not isinstance(count, int) or not isinstance(first, int) or first > len(data):
        raise PdfDamaged
    header = data[:first].split()
    offsets = [int(offset) for offset in header[1 : 2 * count : 2]]
    packed = [_parse_at(data, first + offset, reader) for offset in offsets]
    if any(item is None for item in packed):
        raise PdfDamaged
    return [item for item in packed if item is not None]


def _dictionary_findings(item: DictionaryObject) -> set[Finding]:
    """What one dictionary holds that is active, by its keys and its type names."""
    found = {ACTIVE_KEYS[key] for key in item if key in ACTIVE_KEYS}
    for key in TYPE_KEYS:
        value = _value(item, key)
        if isinstance(value, str) and value in ACTIVE_TYPES:
            found.add(ACTIVE_TYPES[value])
    if _value(item, "/S") == "/URI" and not _is_web_address(_value(item, "/URI")):
        found.add(Finding.OUTSIDE_LINK)
    events = _value(item, "/AA")
    if isinstance(events, DictionaryObject) and len(events) > 0:
        found.add(Finding.AUTOMATIC_ACTION)
    opening = _value(item, "/OpenAction")
    if isinstance(opening, DictionaryObject) and _value(opening, "/S") != "/GoTo":
        found.add(Finding.AUTOMATIC_ACTION)
    return found


def _is_web_address(value: Any) -> bool:
    """True for an ``http:``, ``https:`` or ``mailto:`` address (case and spaces aside)."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str):
        return False
    address = re.sub(r"[\x00-\x20]", "", value).lower()
    return address.startswith(WEB_SCHEMES)
