"""The record of processing activities, rendered from the declarations (``processing.py``)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from jembatan.core.access import public
from jembatan.privacy.deadlines import deadlines, table_version
from jembatan.privacy.models import RequestKind
from jembatan.privacy.processing import ACTIVITIES, CATEGORIES, LegalBasis
from jembatan.privacy.retention import RULES
from jembatan.privacy.schedule import schedule

LANGUAGES = dict(settings.LANGUAGES)
DEADLINE_LABELS = dict(RequestKind.choices) | {
    "access": _("Get a copy of my data"),
    "breach": _("Notice of a breach"),
}


@public
def processing_record(request: HttpRequest) -> HttpResponse:
    """What Jembatan processes, why, on which basis, for whom and how long; ``?bahasa=en|id``.

    Public: it holds no personal data, and everyone has the right to know how
    the programme uses personal data (UU PDP art. 5).
    """
    asked = request.GET.get("bahasa", "")
    language = asked if asked in LANGUAGES else translation.get_language() or "id"
    other = "en" if language.startswith("id") else "id"
    with translation.override(language):
        context = {
            "activities": ACTIVITIES,
            "categories": CATEGORIES,
            "bases": dict(LegalBasis.choices),
            "retention_rules": RULES,
            "schedule": list(schedule().values()),
            "deadlines": [(DEADLINE_LABELS.get(d.key, d.key), d) for d in deadlines().values()],
            "deadline_table": table_version(),
            "language": language,
            "other": other,
            "other_name": LANGUAGES[other],
        }
        # Rendered inside the override: the whole page reads in the language asked for.
        return render(request, "privacy/processing.html", context)
