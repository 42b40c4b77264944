"""Every status of every model with a status field has a badge tone that means something."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.template import Context, Template

from jembatan.core.tones import TONES, tone_of


def _status_models() -> dict[str, list[str]]:
    found = {}
    for model in apps.get_models():
        if not model.__module__.startswith("jembatan."):
            continue  # Jembatan's own models; a library's (the task queue's) are not shown
        field = next((f for f in model._meta.get_fields() if f.name == "status"), None)
        if field is not None and getattr(field, "choices", None):
            found[model._meta.label] = [str(value) for value, _label in field.choices]
    return found


def test_every_status_of_every_model_has_a_tone() -> None:
    missing = {
        label: sorted(set(statuses) - set(TONES.get(label, {})))
        for label, statuses in _status_models().items()
    }
    assert {label: gaps for label, gaps in missing.items() if gaps} == {}


def test_the_tones_are_the_four_the_stylesheet_draws() -> None:
    assert {t for statuses in TONES.values() for t in statuses.values()} <= {
        "success",
        "warning",
        "danger",
        "neutral",
    }


@pytest.mark.parametrize(
    ("label", "status", "expected"),
    [
        ("participants.Participant", "withdrawn", "danger"),
        ("organisations.Licence", "active", "success"),
        ("demand.JobOrder", "submitted", "warning"),
        ("documents.Document", "rejected", "danger"),
    ],
)
def test_a_status_gets_its_tone(label: str, status: str, expected: str) -> None:
    model = apps.get_model(label)
    assert tone_of(model(status=status)) == expected
    html = Template("{% load labels %}{{ x|tone }}").render(Context({"x": model(status=status)}))
    assert html == f"tone-{expected}"
