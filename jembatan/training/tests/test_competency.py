"""Competency is certified by a BNSP-licensed LSP, not by the training centre.

The walk-through found the centre issuing "certificates of competency". Now the
centre issues the training certificate when a batch completes; an LSP's
competency certificate is recorded with the LSP's name and licence number, and
only those certify SKKNI units for job orders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.demand.eligibility import load_facts
from jembatan.organisations.factories import OrganisationFactory
from jembatan.organisations.models import Organisation, OrganisationKind
from jembatan.organisations.services.organisations import organisation_create
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.training.models import Batch, Certificate, CertificateKind, Enrolment
from jembatan.training.services import programmes
from jembatan.training.services.certification import batch_complete
from jembatan.training.services.competency import competency_certificate_record

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def lsp(db: None) -> Organisation:
    return OrganisationFactory(
        name="LSP Logam Indonesia",
        kind=OrganisationKind.LSP,
        bnsp_licence_number="BNSP-LSP-0999-ID",
        bnsp_licence_valid_until=dt.date(2029, 12, 31),
    )


@pytest.fixture
def certified(
    im_batch: Batch,
    make_participant: Callable[..., Participant],
    run_to_the_end: Callable[..., None],
    training_operator: User,
) -> Enrolment:
    person = make_participant(JourneyStatus.SELECTED, full_name="Siti Aminah")
    enrolment = programmes.enrol(batch=im_batch, participant=person, acting_user=training_operator)
    run_to_the_end(enrolment)
    batch_complete(batch=im_batch, acting_user=training_operator)
    enrolment.refresh_from_db()
    return enrolment


def _units_of(enrolment: Enrolment) -> frozenset[str]:
    """The SKKNI units the candidate is certified in, as job-order eligibility reads them."""
    return load_facts([enrolment.participant_id], on=TODAY())[enrolment.participant_id].units


def _record(enrolment: Enrolment, lsp: Organisation, by: User, **overrides: object) -> Certificate:
    values: dict[str, object] = {
        "enrolment": enrolment,
        "lsp": lsp,
        "number": "62090 2421 3 0000123 2026",
        "unit_codes": [u.code for u in enrolment.batch.programme.units.all()],
        "issued_on": TODAY(),
        "valid_until": None,
        "acting_user": by,
    }
    values.update(overrides)
    return competency_certificate_record(**values)  # type: ignore[arg-type]


def test_completing_a_batch_issues_only_the_centres_training_certificate(
    certified: Enrolment,
) -> None:
    kinds = list(
        Certificate.objects.filter(enrolment=certified).values_list("kind", "issuer__kind")
    )
    assert kinds == [(CertificateKind.TRAINING, OrganisationKind.BLK)]
    assert (
        load_facts([certified.participant_id], on=TODAY())[certified.participant_id].units
        == frozenset()
    )


def test_an_lsp_certificate_is_recorded_with_its_name_licence_and_units(
    certified: Enrolment, lsp: Organisation, training_operator: User
) -> None:
    certificate = _record(certified, lsp, training_operator)
    assert (certificate.issuer, certificate.issuer_licence_number) == (lsp, "BNSP-LSP-0999-ID")
    assert certificate.valid_until == TODAY().replace(year=TODAY().year + 3)
    assert certificate.content["lsp"] == {
        "name": "LSP Logam Indonesia",
        "licence": "BNSP-LSP-0999-ID",
    }
    codes = {u.code for u in certified.batch.programme.units.all()}
    assert (
        load_facts([certified.participant_id], on=TODAY())[certified.participant_id].units == codes
    )
    assert ChangeRecord.objects.filter(operation="training.competency_certificate_record").exists()
    page = Client().get(reverse("verify:certificate", kwargs={"token": certificate.token}))
    body = page.content.decode()
    assert "LSP Logam Indonesia" in body and "BNSP-LSP-0999-ID" in body


def test_refusals_name_every_problem(
    certified: Enrolment, lsp: Organisation, training_operator: User
) -> None:
    blk = certified.batch.programme.organisation
    _record(certified, lsp, training_operator)
    with pytest.raises(ValidationError) as refused:
        _record(certified, blk, training_operator, issued_on=TODAY() + dt.timedelta(days=2))
    problems = refused.value.message_dict
    assert "is not an LSP with a BNSP licence" in problems["lsp"][0]
    assert "future" in problems["issued_on"][0]
    assert "already recorded" in problems["number"][0]


def test_an_lsp_whose_licence_lapsed_cannot_certify(
    certified: Enrolment, lsp: Organisation, training_operator: User
) -> None:
    Organisation.objects.filter(pk=lsp.pk).update(bnsp_licence_valid_until=dt.date(2020, 1, 1))
    lsp.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        _record(certified, lsp, training_operator)
    assert "lsp" in refused.value.message_dict


def test_only_after_certified_training_and_only_by_the_centre_or_the_ministry(
    im_batch: Batch,
    make_participant: Callable[..., Participant],
    lsp: Organisation,
    training_operator: User,
    sender_operator: User,
    certified: Enrolment,
) -> None:
    with pytest.raises(PermissionDenied):
        _record(certified, lsp, sender_operator)
    other = make_participant(JourneyStatus.SELECTED, full_name="Budi")
    Enrolment.objects.create(
        batch=im_batch,
        participant=other,
        status="withdrawn",
        enrolled_at=timezone.now(),
        ended_at=timezone.now(),
    )
    enrolment = Enrolment.objects.get(participant=other)
    with pytest.raises(ValidationError) as refused:
        _record(enrolment, lsp, training_operator, number="X-1")
    assert "did not complete batch" in refused.value.messages[0]


def test_the_page_records_it_and_hides_the_pdf(
    certified: Enrolment, lsp: Organisation, training_operator: User
) -> None:
    client = Client(headers={"accept-language": "en"})
    client.force_login(training_operator)
    batch = certified.batch
    page = client.get(reverse("training:batch", kwargs={"batch_pk": batch.pk})).content.decode()
    assert f'data-testid="competency-{certified.pk}"' in page
    url = reverse(
        "training:competency_record", kwargs={"batch_pk": batch.pk, "enrolment_pk": certified.pk}
    )
    codes = [u.code for u in batch.programme.units.all()]
    response = client.post(
        url,
        {"lsp": lsp.pk, "number": "LSP-77", "issued_on": TODAY().isoformat(), "units": codes},
    )
    certificate = Certificate.objects.get(number="LSP-77")
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert 'data-testid="lsp-note"' in detail and "BNSP-LSP-0999-ID" in detail
    pdf = reverse("training:certificate_pdf", kwargs={"certificate_pk": certificate.pk})
    assert client.get(pdf).status_code == 404
    refused = client.post(
        url, {"lsp": lsp.pk, "number": "LSP-77", "issued_on": TODAY().isoformat(), "units": codes}
    )
    assert refused.status_code == 200 and "already recorded" in refused.content.decode()


def test_an_lsp_needs_its_bnsp_licence_number(national_officer: User) -> None:
    with pytest.raises(ValidationError) as refused:
        organisation_create(acting_user=national_officer, name="LSP Tanpa Lisensi", kind="lsp")
    assert "bnsp_licence_number" in refused.value.message_dict
    with pytest.raises(ValidationError):
        organisation_create(
            acting_user=national_officer, name="LPK X", kind="lpk", bnsp_licence_number="B-1"
        )


def test_validity_from_29_february_ends_on_28_february() -> None:
    from jembatan.training.services.competency import years_after

    assert years_after(dt.date(2028, 2, 29), 3) == dt.date(2031, 2, 28)
    assert years_after(dt.date(2026, 12, 3), 3) == dt.date(2029, 12, 3)
