"""A change record's "what changed" as people read it: field names and values in words.

The audit trail keeps what the services wrote: attribute names (``status``,
``sending_organisation_id``) and JSON values (choice codes, ids, booleans).
``change_lines`` turns each entry into a line an official or auditor reads in the
page's language, without a query: the record's model comes from its content type
(``ContentType.model_class()`` asks the app registry, not the database).

- a key that is a field of the model today shows the field's verbose name; any
  other key (a renamed or removed field, a computed key such as ``rows``) is
  shown as it is;
- a choice field's value shows its label (``core/choices.py``, cached per field
  and language), a boolean Yes or No, an empty value ∅;
- anything else stays as stored: ids, dates, the fingerprint of an encrypted text
  (ADR 0015, ``core/audit.py`` ``fingerprint``) and a scrubbed value.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field, Model
from django.utils.text import capfirst
from django.utils.translation import gettext

from jembatan.core.choices import stored_label

if TYPE_CHECKING:
    from jembatan.core.models import ChangeRecord

EMPTY = "∅"


@dataclass(frozen=True)
class ChangeLine:
    """One changed field: ``label: before → after`` (or ``label: after`` when not a pair)."""

    key: str  # as stored, kept beside the label for auditors
    label: str  # the field's verbose name, or the key when it is not a field today
    before: str
    after: str
    pair: bool  # False: the entry was one value (a count, a method), not before/after

    @property
    def named(self) -> bool:
        """Whether the label says more than the key (the key is then shown small beside it)."""
        return self.label != self.key


def change_lines(record: ChangeRecord) -> list[ChangeLine]:
    """The lines of ``record.changes`` in the active language, in the stored order."""
    return lines_of(record.content_type.model_class(), record.changes)


def lines_of(model: type[Model] | None, changes: Any) -> list[ChangeLine]:
    """The lines of a change record's ``changes`` about a ``model`` (None: not known)."""
    changes = changes if isinstance(changes, Mapping) else {}
    return [_line(model, str(key), entry) for key, entry in changes.items()]


def _line(model: type[Model] | None, key: str, entry: Any) -> ChangeLine:
    field = _field(model, key) if model is not None else None
    label = capfirst(str(field.verbose_name)) if field is not None else key
    if isinstance(entry, Mapping) and ("before" in entry or "after" in entry):
        before, after = entry.get("before"), entry.get("after")
        return ChangeLine(key, label, _shown(field, before), _shown(field, after), pair=True)
    return ChangeLine(key, label, "", _shown(field, entry), pair=False)


@cache
def _field(model: type[Model], key: str) -> Field[Any, Any] | None:
    """The model's field named ``key`` (its name or attname), or None if it has none."""
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, Field) else None  # not a reverse relation


def _shown(field: Field[Any, Any] | None, value: Any) -> str:
    if value is None:
        return EMPTY
    if field is not None and field.choices:
        return stored_label(field, value)
    if isinstance(value, Mapping | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    return str(value)
