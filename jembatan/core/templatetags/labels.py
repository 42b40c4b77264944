"""Human labels for stored codes: ``{{ code|role_label }}`` (a role kept as text in the logs)."""

from __future__ import annotations

from typing import Any

from django import template

from jembatan.core.change_display import ChangeLine, change_lines
from jembatan.core.choices import choice_label
from jembatan.core.operations import operation_label
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
def label(instance: Any, field_name: str) -> str:
    """A stored choice in words, ``{{ p|label:"status" }}`` (``core/choices.py``)."""
    return choice_label(instance, field_name)


@register.filter
def tone(instance: object) -> str:
    """The badge class of a record's status: ``<span class="status {{ x|tone }}">``."""
    return f"tone-{tone_of(instance)}"


@register.filter
def operation(record: Any) -> str:
    """A change record's operation in words (``{{ change|operation }}``)."""
    action = record.get_action_display() if hasattr(record, "get_action_display") else ""
    return operation_label(str(getattr(record, "operation", "")), str(action))


@register.filter(name="change_lines")
def change_lines_filter(record: Any) -> list[ChangeLine]:
    """A change record's changed fields in words (``{% for line in c|change_lines %}``)."""
    return change_lines(record)
