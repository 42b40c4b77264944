"""A regency that contradicts the NIK: filled from the NIK, confirmed and recorded, or refused.

The walk-through's case: a regency contradicting the NIK was accepted silently.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jembatan.core.models import ChangeRecord
from jembatan.participants.models import Participant
from jembatan.participants.tests import test_import_helpers as imports
from jembatan.participants.tests.test_import_helpers import english, media  # noqa: F401
from jembatan.participants.tests.test_registration_pages import REGISTER, _staff_post

pytestmark = pytest.mark.django_db
KLATEN = "33.10"  # the NIK says Kota Semarang (33.74)


def test_an_empty_regency_is_filled_from_the_nik(client_for, sender_operator, privacy_notice):
    response = client_for(sender_operator).post(REGISTER, _staff_post(privacy_notice, regency=""))
    assert response.status_code == 302
    assert Participant.objects.get().regency_id == "33.74"


def test_the_form_refuses_a_contradiction_until_it_is_confirmed_and_records_it(
    client_for, sender_operator, privacy_notice
):
    client = client_for(sender_operator)
    refused = client.post(REGISTER, _staff_post(privacy_notice, regency=KLATEN))
    assert refused.status_code == 200
    (message,) = refused.context["form"].errors["regency"]
    assert message.startswith("The NIK was issued in Kota Semarang (33.74), but Kabupaten Klaten")
    assert not Participant.objects.exists()

    accepted = client.post(
        REGISTER, _staff_post(privacy_notice, regency=KLATEN, regency_confirmed="on")
    )
    assert accepted.status_code == 302
    person = Participant.objects.get()
    assert person.regency_id == KLATEN
    record = ChangeRecord.objects.get(operation="participants.participant_register")
    assert record.reason == (
        "Confirmed: lives in 33.10, elsewhere than the NIK's regency/city (33.74)."
    )
    assert record.actor == sender_operator


def test_the_api_refuses_a_contradiction_unless_confirmed(client_for, sender_operator):
    from jembatan.participants.tests.conftest import nik

    body = {
        "nik": nik(),
        "full_name": "Andi Wijaya",
        "sex": "M",
        "birth_place": "Semarang",
        "birth_date": "2000-08-17",
        "regency_code": KLATEN,
        "phone": "0812-3456-7890",
        "privacy_agreed": True,
    }
    client = client_for(sender_operator)
    url = "/api/v1/participants"
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 422
    assert (
        "The NIK was issued in Kota Semarang" in refused.json()["errors"]["regency"][0]["message"]
    )
    confirmed = client.post(
        url, body | {"regency_confirmed": True}, content_type="application/json"
    )
    assert confirmed.status_code == 201
    assert Participant.objects.get().regency_id == KLATEN


@pytest.mark.usefixtures("media", "english", "lpk_a")
def test_an_import_refuses_a_contradiction_and_says_how_to_fix_it(tmp_path: Path) -> None:
    path = imports.write_csv(
        tmp_path / "p.csv", imports.as_lists([imports.row(1, regency_code=KLATEN)])
    )
    job = imports.run_file(path)
    found = imports.problems(job, severity="error")
    assert any("The NIK was issued in Kota Semarang (33.74)" in m for _r, _c, m in found), found
    assert not Participant.objects.exists()


def test_a_papua_nik_from_before_2022_fills_todays_regency_and_explains_the_old_code(
    client_for, national_officer, privacy_notice
):
    """91.04 was Kabupaten Nabire (Papua) until the 2022 split; today Nabire is 94.01."""
    from jembatan.core.nik import encode_nik

    papua = encode_nik(
        regency_code="91.04", district=1, birth_date=dt.date(1995, 3, 2), sex="M", serial=7
    )
    response = client_for(national_officer).post(
        REGISTER,
        _staff_post(privacy_notice, nik=papua, birth_date="1995-03-02", regency=""),
        follow=True,
    )
    assert response.status_code == 200
    person = Participant.objects.get()
    assert (person.nik, person.regency_id, person.province_id) == (papua, "94.01", "94")
    page = response.content.decode()
    assert "Region code 91.04 was Kabupaten Nabire (Papua) until 2022-07-25" in page
    assert "not in the region list" not in page
    detail = client_for(national_officer).get(f"/peserta/{person.pk}/").content.decode()
    assert "Region code 91.04 was Kabupaten Nabire (Papua)" in detail
