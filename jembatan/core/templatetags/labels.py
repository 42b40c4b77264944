"""Human labels for stored codes: ``{{ code|role_label }}`` (a role kept as text in the logs)."""

from __future__ import annotations

from django import template

from jembatan.core.roles import Role
from jembatan.core.tones import tone_of

register = template.Library()


@register.filter
def role_label(code: str) -> str:
    """The role's name in the page's language; an unknown code is shown as it is."""
    try:
        return str(Role(code).label)
    except ValueError:
        return code


@register.filter
def tone(instance: object) -> str:
    """The badge class of a record's status: ``<span class="status {{ x|tone }}">``."""
    return f"tone-{tone_of(instance)}"
