"""Writes live only where house rule 6 says: in services (and the few places it names).

``docs/architecture.md`` (rule 6): writers live in ``<app>/services.py`` or
``<app>/services/<topic>.py``; nothing else saves, creates, updates or deletes
rows, or records a change. This walk reads the syntax tree of every module of
every app and fails, naming file, line and call, on a write anywhere else.

What counts as a write (a call of one of these names):

* ``bulk_create``, ``bulk_update``, ``get_or_create``, ``update_or_create``,
  ``record_change``, a cursor's ``execute``/``executemany`` (raw SQL) and their
  ``a``-prefixed async forms: always;
* ``save``, ``create``, ``update``, ``delete``: when called without a positional
  argument. The ORM's writes (``obj.save()``, ``Model.objects.create(**kw)``,
  ``queryset.update(**kw)``, ``queryset.delete()``) take keywords only, while the
  same names on other objects take a positional one: ``dict.update(other)``,
  ``set.update(items)``, ``storage.save(name, content)``, ``storage.delete(name)``,
  ``workbook.save(path)``, ``digest.update(data)``. So a keyword-only
  ``some_dict.update(key=value)`` would be reported: write ``some_dict | {...}``;
* ``add``, ``remove``, ``set``, ``clear`` on an attribute (``run.rounds.set(...)``,
  a many-to-many manager); ``seen.add(x)`` on a plain name is a set.

Allowed everywhere: ``super().save()``/``super().delete()`` inside a model's own
override (the ORM's path, not a second writer). Allowed places: services,
migrations, tests, ``factories.py``, ``conftest.py``, ``jembatan/demo/`` (bulk
seeding, ADR 0007) and ``core/audit.py`` (the audit writer itself). Anything
else must be listed in ``EXCEPTIONS`` with its reason, and an exception that no
longer occurs fails the test too, so the list cannot go stale.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

JEMBATAN = Path(__file__).resolve().parents[2]

ALWAYS = frozenset(
    {
        "bulk_create",
        "bulk_update",
        "get_or_create",
        "update_or_create",
        "record_change",
        "execute",
        "executemany",
        "abulk_create",
        "abulk_update",
        "aget_or_create",
        "aupdate_or_create",
        "asave",
        "acreate",
        "aupdate",
        "adelete",
    }
)
KEYWORDS_ONLY = frozenset({"save", "create", "update", "delete"})
RELATED_MANAGER = frozenset({"add", "remove", "set", "clear"})
OWN_OVERRIDE = frozenset({"save", "delete"})

# (path from jembatan/, the call as written) -> why it is not a write.
EXCEPTIONS: dict[tuple[str, str], str] = {
    (
        "documents/selectors.py",
        "line.can_open.add",
    ): "a Python set on a checklist line being built for the page, not a related manager",
    ("core/backup.py", "cursor.execute"): "SELECT COUNT(*) of each table for a backup's manifest",
    (
        "core/management/commands/backup.py",
        "cursor.execute",
    ): "a READ ONLY repeatable-read transaction and pg_export_snapshot() for pg_dump: reads",
    (
        "core/compiled.py",
        "cursor.execute",
    ): "statements the ORM compiled, run with new values: reads by key, and the access log's "
    "INSERT that core/audit.py (the audit writer) asks for",
}


@dataclass(frozen=True)
class Write:
    """One call that writes, where it is written."""

    path: str
    line: int
    call: str

    def __str__(self) -> str:
        return f"jembatan/{self.path}:{self.line} {self.call}(...)"


def _is_super_call(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"
    )


def _positional(call: ast.Call) -> bool:
    return any(not isinstance(arg, ast.Starred) for arg in call.args)


def is_write(call: ast.Call) -> bool:
    """Whether ``call`` writes to the database by the rules of this module's docstring."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in ALWAYS
    if not isinstance(func, ast.Attribute):
        return False
    if func.attr in OWN_OVERRIDE and _is_super_call(func.value):
        return False
    if func.attr in ALWAYS:
        return True
    if func.attr in KEYWORDS_ONLY:
        return not _positional(call)
    return func.attr in RELATED_MANAGER and isinstance(func.value, ast.Attribute)


def writes_in(path: str, source: str) -> list[Write]:
    return [
        Write(path, node.lineno, ast.unparse(node.func))
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and is_write(node)
    ]


def may_write(path: Path) -> bool:
    """Whether house rule 6 lets the module at ``path`` (relative to jembatan/) write."""
    parts = path.parts
    return (
        parts[-1] == "services.py"
        or "services" in parts[:-1]
        or "migrations" in parts
        or "tests" in parts
        or parts[-1] in {"factories.py", "conftest.py"}
        or parts[0] == "demo"
        or path.as_posix() == "core/audit.py"
    )


def writes_outside_services() -> list[Write]:
    found: list[Write] = []
    for file in sorted(JEMBATAN.rglob("*.py")):
        relative = file.relative_to(JEMBATAN)
        if not may_write(relative):
            found += writes_in(relative.as_posix(), file.read_text(encoding="utf-8"))
    return found


def test_nothing_outside_the_services_writes() -> None:
    unexpected = [w for w in writes_outside_services() if (w.path, w.call) not in EXCEPTIONS]

    assert [str(w) for w in unexpected] == []


def test_every_named_exception_still_occurs() -> None:
    found = {(w.path, w.call) for w in writes_outside_services()}

    assert [key for key in EXCEPTIONS if key not in found] == []


def test_the_services_do_write_so_the_walk_reads_real_code() -> None:
    services = sorted((JEMBATAN / "organisations" / "services").glob("licence_*.py"))
    source = "\n".join(path.read_text() for path in services)

    assert {w.call.rsplit(".", 1)[-1] for w in writes_in("x.py", source)} >= {
        "create",
        "save",
        "record_change",
    }


@pytest.mark.parametrize(
    "source",
    [
        "licence.save()",
        "licence.save(update_fields=['status'])",
        "Licence.objects.create(number='1')",
        "Licence.objects.filter(pk=1).update(status='active')",
        "Licence.objects.filter(pk=1).delete()",
        "licence.delete()",
        "Licence.objects.bulk_create(rows)",
        "Licence.objects.bulk_update(rows, ['status'])",
        "Licence.objects.get_or_create(number='1')",
        "Licence.objects.update_or_create(number='1', defaults={})",
        "record_change(actor=user, operation='x', instance=licence, action='update')",
        "audit.record_change(actor=user)",
        "cursor.execute('DELETE FROM participants_participant')",
        "run.rounds.set(rounds)",
        "form.save()",
        "obj.save(*args, **kwargs)",
    ],
)
def test_the_walk_sees_each_kind_of_write(source: str) -> None:
    assert len(writes_in("views.py", source)) == 1


@pytest.mark.parametrize(
    "source",
    [
        "values.update(other)",
        "seen.update(ids)",
        "digest.update(chunk)",
        "default_storage.save(name, content)",
        "default_storage.delete(name)",
        "workbook.save(buffer)",
        "seen.add(pk)",
        "super().save(*args, **kwargs)",
        "super().delete()",
        "data | {'nik': nik}",
    ],
)
def test_the_same_names_on_other_objects_are_not_writes(source: str) -> None:
    assert writes_in("views.py", source) == []


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("organisations/services/licence_sanctions.py", True),
        ("accounts/services.py", True),
        ("core/migrations/0001_initial.py", True),
        ("demo/bulk.py", True),
        ("core/audit.py", True),
        ("participants/factories.py", True),
        ("organisations/views.py", False),
        ("matching/tasks.py", False),
        ("organisations/workflows.py", False),
        ("core/refdata.py", False),
    ],
)
def test_the_allowed_places_are_exactly_those_of_the_rule(path: str, allowed: bool) -> None:
    assert may_write(Path(path)) is allowed
