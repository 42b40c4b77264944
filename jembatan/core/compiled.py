"""Statements every request makes, compiled to SQL once per process and database.

Building a queryset and compiling it costs Django about 0.2–0.3 ms of Python
each time, more than PostgreSQL takes to answer a lookup by key. The two lookups
a signed-in request makes before any view runs — its session and its user — are
the same statement every time with new values. :class:`CompiledLookup` lets
Django's ORM write that statement once per database alias (the same SQL, the same
parameter preparation, the same converters of the values read back) and then runs
it with each request's values.

Only for equality and comparison lookups on a model's own fields (``pk``,
``session_key``, ``expire_date__gt``): the first run checks that the parameters
the ORM wrote are the values this class prepares, and refuses to run otherwise.

:class:`CompiledInsert` does the same for the one row most requests add: the
access log's entry (``core/audit.py`` ``record_access``), an append-only table
whose new row nobody reads back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.db.models import Field, Model
from django.db.models.sql import InsertQuery
from django.db.models.sql.compiler import SQLCompiler

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class _Statement:
    sql: str
    fields: list[Field[Any, Any]]  # the field behind each parameter, in order
    attnames: list[str]  # the columns read, as the model's attribute names
    compiler: SQLCompiler
    converters: dict[int, Any]


class CompiledLookup(Generic[M]):
    """``Model._default_manager.filter(<lookups>).only(<only>)``, compiled once per alias."""

    def __init__(self, model: type[M], *lookups: str, only: Sequence[str] = ()) -> None:
        self.model = model
        self.lookups = lookups
        self.only = tuple(only)
        self._statements: dict[str, _Statement] = {}

    def first(self, *values: Any) -> M | None:
        """The row matching ``values`` (one per lookup) as a model instance, or None."""
        using = router.db_for_read(self.model)
        statement = self._statements.get(using) or self._compile(using, values)
        connection = connections[using]
        params = _prepared(statement.fields, values, connection)
        with connection.cursor() as cursor:
            cursor.execute(statement.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if statement.converters:
            row = next(iter(statement.compiler.apply_converters([row], statement.converters)))
        return self.model.from_db(using, statement.attnames, row)

    def _compile(self, using: str, values: Sequence[Any]) -> _Statement:
        if len(values) != len(self.lookups):
            raise TypeError(f"{len(self.lookups)} values expected, {len(values)} given")
        rows = self.model._default_manager.db_manager(using).all()
        for lookup, value in zip(self.lookups, values, strict=True):
            rows = rows.filter(**{lookup: value})  # one by one: keyword filters are sorted
        if self.only:
            rows = rows.only(*self.only)
        compiler = rows.query.get_compiler(using)
        sql, params = compiler.as_sql()
        meta = self.model._meta
        names = [lookup.split("__")[0] for lookup in self.lookups]
        fields = [_concrete(meta.pk if name == "pk" else meta.get_field(name)) for name in names]
        if list(params) != _prepared(fields, values, connections[using]):
            raise ImproperlyConfigured(
                f"{meta.label} {self.lookups}: the ORM's parameters are not the fields' "
                "prepared values; use a queryset for this lookup"
            )
        columns = [column for column, _sql, _alias in compiler.select]
        statement = _Statement(
            sql=sql,
            fields=fields,
            attnames=[column.target.attname for column in columns],
            compiler=compiler,
            converters=compiler.get_converters(columns),
        )
        self._statements[using] = statement
        return statement


class CompiledInsert(Generic[M]):
    """``Model.objects.create(<fields>)`` without reading the new row back, compiled once per alias.

    Every field is given on each call (no defaults are applied); no model is built
    and no signal is sent, so it is only for tables nothing listens to.
    """

    def __init__(self, model: type[M], *fields: str) -> None:
        self.model = model
        meta = model._meta
        self.fields = [_concrete(meta.get_field(name)) for name in fields]
        self._statements: dict[str, str] = {}

    def run(self, **values: Any) -> None:
        """Insert one row; ``values`` names each field (by name or attribute name) once."""
        given = {field: _value(field, values) for field in self.fields}
        missing = [field.name for field, value in given.items() if value is _MISSING]
        if missing or values:
            raise TypeError(f"values for {missing} missing, for {sorted(values)} not known")
        using = router.db_for_write(self.model)
        connection = connections[using]
        params = [field.get_db_prep_save(value, connection) for field, value in given.items()]
        sql = self._statements.get(using) or self._compile(using, given, params)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    def _compile(self, using: str, given: dict[Field[Any, Any], Any], params: list[Any]) -> str:
        row = self.model(**{field.attname: value for field, value in given.items()})
        query = InsertQuery(self.model)
        query.insert_values(self.fields, [row])
        [(sql, written)] = query.get_compiler(using).as_sql()
        if list(written) != params:
            raise ImproperlyConfigured(
                f"{self.model._meta.label}: the ORM's parameters are not the fields' prepared "
                "values; use Model.objects.create for this table"
            )
        self._statements[using] = str(sql)
        return self._statements[using]


_MISSING = object()


def _value(field: Field[Any, Any], values: dict[str, Any]) -> Any:
    """The value given for ``field`` (taken out of ``values``); a related row gives its key."""
    value = values.pop(field.name, values.pop(field.attname, _MISSING))
    return value.pk if field.is_relation and isinstance(value, Model) else value


def _concrete(field: Any) -> Field[Any, Any]:
    if not isinstance(field, Field) or not field.concrete:
        raise ImproperlyConfigured(f"{field}: only a model's own columns can be looked up here")
    return field


def _prepared(
    fields: Sequence[Field[Any, Any]], values: Sequence[Any], connection: Any
) -> list[Any]:
    return [
        field.get_db_prep_value(value, connection, prepared=False)
        for field, value in zip(fields, values, strict=True)
    ]
