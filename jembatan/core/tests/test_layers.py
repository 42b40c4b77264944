"""Imports run downward: an app imports only the apps before it in the documented order.

House rule 7 of ``docs/architecture.md`` lists the apps from the ground floor
(``core``) to the top (``demo``). This walk reads every import statement of every
app's code (module level and inside functions) and fails, naming the file and
line, on an import of an app above. With a strict order there can be no cycle
between apps.

Tests are not walked: a test of any app may use the factories and fixtures of
the others (an organisation's test needs a user from ``accounts``, which sits
above ``organisations``). Everything else is: views, services, migrations,
commands, factories, templatetags.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

JEMBATAN = Path(__file__).resolve().parents[2]
ARCHITECTURE = JEMBATAN.parent / "docs" / "architecture.md"

# The order of docs/architecture.md, house rule 7 (the first test keeps them equal).
ORDER = (
    "core",
    "organisations",
    "accounts",
    "participants",
    "documents",
    "training",
    "demand",
    "selection",
    "matching",
    "deployment",
    "protection",
    "alumni",
    "capacity",
    "privacy",
    "insights",
    "api",
    "demo",
)
NOT_APPS = frozenset({"locale", "static", "templates", "__pycache__"})


def imported_apps(source: str) -> list[tuple[int, str]]:
    """``(line, app)`` for each ``jembatan.<app>`` import in ``source`` (absolute imports)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module]
            if node.module == "jembatan":  # from jembatan import training
                modules = [f"jembatan.{alias.name}" for alias in node.names]
        else:
            continue
        found += [(node.lineno, m.split(".")[1]) for m in modules if m.startswith("jembatan.")]
    return found


def upward_imports(app: str, path: Path, source: str) -> list[str]:
    """Where ``source`` (a file of ``app``) imports an app above ``app``."""
    level = ORDER.index(app)
    return [
        f"{path.relative_to(JEMBATAN.parent)}:{line} imports jembatan.{other} (above {app})"
        for line, other in imported_apps(source)
        if other in ORDER and ORDER.index(other) > level
    ]


def app_files(app: str) -> list[Path]:
    return [p for p in sorted((JEMBATAN / app).rglob("*.py")) if "tests" not in p.parts]


def apps_on_disk() -> list[str]:
    return sorted(p.name for p in JEMBATAN.iterdir() if p.is_dir() and p.name not in NOT_APPS)


def test_the_documented_order_is_the_order_this_test_holds() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    rule = re.search(r"in this order of apps[^:]*:(.*?`\w+`)\.", text, re.S)

    assert rule is not None, "house rule 7 no longer lists the order of apps"
    assert tuple(re.findall(r"`(\w+)`", rule.group(1))) == ORDER


def test_every_app_has_a_place_in_the_order() -> None:
    assert [app for app in apps_on_disk() if app not in ORDER] == []


@pytest.mark.parametrize("app", [app for app in ORDER if (JEMBATAN / app).is_dir()])
def test_an_app_imports_only_the_apps_below_it(app: str) -> None:
    problems = [
        problem
        for path in app_files(app)
        for problem in upward_imports(app, path, path.read_text(encoding="utf-8"))
    ]

    assert problems == []


@pytest.mark.parametrize(
    ("app", "source", "upward"),
    [
        ("core", "from jembatan.participants.models import Participant", ["participants"]),
        ("core", "def f():\n    import jembatan.demo.bulk\n", ["demo"]),
        ("training", "from jembatan import insights", ["insights"]),
        ("insights", "from jembatan.training.models import Batch", []),
        ("participants", "from jembatan.participants import rules", []),
        ("participants", "from . import rules", []),
    ],
)
def test_the_walk_sees_an_upward_import_wherever_it_is_written(
    app: str, source: str, upward: list[str]
) -> None:
    found = upward_imports(app, JEMBATAN / app / "example.py", source)

    assert [problem.rsplit("jembatan.", 1)[1].split(" ")[0] for problem in found] == upward
