"""Headers every answer carries: a Content-Security-Policy on pages, no caching of personal data.

The policy allows only Jembatan's own scripts, styles, images and frames (htmx is a
static file; no template holds an inline script or event handler). Inline *styles*
stay allowed: htmx adds its indicator style at run time. A view that sets its own
policy (the document files) keeps it. Any answer to a signed-in person may show
personal data, so it is ``private, no-store`` unless the view said otherwise.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'self'",
        "frame-src 'self'",
        "frame-ancestors 'self'",
        "base-uri 'self'",
        "form-action 'self'",
    )
)


class SecurityHeadersMiddleware:
    """Add the page policy and, for signed-in people, ``Cache-Control: private, no-store``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if content_type.startswith("text/html"):
            response.setdefault("Content-Security-Policy", POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-store"
        return response
