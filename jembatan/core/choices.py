"""A stored choice's label in the page's language, looked up once per field and language.

Django's ``get_<field>_display()`` rebuilds the field's whole choice table on every
call, translating each label again to hash it: on a 50-row list of participants
that was some 750 translations per page. ``choice_label`` keeps one table per field
and language, so a row costs one dictionary lookup.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db.models import Field, Model
from django.utils.translation import get_language


@cache
def _table(field: Field[Any, Any], language: str | None) -> dict[Any, str]:
    # ``language`` is part of the key only: str() translates into the active language.
    return {value: str(label) for value, label in field.flatchoices}


def choice_label(instance: Model, field_name: str) -> str:
    """What ``instance.get_<field_name>_display()`` shows, without rebuilding the table."""
    field: Any = instance._meta.get_field(field_name)
    return stored_label(field, getattr(instance, field.attname))


def stored_label(field: Field[Any, Any], value: Any) -> str:
    """The label of ``value`` among ``field``'s choices; an unknown value as it is."""
    try:
        return str(_table(field, get_language()).get(value, value))
    except TypeError:  # an unhashable value (a list kept in the audit trail)
        return str(value)
