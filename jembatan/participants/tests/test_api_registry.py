"""The API registers and moves participants with the pages' checks and words, as JSON."""

from __future__ import annotations

import uuid

import pytest

from jembatan.participants.models import Participant
from jembatan.participants.services.registry import participant_verify_identity
from jembatan.participants.tests.conftest import nik

pytestmark = pytest.mark.django_db
URL = "/api/v1/participants"


def _body(**overrides) -> dict:
    body = {
        "nik": nik(),
        "full_name": "Andi Wijaya",
        "sex": "M",
        "birth_place": "Semarang",
        "birth_date": "2000-08-17",
        "regency_code": "33.74",
        "phone": "0812-3456-7890",
        "privacy_agreed": True,
    }
    body.update(overrides)
    return body


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_a_sender_operator_registers_through_the_api(client_for, sender_operator, lpk_a) -> None:
    response = _post(client_for(sender_operator), URL, _body())
    assert response.status_code == 201
    body = response.json()
    assert body["participant"]["nik"] == nik()
    assert body["participant"]["sending_organisation_id"] == lpk_a.pk
    assert (body["warnings"], body["already_registered"]) == ([], False)


def test_api_errors_carry_the_forms_messages_and_codes(client_for, sender_operator) -> None:
    response = _post(client_for(sender_operator), URL, _body(birth_date="2030-08-18"))
    assert response.status_code == 422
    assert response.json()["errors"]["birth_date"] == [
        {"message": "The date of birth cannot be in the future.", "code": "future"}
    ]


def test_an_excel_number_nik_is_explained_by_the_api(client_for, sender_operator) -> None:
    response = _post(client_for(sender_operator), URL, _body(nik="3.37401E+15"))
    [error] = response.json()["errors"]["nik"]
    assert error["message"].startswith("Excel converted this NIK to a number")


def test_an_expired_licence_is_refused_by_the_api_and_nothing_is_created(
    client_for, expired_sender
) -> None:
    response = _post(client_for(expired_sender), URL, _body())
    assert response.status_code == 422
    [error] = response.json()["errors"]["__all__"]
    assert (error["code"], error["message"].startswith("The licence of LPK C Kadaluwarsa")) == (
        "licence_required",
        True,
    )
    assert Participant.objects.count() == 0


def test_retrying_with_the_same_submission_returns_the_first_record(
    client_for, sender_operator
) -> None:
    client = client_for(sender_operator)
    body = _body(submission=str(uuid.uuid4()))
    first = _post(client, URL, body).json()
    again = _post(client, URL, body)
    assert again.status_code == 200
    assert again.json()["participant"]["id"] == first["participant"]["id"]
    assert again.json()["already_registered"] is True
    assert Participant.objects.count() == 1


def test_a_sender_operator_may_not_register_for_another_organisation(
    client_for, sender_operator, lpk_b
) -> None:
    response = _post(client_for(sender_operator), URL, _body(sending_organisation_id=lpk_b.pk))
    assert response.status_code == 403
    assert Participant.objects.count() == 0


def test_the_transition_endpoint_moves_a_participant_or_says_why_not(
    client_for, provincial_officer, participant_jateng
) -> None:
    client = client_for(provincial_officer)
    url = f"{URL}/{participant_jateng.pk}/transition"
    refused = _post(client, url, {"to_status": "verified"})
    assert refused.status_code == 422
    assert refused.json()["errors"]["__all__"] == [
        {
            "message": "An officer has not verified the participant's identity yet.",
            "code": "not_verifiable",
        }
    ]
    participant_verify_identity(
        participant=participant_jateng, acting_user=provincial_officer, note=""
    )
    moved = _post(client, url, {"to_status": "verified"})
    assert (moved.status_code, moved.json()["status"], moved.json()["version"]) == (
        200,
        "verified",
        3,
    )


def test_the_transition_endpoint_refuses_a_role_that_may_not_record_the_step(
    client_for, training_operator, participant_jateng
) -> None:
    url = f"{URL}/{participant_jateng.pk}/transition"
    response = _post(client_for(training_operator), url, {"to_status": "rejected", "reason": "x"})
    assert response.status_code == 403
    assert Participant.objects.get(pk=participant_jateng.pk).status == "registered"


def test_the_transition_endpoint_is_404_outside_the_scope(
    client_for, other_provincial_officer, participant_jateng
) -> None:
    url = f"{URL}/{participant_jateng.pk}/transition"
    response = _post(
        client_for(other_provincial_officer), url, {"to_status": "rejected", "reason": "x"}
    )
    assert response.status_code == 404
