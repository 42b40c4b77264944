"""A partner abroad sees what the placement needs; the full record only after a recorded transfer.

The walk-through found partners reading full NIKs, home addresses, phones and
e-mails. Now: name, sex, age, education, training, certificates, language
results and a masked NIK, until the sending organisation records a transfer
with its purpose on the participant's consent to the transfer abroad — which
lapses when that consent is withdrawn.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jembatan.accounts.factories import UserFactory
from jembatan.accounts.models import User
from jembatan.core.models import AccessLog, ChangeRecord
from jembatan.core.roles import Role
from jembatan.demand.factories import JobOrderFactory
from jembatan.demand.models import Placement
from jembatan.demand.services.placements import placement_offer
from jembatan.organisations.models import Organisation
from jembatan.participants.disclosure import age_on, mask_nik
from jembatan.participants.errors import ParticipantErrorCode
from jembatan.participants.factories import ParticipantFactory
from jembatan.participants.models import Consent, DataTransfer, JourneyStatus
from jembatan.participants.services.registry import consent_withdraw
from jembatan.participants.services.transfers import data_transfer_record, transfer_consent_give
from jembatan.training.factories import BatchFactory
from jembatan.training.models import Certificate, CertificateKind, Enrolment, LanguageResult

pytestmark = pytest.mark.django_db

PHONE = "+6281234567890"
EMAIL = "ani.wijaya@example.id"
ADDRESS = "Jl. Melati 7"


@pytest.fixture
def offered(im_japan: Organisation, lpk_a: Organisation, national_officer: User) -> Placement:
    """Ani, selected at LPK A, offered to IM Japan's welding job order."""
    job_order = JobOrderFactory(partner=im_japan, approved=True, slots=1, title="Welding")
    ani = ParticipantFactory(
        full_name="Ani Wijaya",
        status=JourneyStatus.SELECTED,
        sending_organisation=lpk_a,
        phone=PHONE,
        email=EMAIL,
        address=ADDRESS,
        education="smk",
    )
    return placement_offer(job_order=job_order, participant=ani, acting_user=national_officer)


def _client(user: User) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def _consented(placement: Placement, sender_operator: User) -> Consent:
    return transfer_consent_give(
        participant=placement.participant, language="id", acting_user=sender_operator
    )


def test_mask_and_age() -> None:
    assert mask_nik("3374011708000001") == "3374••••••••0001"
    assert age_on(dt.date(2000, 8, 17), dt.date(2026, 8, 16)) == 25
    assert age_on(dt.date(2000, 8, 17), dt.date(2026, 8, 17)) == 26


def test_without_a_transfer_the_partner_sees_only_what_the_placement_needs(
    offered: Placement, partner_user: User
) -> None:
    ani = offered.participant
    client = _client(partner_user)
    page = client.get(reverse("participants:detail", args=[ani.pk])).content.decode()
    assert 'data-testid="minimum-record"' in page and mask_nik(ani.nik) in page
    for secret in (ani.nik, PHONE, EMAIL, ADDRESS, "17 August 2000"):
        assert secret not in page
    listing = client.get(reverse("participants:list")).content.decode()
    assert "Ani Wijaya" in listing and ani.nik not in listing and mask_nik(ani.nik) in listing
    api = client.get(f"/api/v1/participants/{ani.pk}").json()
    assert api["nik"] == mask_nik(ani.nik) and api["birth_date"] is None and api["age"] >= 18
    items = client.get("/api/v1/participants").json()["items"]
    assert [row["nik"] for row in items] == [mask_nik(ani.nik)]


def test_the_dossier_shows_training_certificates_and_language_results(
    offered: Placement, partner_user: User, national_officer: User
) -> None:
    ani = offered.participant
    batch = BatchFactory(code="LAS-2026-01")
    enrolment = Enrolment.objects.create(
        batch=batch,
        participant=ani,
        status="completed",
        enrolled_at=timezone.now(),
        ended_at=timezone.now(),
    )
    Certificate.objects.create(
        number="PLT-2026-000777",
        token="t" * 40,
        kind=CertificateKind.TRAINING,
        enrolment=enrolment,
        participant=ani,
        issuer=batch.programme.organisation,
        holder_name=ani.full_name,
        issued_on=dt.date(2026, 6, 1),
        issued_at=timezone.now(),
    )
    LanguageResult.objects.create(
        participant=ani,
        test="jft",
        total=215,
        pass_mark=200,
        tested_on=dt.date(2026, 5, 2),
        passed=True,
        explanation="215 ≥ 200",
        recorded_at=timezone.now(),
    )
    page = _client(partner_user).get(reverse("demand:placement", args=[offered.pk]))
    html = page.content.decode()
    assert "LAS-2026-01" in html and "PLT-2026-000777" in html and "215" in html
    assert mask_nik(ani.nik) in html and ani.nik not in html and PHONE not in html
    assert AccessLog.objects.filter(
        purpose="demand.placement_detail", object_id=str(ani.pk)
    ).exists()


def test_a_transfer_needs_the_participants_consent(
    offered: Placement, sender_operator: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        data_transfer_record(
            participant=offered.participant,
            purpose="Visa application at the immigration bureau",
            acting_user=sender_operator,
        )
    assert refused.value.code == ParticipantErrorCode.NO_TRANSFER_CONSENT
    assert "Ani Wijaya" in refused.value.messages[0]
    assert not DataTransfer.objects.exists()


def test_a_transfer_states_a_purpose_and_needs_a_partner(
    offered: Placement, sender_operator: User, lpk_a: Organisation
) -> None:
    _consented(offered, sender_operator)
    with pytest.raises(ValidationError) as short:
        data_transfer_record(
            participant=offered.participant, purpose="visa", acting_user=sender_operator
        )
    assert "purpose" in short.value.message_dict
    alone = ParticipantFactory(sending_organisation=lpk_a)
    transfer_consent_give(participant=alone, language="id", acting_user=sender_operator)
    with pytest.raises(ValidationError) as nobody:
        data_transfer_record(
            participant=alone, purpose="Visa application for Japan", acting_user=sender_operator
        )
    assert nobody.value.code == ParticipantErrorCode.NO_PARTNER


def test_only_the_sending_organisation_or_an_officer_records_a_transfer(
    offered: Placement, other_sender_operator: User, partner_user: User, sender_operator: User
) -> None:
    _consented(offered, sender_operator)
    for outsider in (other_sender_operator, partner_user):
        with pytest.raises(PermissionDenied):
            data_transfer_record(
                participant=offered.participant,
                purpose="Visa application for Japan",
                acting_user=outsider,
            )
    assert (
        _client(partner_user)
        .get(reverse("participants:transfer", args=[offered.participant_id]))
        .status_code
        == 403
    )
    assert (
        _client(other_sender_operator)
        .get(reverse("participants:transfer", args=[offered.participant_id]))
        .status_code
        == 404
    )


def test_after_a_recorded_transfer_the_partner_sees_the_record_until_consent_is_withdrawn(
    offered: Placement, sender_operator: User, partner_user: User
) -> None:
    ani = offered.participant
    staff = _client(sender_operator)
    url = reverse("participants:transfer", args=[ani.pk])
    assert "not given" in staff.get(url).content.decode()
    staff.post(
        reverse("participants:transfer_consent", args=[ani.pk]), {"version": 1, "signed": "on"}
    )
    response = staff.post(url, {"purpose": "Certificate of eligibility application (COE)"})
    assert response.status_code == 302
    transfer = DataTransfer.objects.get()
    assert (
        transfer.recipient_id == offered.job_order.partner_id
        and transfer.recorded_by == sender_operator
    )
    assert ChangeRecord.objects.filter(operation="participants.data_transfer_record").exists()
    partner = _client(partner_user)
    page = partner.get(reverse("participants:detail", args=[ani.pk])).content.decode()
    assert ani.nik in page and PHONE in page and EMAIL in page
    assert partner.get(f"/api/v1/participants/{ani.pk}").json()["nik"] == ani.nik
    consent_withdraw(consent=transfer.consent, acting_user=sender_operator)
    page = partner.get(reverse("participants:detail", args=[ani.pk])).content.decode()
    assert ani.nik not in page and PHONE not in page


def test_a_stale_text_version_is_refused(offered: Placement, sender_operator: User) -> None:
    staff = _client(sender_operator)
    staff.post(
        reverse("participants:transfer_consent", args=[offered.participant_id]),
        {"version": 99, "signed": "on"},
    )
    assert not Consent.objects.filter(participant=offered.participant).exists()


def test_the_participant_agrees_on_their_own_page(
    offered: Placement, sender_operator: User
) -> None:
    ani = offered.participant
    account = UserFactory(role=Role.PARTICIPANT, username="ani")
    ani.user = account
    ani.save(update_fields=["user"])
    client = _client(account)
    page = client.get(reverse("participants:mine")).content.decode()
    assert 'data-testid="transfer-offer"' in page and "Transfer of data to partners abroad" in page
    client.post(reverse("participants:my_transfer_consent"), {"version": 1})
    consent = Consent.objects.get(participant=ani, purpose="transfer_abroad")
    assert consent.recorded_by == account and consent.withdrawn_at is None
    assert (
        'data-testid="transfer-offer"'
        not in client.get(reverse("participants:mine")).content.decode()
    )
