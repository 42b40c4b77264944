"""Bahasa Indonesia first: the interface language is the person's choice, not the browser's.

Many people in Indonesia use phones and browsers set to English; Django would
follow their ``Accept-Language`` header. Jembatan shows Bahasa Indonesia unless
the person chose English with the language switch (a cookie, also remembered on
their account and restored when they sign in).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class IndonesianFirstMiddleware:
    """Drop the browser's language preference before ``LocaleMiddleware`` reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
