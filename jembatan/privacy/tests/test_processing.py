"""The record of processing activities: every model with personal data is declared, and shown."""

from __future__ import annotations

import dataclasses

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from jembatan.privacy import processing
from jembatan.privacy.processing import (
    ACTIVITIES,
    CATEGORY_CODES,
    declared_models,
    holds_personal_data,
    undeclared,
)


def test_every_model_holding_personal_data_is_declared_in_an_activity() -> None:
    assert undeclared() == [], "declare these models in privacy/processing.py"


def test_the_check_finds_records_about_a_person_two_steps_away() -> None:
    found = set(holds_personal_data())
    assert {
        "participants.Participant",
        "accounts.User",
        "documents.Document",
        "selection.Score",  # a score of a candidacy of a participant
        "training.Attendance",  # the attendance of an enrolment
        "core.AccessLog",  # an IP address
        "organisations.ContactPerson",  # a phone and an e-mail
    } <= found
    assert "core.Region" not in found and "selection.StageType" not in found


def test_a_model_left_out_of_every_activity_fails_the_check(monkeypatch) -> None:
    without_training = tuple(a for a in ACTIVITIES if a.code != "training")
    monkeypatch.setattr(processing, "ACTIVITIES", without_training)
    assert "training.Certificate" in undeclared()


def test_every_declared_model_exists_and_every_activity_is_complete() -> None:
    labels = {m._meta.label for m in apps.get_models()}
    assert [label for label in declared_models() if label not in labels] == []
    for activity in ACTIVITIES:
        assert activity.bases and activity.categories and activity.models, activity.code
        assert set(activity.categories) <= CATEGORY_CODES, activity.code
    assert len({a.code for a in ACTIVITIES}) == len(ACTIVITIES)


def test_specific_data_are_health_criminal_records_and_protection_cases() -> None:
    specific = {c.code for c in processing.CATEGORIES if c.specific}
    assert specific == {"health", "criminal_record", "protection_case"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("asked", "lang", "other"), [("id", "id", "English"), ("en", "en", "Bahasa Indonesia")]
)
def test_the_page_is_public_and_reads_in_indonesian_or_english(
    asked: str, lang: str, other: str
) -> None:
    url = reverse("personal_data:processing") + f"?bahasa={asked}"
    page = Client().get(url).text
    assert f'<html lang="{lang}"' in page
    assert f'data-testid="other-language">{other}</a>' in page
    for activity in ACTIVITIES:
        assert f'data-testid="activity-{activity.code}"' in page
    assert "participants.Participant" in page and "UU 27/2022 art. 46(1)" in page


@pytest.mark.django_db
def test_the_page_renders_each_declaration() -> None:
    page = Client().get(reverse("personal_data:processing") + "?bahasa=en").text
    registry = dataclasses.asdict(ACTIVITIES[0])
    assert str(registry["name"]) in page and str(registry["purpose"]) in page
    assert "Police record (SKCK) <strong>(specific personal data)</strong>" in page
