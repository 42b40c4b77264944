"""The programme's minimum age, refused with the rule named on the form, the API and imports.

The walk-through's case: a 14-year-old could be registered by the form and by import.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from jembatan.core import age_rules
from jembatan.participants.models import Participant
from jembatan.participants.tests import test_import_helpers as imports
from jembatan.participants.tests.conftest import form_data, nik
from jembatan.participants.tests.test_import_helpers import english, media  # noqa: F401
from jembatan.participants.tests.test_registration_pages import REGISTER, _staff_post

pytestmark = pytest.mark.django_db


def _born_years_ago(years: int) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - dt.timedelta(days=30)


FOURTEEN = _born_years_ago(14)


def test_the_rule_comes_from_the_sourced_data() -> None:
    rule = age_rules.ranges()["registration"]
    assert (rule.min_age, rule.max_age) == (18, None)
    assert "UU 13/2003" in rule.basis
    assert age_rules.ranges()["eps"].max_age == 39
    assert age_rules.age_on(dt.date(2008, 12, 4), dt.date(2026, 12, 3)) == 17


def test_the_form_refuses_a_fourteen_year_old_naming_the_rule(
    client_for, sender_operator, privacy_notice
) -> None:
    data = _staff_post(privacy_notice, nik=nik(birth=FOURTEEN), birth_date=FOURTEEN.isoformat())
    response = client_for(sender_operator).post(REGISTER, data)
    assert response.status_code == 200
    (message,) = response.context["form"].errors["birth_date"]
    assert message.startswith(
        "The person is 14 years old; overseas apprentices must be at least 18"
    )
    assert "UU 13/2003" in message
    assert not Participant.objects.exists()


def test_the_api_refuses_a_fourteen_year_old(client_for, sender_operator) -> None:
    body = {
        "nik": nik(birth=FOURTEEN),
        "full_name": "Anak Muda",
        "sex": "M",
        "birth_place": "Semarang",
        "birth_date": FOURTEEN.isoformat(),
        "regency_code": "33.74",
        "phone": "0812-3456-7890",
        "privacy_agreed": True,
    }
    response = client_for(sender_operator).post(
        "/api/v1/participants", body, content_type="application/json"
    )
    assert response.status_code == 422
    (error,) = response.json()["errors"]["birth_date"]
    assert error["message"].startswith("The person is 14 years old")
    assert not Participant.objects.exists()


@pytest.mark.usefixtures("media", "english", "lpk_a")
def test_an_import_refuses_a_fourteen_year_old_in_the_row(tmp_path: Path) -> None:
    row = imports.row(
        1, nik=imports.nik(1, birth_date=FOURTEEN), birth_date=FOURTEEN.strftime("%d/%m/%Y")
    )
    path = imports.write_csv(tmp_path / "p.csv", imports.as_lists([row]))
    job = imports.run_file(path)
    found = imports.problems(job, severity="error")
    assert any(message.startswith("The person is 14 years old") for _r, _c, message in found)
    assert not Participant.objects.exists()


def test_an_adult_is_registered(client_for, sender_operator, privacy_notice) -> None:
    response = client_for(sender_operator).post(REGISTER, _staff_post(privacy_notice))
    assert response.status_code == 302
    assert form_data()["birth_date"] == "2000-08-17"
