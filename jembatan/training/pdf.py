"""Certificates as PDF (WeasyPrint), in Indonesian and English, and Japanese where needed.

Japanese glyphs come from the font shipped with Jembatan
(``static/jembatan/fonts/``: Noto Sans CJK JP, subset and renamed, SIL OFL 1.1;
ADR 0011), loaded by ``@font-face`` and embedded in every PDF, so a certificate
prints its Japanese on any machine, whatever fonts the system has. The QR code
is an SVG embedded as a data URI and points at the public verification page
(by token, never by number).
"""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path
from typing import Any

import qrcode
from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from qrcode.image.svg import SvgPathImage

from jembatan.training.models import Certificate

CJK_FAMILY = "Jembatan Noto Sans JP"
CJK_FONT = (
    Path(__file__).resolve().parent.parent
    / "static"
    / "jembatan"
    / "fonts"
    / "JembatanNotoSansJP-Regular.woff2"
)


def font_face_css() -> str:
    """The ``@font-face`` rule that makes the shipped CJK font available to a PDF."""
    return f'@font-face {{ font-family: "{CJK_FAMILY}"; src: url("{CJK_FONT.as_uri()}"); }}'


DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


def verification_url(certificate: Certificate, request: HttpRequest | None = None) -> str:
    """The public verification page's absolute URL (outside a request: ``JEMBATAN_PUBLIC_URL``)."""
    path = reverse("verify:certificate", kwargs={"token": certificate.token})
    if request is not None:
        return request.build_absolute_uri(path)
    base = str(getattr(settings, "JEMBATAN_PUBLIC_URL", DEFAULT_PUBLIC_URL)).rstrip("/")
    return f"{base}{path}"


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as an SVG data URI (error correction M: survives a crease)."""
    image = qrcode.make(
        text, image_factory=SvgPathImage, error_correction=qrcode.constants.ERROR_CORRECT_M
    )
    svg = image.to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _dates(content: dict[str, Any]) -> dict[str, dt.date]:
    return {k: dt.date.fromisoformat(content[k]) for k in ("from", "to")}


def render_certificate_html(certificate: Certificate, request: HttpRequest | None = None) -> str:
    """The certificate's HTML, as the PDF prints it."""
    url = verification_url(certificate, request)
    return render_to_string(
        "training/certificate_pdf.html",
        {
            "certificate": certificate,
            "content": certificate.content,
            "dates": _dates(certificate.content),
            "issuer": certificate.issuer,
            "verify_url": url,
            "qr": qr_data_uri(url),
            "font_face": font_face_css(),
        },
    )


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of ``html``, with the ``@font-face`` fonts it declares embedded."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    pdf: bytes = HTML(string=html).write_pdf(font_config=FontConfiguration())
    return pdf


def render_certificate_pdf(certificate: Certificate, request: HttpRequest | None = None) -> bytes:
    """The certificate as PDF bytes."""
    return html_to_pdf(render_certificate_html(certificate, request))
