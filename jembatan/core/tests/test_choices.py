"""A stored choice's label, looked up once per field and language (core/choices.py)."""

from __future__ import annotations

from django.utils import translation

from jembatan.core.choices import choice_label
from jembatan.core.models import Region


def test_the_label_is_what_django_shows_in_each_language() -> None:
    region = Region(code="33", name="Jawa Tengah", level="province")
    for language in ("id", "en"):
        with translation.override(language):
            assert choice_label(region, "level") == region.get_level_display()
    with translation.override("id"):
        indonesian = choice_label(region, "level")
    with translation.override("en"):
        assert choice_label(region, "level") != indonesian


def test_an_unknown_stored_value_is_shown_as_it_is() -> None:
    assert choice_label(Region(level="planet"), "level") == "planet"
