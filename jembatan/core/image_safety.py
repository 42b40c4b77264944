"""Images stored as exactly what they show: decoded and written again with Pillow.

An uploaded PNG or JPEG may carry more than its picture: a web page appended
after its end (a browser opening the file as ``.html`` runs it), text chunks,
EXIF with the place a photo was taken. So the picture is decoded and encoded
again in the same format: the stored file holds the pixels and nothing else.
The EXIF orientation is applied first, so a phone photo stands the way it was
taken; every metadata chunk is left behind, colour profiles included (a scan of
a paper needs none, and most phones write sRGB anyway).

Before that, the file must end where its format says it ends: a PNG at its
``IEND`` chunk, a JPEG at its end-of-image marker. After a JPEG's end, phones
write further images (the multi-picture format, an HDR gain map) or a motion
photo's video; those are accepted (and left behind). Anything else after the
end is refused, as are images that do not decode, that have more pixels than
Pillow's ``MAX_IMAGE_PIXELS`` (a decompression bomb: a small file that decodes
into gigabytes) or a side longer than :data:`MAX_SIDE`.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps

# Pillow's own default (a gigabyte of RGBA, about 89 million pixels), if it was switched off.
PILLOW_PIXEL_LIMIT = 1024 * 1024 * 1024 // 4 // 3
MAX_SIDE = 20_000  # pixels; an A3 page scanned at 1200 dpi is 19,843 pixels long
JPEG_QUALITY = 90
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_MODES = {"1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"}
JPEG_MODES = {"L", "RGB"}
# What Pillow calls each format once opened: a JPEG with further pictures after it
# (multi-picture format, written by many phones) opens as MPO.
OPENED_AS = {"PNG": {"PNG"}, "JPEG": {"JPEG", "MPO"}}


class ImageRefused(Exception):
    """The bytes are not one image that decodes."""


class ImageDamaged(ImageRefused):
    """Truncated, corrupt, or not the format its signature claims."""


class TrailingData(ImageRefused):
    """Bytes after the image's end that no camera writes there."""


class TooManyPixels(ImageRefused):
    """More pixels than ``Image.MAX_IMAGE_PIXELS``: a decompression bomb."""


class AbsurdDimensions(ImageRefused):
    """A side longer than :data:`MAX_SIDE` pixels."""

    def __init__(self, width: int, height: int) -> None:
        super().__init__(f"{width} × {height}")
        self.width, self.height = width, height


def pixel_limit() -> int:
    """The most pixels an image may have: Pillow's ``MAX_IMAGE_PIXELS``."""
    return Image.MAX_IMAGE_PIXELS or PILLOW_PIXEL_LIMIT


def rewrite_image(content: bytes, image_format: str) -> bytes:
    """``content`` (``"PNG"`` or ``"JPEG"``) decoded and encoded again; raise ImageRefused."""
    if image_format == "PNG":
        _check_png_end(content)
    else:
        _check_jpeg_end(content)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                _check_opened(image, image_format)
                upright = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise TooManyPixels from error
    except (OSError, SyntaxError, ValueError) as error:
        raise ImageDamaged from error
    return _encode(upright, image_format)


def _check_opened(image: Image.Image, image_format: str) -> None:
    if image.format not in OPENED_AS[image_format]:
        raise ImageDamaged
    width, height = image.size
    if width * height > pixel_limit():
        raise TooManyPixels
    if max(width, height) > MAX_SIDE:
        raise AbsurdDimensions(width, height)


def _encode(image: Image.Image, image_format: str) -> bytes:
    """The pixels alone in ``image_format``: no EXIF, text, profile or appended data."""
    transparency = image.info.get("transparency")
    if image_format == "JPEG":
        clean = image if image.mode in JPEG_MODES else image.convert("RGB")
    else:
        clean = image if image.mode in PNG_MODES else image.convert("RGBA")
        transparency = transparency if clean is image else None
    # PNG falls back on ``info`` for the colour profile: nothing of the input is carried.
    clean.info = {}
    out = io.BytesIO()
    if image_format == "JPEG":
        clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    elif transparency is not None:
        clean.save(out, format="PNG", transparency=transparency)
    else:
        clean.save(out, format="PNG")
    return out.getvalue()


def _check_png_end(content: bytes) -> None:
    """The chunks from the signature to ``IEND``, and not one byte after it."""
    if not content.startswith(PNG_SIGNATURE):
        raise ImageDamaged
    position = len(PNG_SIGNATURE)
    while position + 12 <= len(content):
        length = int.from_bytes(content[position : position + 4], "big")
        kind = content[position + 4 : position + 8]
        position += 12 + length  # length, type, data, CRC
        if kind == b"IEND":
            if position != len(content):
                raise TrailingData
            return
    raise ImageDamaged


def _check_jpeg_end(content: bytes) -> None:
    """A JPEG to its end-of-image marker, then nothing but what cameras write there."""
    end = _jpeg_end(content, 0)
    while end < len(content):
        rest = content[end:]
        if not rest.strip(b"\x00"):
            return  # padding
        if rest.startswith(b"\xff\xd8\xff"):
            end += _jpeg_end(rest, 0)  # a further picture (MPF, a gain map)
        elif rest[4:8] == b"ftyp":
            return  # a motion photo's video (MP4); it is not stored
        else:
            raise TrailingData


def _jpeg_end(content: bytes, start: int) -> int:
    """Where the JPEG starting at ``start`` ends (after its EOI marker), read marker by marker."""
    if content[start : start + 2] != b"\xff\xd8":
        raise ImageDamaged
    position = start + 2
    while position < len(content):
        if content[position] != 0xFF:
            raise ImageDamaged
        while position < len(content) and content[position] == 0xFF:
            position += 1  # fill bytes
        if position >= len(content):
            break
        marker = content[position]
        position += 1
        if marker == 0xD9:
            return position
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            continue  # markers without a length
        position += int.from_bytes(content[position : position + 2], "big")
        if marker == 0xDA:
            position = _entropy_end(content, position)
    raise ImageDamaged


def _entropy_end(content: bytes, position: int) -> int:
    """Where the compressed data after a start-of-scan ends: the next real marker."""
    while True:
        found = content.find(b"\xff", position)
        if found < 0 or found + 1 >= len(content):
            raise ImageDamaged
        following = content[found + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            position = found + 1  # a stuffed byte, a restart marker, or fill
            continue
        return found
