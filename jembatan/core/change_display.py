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
- a code the model names itself, with a ``get_<field>_display()`` of its own on a
  field without choices (a document's kind, whose names are data; a matching
  outcome's reason), shows that name where :func:`related_names` read it (once per
  code on a page);
- a foreign key's id says what it points at: ``Peserta #12``. On the pages that
  list change records, :func:`with_related_names` first reads the names of the
  organisations, places and reference data the records point at (one query per
  kind, ``NAMED_KINDS``; none of them personal data), shown as
  ``LPK Sakura Mandiri (#12)``; a person, an account or a case stays an id;
- a moment, a date or an amount (a decimal field) is written as the page's language
  writes it: ``5 Desember 2026, 04.46``, ``190.000,00``;
- anything else stays as stored: the fingerprint of an encrypted text (ADR 0015,
  ``core/audit.py`` ``fingerprint``), a scrubbed value, and anything that does not read
  as what its field holds.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import DateField, DateTimeField, DecimalField, Field, ForeignKey, Model
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext

from jembatan.core.choices import stored_label

if TYPE_CHECKING:
    from jembatan.core.models import ChangeRecord

EMPTY = "∅"

# Kinds of record a change names by id that the history shows by name: the programme's
# organisations, places, reference data and its public offers. None holds personal data;
# a participant, an account, a case or a document is shown by its id only.
NAMED_KINDS = frozenset(
    {
        "organisations.Organisation",
        "organisations.Licence",
        "core.Region",
        "core.Country",
        "core.Occupation",
        "core.ReferenceDataset",
        "contenttypes.ContentType",
        "documents.DocumentRequirement",
        "demand.JobOrder",
        "training.Programme",
        "training.Batch",
        "training.CompetencyUnit",
        "selection.SelectionRound",
        "selection.StageType",
    }
)
Names = Mapping[tuple[type[Model], Any], str]


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
    """The lines of ``record.changes`` in the active language, in the stored order.

    Names of related records show when :func:`with_related_names` read them first.
    """
    names = getattr(record, "related_names", {})
    return lines_of(record.content_type.model_class(), record.changes, names)


def lines_of(
    model: type[Model] | None, changes: Any, names: Names | None = None
) -> list[ChangeLine]:
    """The lines of a change record's ``changes`` about a ``model`` (None: not known)."""
    changes = changes if isinstance(changes, Mapping) else {}
    return [_line(model, str(key), entry, names or {}) for key, entry in changes.items()]


def with_related_names(records: Iterable[ChangeRecord]) -> list[ChangeRecord]:
    """``records``, each knowing the names of the ``NAMED_KINDS`` records its changes name.

    One query per kind named, whatever the number of records (a page of the history).
    """
    records = list(records)
    names = related_names((r.content_type.model_class(), r.changes) for r in records)
    for record in records:
        record.related_names = names  # type: ignore[attr-defined]
    return records


def related_names(entries: Iterable[tuple[type[Model] | None, Any]]) -> Names:
    """The names of the ``NAMED_KINDS`` records that ``(model, changes)`` pairs point at,
    and of the codes their models name themselves (:func:`_says_own`)."""
    wanted: dict[type[Model], set[Any]] = defaultdict(set)
    codes: set[tuple[type[Model], Field[Any, Any], str]] = set()
    for model, changes in entries:
        if model is None or not isinstance(changes, Mapping):
            continue
        for key, entry in changes.items():
            field = _field(model, str(key))
            target = _named_kind(field)
            if target is not None:
                wanted[target].update(_keys(target, entry))
            elif field is not None and _says_own(model, field):
                codes.update((model, field, code) for code in _codes(entry))
    names: dict[tuple[type[Model], Any], str] = {}
    for target, keys in wanted.items():
        for pk, row in target._base_manager.in_bulk(list(keys)).items():
            names[(target, pk)] = str(row)
    for model, field, code in codes:
        names[(model, (field.name, code))] = _own_name(model, field, code)
    return names


@cache
def _says_own(model: type[Model], field: Field[Any, Any]) -> bool:
    """Whether the model names a field's codes with a ``get_<field>_display()`` of its own
    (Django makes one only for a field with choices, which are named from them)."""
    return not field.choices and hasattr(model, f"get_{field.name}_display")


def _codes(entry: Any) -> list[str]:
    values = [entry.get("before"), entry.get("after")] if isinstance(entry, Mapping) else [entry]
    return [value for value in values if isinstance(value, str) and value]


def _own_name(model: type[Model], field: Field[Any, Any], code: str) -> str:
    # Such a method reads its own field only: an unsaved record holding the code will do.
    return str(getattr(model(**{field.attname: code}), f"get_{field.name}_display")())


def _named_kind(field: Field[Any, Any] | None) -> type[Model] | None:
    if not isinstance(field, ForeignKey):
        return None
    target: type[Model] = field.related_model  # type: ignore[assignment]
    return target if target._meta.label in NAMED_KINDS else None


def _keys(target: type[Model], entry: Any) -> set[Any]:
    """The keys of ``target`` an entry holds (before and after), as the database has them."""
    values = [entry.get("before"), entry.get("after")] if isinstance(entry, Mapping) else [entry]
    keys = set()
    for value in values:
        if value is None or isinstance(value, Mapping | list | bool):
            continue
        try:
            keys.add(target._meta.pk.to_python(value))
        except (ValidationError, TypeError, ValueError):
            continue  # not a key of this kind (written before the field changed its type)
    return keys


def _line(model: type[Model] | None, key: str, entry: Any, names: Names) -> ChangeLine:
    field = _field(model, key) if model is not None else None
    label = capfirst(str(field.verbose_name)) if field is not None else key
    if isinstance(entry, Mapping) and ("before" in entry or "after" in entry):
        before, after = entry.get("before"), entry.get("after")
        return ChangeLine(
            key,
            label,
            _shown(model, field, before, names),
            _shown(model, field, after, names),
            pair=True,
        )
    return ChangeLine(key, label, "", _shown(model, field, entry, names), pair=False)


@cache
def _field(model: type[Model], key: str) -> Field[Any, Any] | None:
    """The model's field named ``key`` (its name or attname), or None if it has none."""
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, Field) else None  # not a reverse relation


def _shown(
    model: type[Model] | None, field: Field[Any, Any] | None, value: Any, names: Names
) -> str:
    if value is None:
        return EMPTY
    if field is not None and field.choices:
        return stored_label(field, value) or EMPTY  # "" is no choice made
    if field is not None and isinstance(value, str) and value:
        said = names.get((model, (field.name, value)))  # type: ignore[arg-type]
        if said is not None:
            return said
    if isinstance(field, ForeignKey) and not isinstance(value, Mapping | list | bool):
        return _related(field, value, names)
    if isinstance(value, Mapping | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(field, DateField | DecimalField) and isinstance(value, str | int | float):
        return _localized(field, value)
    return str(value)


def _localized(field: Field[Any, Any], value: str | int | float) -> str:
    """A moment, a date or an amount as the page's language writes it (``5 Desember 2026``,
    ``190.000,00``); a value that does not read as one stays as stored."""
    if isinstance(field, DateTimeField):
        moment = parse_datetime(str(value))
        if moment is None:
            return str(value)
        shown = timezone.localtime(moment) if timezone.is_aware(moment) else moment
        return formats.date_format(shown, "DATETIME_FORMAT")
    if isinstance(field, DateField):
        day = parse_date(str(value))
        return formats.date_format(day, "DATE_FORMAT") if day is not None else str(value)
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return formats.number_format(amount, force_grouping=True)


def _related(field: ForeignKey[Any, Any], value: Any, names: Names) -> str:
    """``Name (#12)`` when its name was read, else what kind of record it is: ``Peserta #12``."""
    target: type[Model] = field.related_model  # type: ignore[assignment]
    try:
        name = names.get((target, target._meta.pk.to_python(value)))
    except (ValidationError, TypeError, ValueError):
        return str(value)  # not a key at all (a scrubbed value): as stored
    if name is not None:
        return f"{name} (#{value})"
    return f"{capfirst(str(target._meta.verbose_name))} #{value}"
