"""House rules 3, 4 and 5, walked over every module's syntax tree.

``docs/architecture.md``:

* rule 3: a refusal's code is a member of its app's enum in ``<app>/errors.py``
  (``ValidationError(message, code=ParticipantErrorCode.NIK_TAKEN)``), never a
  bare string (``code="nik_taken"``), and the API names the refused states it
  answers 409 by the same members (``service_refusals(DemandErrorCode.X)``);
* rule 4: a page shows a service's refusal only through
  ``jembatan.core.refusals.attempt``: no view module catches ``ValidationError``
  or ``PermissionDenied`` itself, calls ``add_errors`` or defines its own
  ``_attempt``;
* rule 5: rows are locked only in ``<app>/locks.py`` (``select_for_update``
  appears nowhere else).

Each test names file, line and what it found. Tests, migrations and factories
are outside the rules (they build data, they do not refuse).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

JEMBATAN = Path(__file__).resolve().parents[2]
REFUSAL_HELPERS = "core/refusals.py"


def modules() -> Iterator[tuple[str, ast.Module]]:
    """(path from jembatan/, syntax tree) of every module the rules cover."""
    for path in sorted(JEMBATAN.rglob("*.py")):
        relative = path.relative_to(JEMBATAN).as_posix()
        parts = relative.split("/")
        if (
            "tests" in parts
            or "migrations" in parts
            or parts[-1] in {"factories.py", "conftest.py"}
        ):
            continue
        yield relative, ast.parse(path.read_text(encoding="utf-8"), filename=relative)


def called_name(call: ast.Call) -> str:
    """The last name of what is called: ``ValidationError`` for ``forms.ValidationError(...)``."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def is_view_module(relative: str) -> bool:
    """A module of pages: ``views.py`` or ``<topic>_views.py`` in any app."""
    name = relative.rsplit("/", 1)[-1]
    return name == "views.py" or name.endswith("_views.py")


def bare_codes() -> list[str]:
    """Every ``code="..."`` given to a ValidationError as a string literal."""
    found = []
    for relative, tree in modules():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and called_name(node) == "ValidationError"):
                continue
            for keyword in node.keywords:
                value = keyword.value
                if (
                    keyword.arg == "code"
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                ):
                    found.append(f"{relative}:{node.lineno} code={value.value!r}")
    return found


def api_conflicts_by_string() -> list[str]:
    """Every ``service_refusals("code")`` naming a refused state by a bare string."""
    found = []
    for relative, tree in modules():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and called_name(node) == "service_refusals"):
                continue
            for argument in node.args:
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    found.append(f"{relative}:{node.lineno} service_refusals({argument.value!r})")
    return found


def caught_names(handler: ast.ExceptHandler) -> set[str]:
    """The exception names an ``except`` clause catches."""
    kinds = handler.type
    nodes = kinds.elts if isinstance(kinds, ast.Tuple) else [kinds] if kinds is not None else []
    return {n.attr if isinstance(n, ast.Attribute) else getattr(n, "id", "") for n in nodes}


def views_handling_refusals() -> list[str]:
    """Every place a view module shows a refusal by hand instead of through ``attempt``."""
    found = []
    for relative, tree in modules():
        if not is_view_module(relative):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ExceptHandler):
                caught = caught_names(node) & {"ValidationError", "PermissionDenied"}
                if caught:
                    found.append(f"{relative}:{node.lineno} except {', '.join(sorted(caught))}")
            if isinstance(node, ast.Call) and called_name(node) == "add_errors":
                found.append(f"{relative}:{node.lineno} add_errors(...)")
            if isinstance(node, ast.FunctionDef) and node.name in {"_attempt", "attempt"}:
                found.append(f"{relative}:{node.lineno} def {node.name}")
    return found


def locks_outside_locks_modules() -> list[str]:
    """Every ``select_for_update`` outside ``<app>/locks.py``."""
    found = []
    for relative, tree in modules():
        if relative.endswith("/locks.py"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "select_for_update":
                found.append(f"{relative}:{node.lineno}")
    return found


APPS = sorted(p.name for p in JEMBATAN.iterdir() if (p / "__init__.py").exists())


def of_app(app: str, found: list[str]) -> list[str]:
    """The findings in one app's files (one test per app, so a failure names the app)."""
    return [line for line in found if line.startswith(f"{app}/")]


@pytest.mark.parametrize("app", APPS)
def test_refusal_codes_are_enum_members(app: str) -> None:
    assert of_app(app, bare_codes()) == []


@pytest.mark.parametrize("app", APPS)
def test_the_api_names_refused_states_by_enum_member(app: str) -> None:
    assert of_app(app, api_conflicts_by_string()) == []


@pytest.mark.parametrize("app", APPS)
def test_views_show_refusals_only_through_attempt(app: str) -> None:
    assert of_app(app, views_handling_refusals()) == []


@pytest.mark.parametrize("app", APPS)
def test_rows_are_locked_only_in_locks_modules(app: str) -> None:
    assert of_app(app, locks_outside_locks_modules()) == []


def test_the_walks_find_what_they_look_for(tmp_path: Path) -> None:
    """The three walks see a bare code, a hand-caught refusal and a lock (so they can fail)."""
    tree = ast.parse(
        "from django.core.exceptions import ValidationError\n"
        "def view(request):\n"
        "    try:\n"
        "        Model.objects.select_for_update().get(pk=1)\n"
        "    except ValidationError:\n"
        "        raise ValidationError('x', code='bare')\n"
    )
    calls = [
        n for n in ast.walk(tree) if isinstance(n, ast.Call) and called_name(n) == "ValidationError"
    ]
    assert [
        k.value.value for c in calls for k in c.keywords if isinstance(k.value, ast.Constant)
    ] == ["bare"]
    handlers = [n for n in ast.walk(tree) if isinstance(n, ast.ExceptHandler)]
    assert caught_names(handlers[0]) == {"ValidationError"}
    assert any(
        isinstance(n, ast.Attribute) and n.attr == "select_for_update" for n in ast.walk(tree)
    )
    assert is_view_module("selection/score_views.py") and not is_view_module(
        "selection/services/scoring.py"
    )
