"""Pure helpers of the public report: what the officer reads of the free-text fields.

The case has no columns for what an anonymous reporter may type about where it
happened and whom it concerns (a country, a host company's name, a person's
name or description): these are added to the description, each on its own
labelled line, in the site's language (the officers'), so that nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _


def public_description(data: Mapping[str, Any]) -> str:
    """The description followed by the optional details the reporter gave, labelled."""
    with translation.override(settings.LANGUAGE_CODE):
        details = [
            (_("Country"), data.get("country") and data["country"].name_id),
            (_("Host company"), data.get("host_company")),
            (_("Person concerned"), data.get("person_concerned")),
        ]
    lines = [
        f"{label}: {str(value).strip()}" for label, value in details if value and str(value).strip()
    ]
    text = str(data.get("description") or "").strip()
    return "\n\n".join([text, "\n".join(lines)]) if lines else text
