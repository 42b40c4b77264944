"""Anyone checks a certificate by the number and name printed on it; unknown pages get a 404."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from jembatan.accounts.models import User
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.training.models import Batch, Certificate
from jembatan.training.services import programmes
from jembatan.training.services.certification import batch_complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(
    lpk_batch: Batch,
    make_participant: Callable[..., Participant],
    run_to_the_end: Callable[..., None],
    training_operator: User,
) -> Certificate:
    person = make_participant(JourneyStatus.VERIFIED, full_name="Siti Aminah")
    enrolment = programmes.enrol(batch=lpk_batch, participant=person, acting_user=training_operator)
    run_to_the_end(enrolment)
    return batch_complete(batch=lpk_batch, acting_user=training_operator).certificates[0]


def _english() -> Client:
    return Client(headers={"accept-language": "en"})


def test_the_number_and_the_name_lead_to_the_verification_page(certificate: Certificate) -> None:
    response = _english().get(
        reverse("verify:lookup"), {"number": certificate.number.lower(), "holder": " siti  AMINAH "}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("verify:certificate", args=[certificate.token])


def test_a_number_with_the_wrong_name_reveals_nothing(certificate: Certificate) -> None:
    response = _english().get(
        reverse("verify:lookup"), {"number": certificate.number, "holder": "Budi"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "No certificate issued through Jembatan has this number" in body
    assert "Siti" not in body


def test_the_lookup_page_is_public_and_linked_for_visitors() -> None:
    home = _english().get(reverse("register:search")).content.decode()
    assert f'href="{reverse("verify:lookup")}"' in home
    assert _english().get(reverse("verify:lookup")).status_code == 200


def test_an_unknown_token_shows_jembatans_own_not_found_page() -> None:
    response = _english().get(reverse("verify:certificate", args=["no-such-token"]))
    assert response.status_code == 404
    body = response.content.decode()
    assert 'data-testid="not-found"' in body
    assert "Check a certificate by its number" in body
