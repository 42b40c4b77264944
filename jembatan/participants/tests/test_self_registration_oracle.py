"""The public form must not tell a visitor whether a NIK is in the registry (issue 14)."""

from __future__ import annotations

import re
import uuid

import pytest
from django.core import mail
from django.test import Client

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.participants import registration_views
from jembatan.participants.models import Consent, Participant
from jembatan.participants.tests.conftest import form_data, nik

pytestmark = pytest.mark.django_db

SELF = "/peserta/daftar-mandiri/"


def _post(privacy_notice, **overrides) -> dict:
    data = form_data(
        privacy_notice=privacy_notice.pk,
        submission=str(uuid.uuid4()),
        privacy_agreed="on",
        username="andi.w",
        password1="Rahasia-yang-kuat-77",
        password2="Rahasia-yang-kuat-77",
        sending_organisation="",
        website="",
    )
    data.update(overrides)
    return data


def _as_the_owner(participant: Participant, privacy_notice, **overrides) -> dict:
    """What a visitor types who knows a registered person's NIK (all else follows from it)."""
    return _post(
        privacy_notice,
        nik=participant.nik,
        full_name=participant.full_name,
        sex=participant.sex,
        birth_date=participant.birth_date.isoformat(),
        **overrides,
    )


def _seen(response, *secrets: str) -> tuple:
    """What the visitor sees: the redirects, templates and text, with typed details masked."""
    text = response.content.decode()
    text = re.sub(r"[A-Za-z0-9]{64}", "<csrf>", text)
    for secret in secrets:
        text = text.replace(secret, "***")
    templates = [t.name for t in response.templates]
    return response.status_code, response.redirect_chain, templates, text


def test_a_registered_nik_gets_the_same_answer_as_a_new_one(
    participant_jateng, privacy_notice
) -> None:
    registered = Client().post(SELF, _as_the_owner(participant_jateng, privacy_notice), follow=True)
    new = Client().post(SELF, _post(privacy_notice, nik=nik(7)), follow=True)
    assert Participant.objects.filter(nik=nik(7)).exists()  # the new one was registered
    assert _seen(registered, participant_jateng.nik, participant_jateng.full_name) == _seen(
        new, nik(7), "Andi Wijaya"
    )
    assert registered.redirect_chain == [("/peserta/daftar-mandiri/selesai/", 302)]


def test_a_registered_nik_writes_no_participant_and_no_account(
    participant_jateng, privacy_notice
) -> None:
    before = (Participant.objects.count(), User.objects.count(), Consent.objects.count())
    Client().post(SELF, _as_the_owner(participant_jateng, privacy_notice))
    after = (Participant.objects.count(), User.objects.count(), Consent.objects.count())
    assert after == before
    assert not User.objects.filter(username="andi.w").exists()


def test_the_registered_person_is_told_at_the_address_on_their_record(
    participant_jateng, privacy_notice, django_capture_on_commit_callbacks
) -> None:
    Participant.objects.filter(pk=participant_jateng.pk).update(email="siti@example.id")
    data = _as_the_owner(participant_jateng, privacy_notice, email="visitor@example.id")
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(SELF, data)
    assert [m.to for m in mail.outbox] == [["siti@example.id"]]
    assert "Siti Rahayu" in mail.outbox[0].body
    record = ChangeRecord.objects.get(operation="participants.registered_nik_attempt_record")
    assert record.object_id == str(participant_jateng.pk)


def test_without_an_address_on_record_the_attempt_is_in_the_record_history_only(
    participant_jateng, privacy_notice, django_capture_on_commit_callbacks
) -> None:
    Participant.objects.filter(pk=participant_jateng.pk).update(email="")
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(SELF, _as_the_owner(participant_jateng, privacy_notice))
    assert mail.outbox == []
    assert ChangeRecord.objects.filter(
        operation="participants.registered_nik_attempt_record", object_id=str(participant_jateng.pk)
    ).exists()


def test_a_new_registration_sends_no_such_message(
    privacy_notice, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(SELF, _post(privacy_notice))
    assert mail.outbox == []
    assert not ChangeRecord.objects.filter(
        operation="participants.registered_nik_attempt_record"
    ).exists()


def test_tries_past_the_limit_from_one_address_get_429_with_the_wait(privacy_notice) -> None:
    client = Client(REMOTE_ADDR="10.0.0.9")
    for serial in range(registration_views.TRIES_PER_ADDRESS):
        assert client.post(SELF, {"nik": nik(serial + 1)}).status_code == 200
    response = client.post(SELF, _post(privacy_notice), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= registration_views.TRY_WINDOW
    assert b"Please wait" in response.content
    assert not Participant.objects.exists()
    other = Client(REMOTE_ADDR="10.0.0.10").post(SELF, {"nik": nik(1)})
    assert other.status_code == 200


def test_tries_past_the_limit_for_one_nik_get_429_from_any_address(privacy_notice) -> None:
    for i in range(registration_views.TRIES_PER_NIK):
        client = Client(REMOTE_ADDR=f"10.0.1.{i}")
        assert client.post(SELF, {"nik": nik(3)}).status_code == 200
    response = Client(REMOTE_ADDR="10.0.2.1").post(SELF, {"nik": nik(3)})
    assert response.status_code == 429


def test_the_wait_is_told_in_indonesian_by_default(privacy_notice, settings) -> None:
    settings.LANGUAGE_CODE = "id"
    client = Client(REMOTE_ADDR="10.0.3.1")
    for _ in range(registration_views.TRIES_PER_NIK):
        client.post(SELF, {"nik": nik(4)})
    response = client.post(SELF, {"nik": nik(4)})
    assert response.status_code == 429
    assert response["Content-Language"] == "id"


# --- the API, for a registrar who may not see the registered record ------------------

API = "/api/v1/participants"


def _api_body(participant: Participant) -> dict:
    return {
        "nik": participant.nik,
        "full_name": participant.full_name,
        "sex": participant.sex,
        "birth_place": "Semarang",
        "birth_date": participant.birth_date.isoformat(),
        "regency_code": "33.74",
        "phone": "0812-3456-7890",
        "privacy_agreed": True,
    }


def test_the_api_does_not_tell_another_organisation_that_a_nik_is_registered(
    client_for, other_sender_operator, participant_jateng, django_capture_on_commit_callbacks
) -> None:
    Participant.objects.filter(pk=participant_jateng.pk).update(email="siti@example.id")
    before = Participant.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(other_sender_operator).post(
            API, _api_body(participant_jateng), content_type="application/json"
        )
    assert response.status_code == 422
    assert response.json()["errors"]["nik"] == [
        {
            "message": "This NIK cannot be registered by you. Ask the candidate to contact their "
            "provincial manpower office (Disnaker) with their identity card.",
            "code": "nik_not_accepted",
        }
    ]
    assert "already registered" not in response.content.decode()
    assert "duplicate_nik" not in response.content.decode()
    assert Participant.objects.count() == before
    assert [m.to for m in mail.outbox] == [["siti@example.id"]]
    record = ChangeRecord.objects.get(operation="participants.registered_nik_attempt_record")
    assert (record.object_id, record.actor) == (str(participant_jateng.pk), other_sender_operator)


def test_inside_its_scope_an_organisation_is_told_the_nik_is_registered(
    client_for, sender_operator, participant_jateng
) -> None:
    response = client_for(sender_operator).post(
        API, _api_body(participant_jateng), content_type="application/json"
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]["nik"]
    assert error["code"] == "duplicate_nik"
    assert not ChangeRecord.objects.filter(
        operation="participants.registered_nik_attempt_record"
    ).exists()


def test_the_registration_page_does_not_tell_another_organisation_either(
    client_for, other_sender_operator, participant_jateng, privacy_notice
) -> None:
    data = form_data(
        nik=participant_jateng.nik,
        sex=participant_jateng.sex,
        birth_date=participant_jateng.birth_date.isoformat(),
        privacy_notice=privacy_notice.pk,
        submission=str(uuid.uuid4()),
        privacy_agreed="on",
    )
    response = client_for(other_sender_operator).post("/peserta/daftar/", data)
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["nik"]] == [
        "nik_not_accepted"
    ]
    assert b"already registered" not in response.content
