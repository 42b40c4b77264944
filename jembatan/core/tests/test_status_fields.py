"""Every status field of every model is driven by one registered workflow table.

House rule 2 of ``docs/architecture.md``: a status field gets a
:class:`~jembatan.core.transitions.Workflow` in ``<app>/workflows.py``,
registered with ``register(...)``, and its app proves in
``tests/test_workflows.py`` (parametrized over ``illegal_moves``) that every
move outside the table is refused. This test fails on a model whose status
field has no table, on a table whose statuses are not the field's choices, and
on an app whose workflow has no such test.

A status field is a field with choices named ``status``, ``*_status`` or
``decision``. The fields below are named so but are no workflow, each with why.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

from jembatan.core.transitions import REGISTRY

NOT_WORKFLOWS = {
    ("participants.Participant", "marital_status"): "a fact the person declares, not a stage",
    ("participants.ParticipantStatusChange", "from_status"): "append-only history of a move",
    ("participants.ParticipantStatusChange", "to_status"): "append-only history of a move",
}


def _is_status_field(field: models.Field) -> bool:  # type: ignore[type-arg]
    named = field.name in ("status", "decision") or field.name.endswith("_status")
    return named and bool(getattr(field, "choices", None))


def status_fields() -> list[tuple[str, str]]:
    return sorted(
        (model._meta.label, field.name)
        for model in apps.get_models()
        if model.__module__.startswith("jembatan.")
        for field in model._meta.get_fields()
        if isinstance(field, models.Field) and _is_status_field(field)
    )


WORKFLOW_FIELDS = [key for key in status_fields() if key not in NOT_WORKFLOWS]


def test_every_status_field_has_a_registered_workflow() -> None:
    assert [key for key in WORKFLOW_FIELDS if key not in REGISTRY] == []


def test_nothing_is_registered_for_a_field_that_is_not_a_status_field() -> None:
    assert sorted(key for key in REGISTRY if key not in WORKFLOW_FIELDS) == []


def test_every_named_exception_is_still_a_field() -> None:
    assert [key for key in NOT_WORKFLOWS if key not in status_fields()] == []


@pytest.mark.parametrize(("label", "field"), WORKFLOW_FIELDS)
def test_the_table_knows_exactly_the_fields_statuses(label: str, field: str) -> None:
    model = apps.get_model(label)
    choices = [value for value, _label in model._meta.get_field(field).choices]

    assert [str(status) for status in REGISTRY[(label, field)].statuses] == choices


def _names_of(label: str, field: str) -> list[str]:
    """The names the app's ``workflows`` module gives the table of ``label.field``."""
    module = import_module(f"{apps.get_app_config(label.split('.')[0]).name}.workflows")
    return [name for name, value in vars(module).items() if value is REGISTRY[(label, field)]]


@pytest.mark.parametrize(("label", "field"), WORKFLOW_FIELDS)
def test_the_app_proves_every_illegal_move_is_refused(label: str, field: str) -> None:
    tests = Path(apps.get_app_config(label.split(".")[0]).path) / "tests" / "test_workflows.py"
    source = tests.read_text(encoding="utf-8") if tests.is_file() else ""

    assert any(f"illegal_moves({name})" in source for name in _names_of(label, field))
