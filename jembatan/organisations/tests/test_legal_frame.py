"""The legal frame: organiser types, licence types, and a licence of the wrong type refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from jembatan.accounts.factories import UserFactory
from jembatan.core import legal_frame
from jembatan.core.models import ChangeRecord
from jembatan.core.roles import Role
from jembatan.organisations.factories import LicenceFactory, OrganisationFactory
from jembatan.organisations.models import (
    DecisionKind,
    Licence,
    LicenceType,
    Organisation,
    OrganisationKind,
)
from jembatan.organisations.rules import LicenceRequired, ensure_can_act
from jembatan.organisations.services import licence_applications, licence_sanctions, organisations

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer() -> object:
    return UserFactory(role=Role.NATIONAL_OFFICER)


def _refusal(organisation: Organisation, scheme: str) -> LicenceRequired:
    with pytest.raises(LicenceRequired) as refused:
        ensure_can_act(organisation, scheme=scheme)
    return refused.value


def test_an_apprenticeship_licence_may_not_send_under_ssw(lpk: Organisation) -> None:
    LicenceFactory(organisation=lpk)
    refused = _refusal(lpk, "ssw")
    assert refused.code == "wrong_licence_type"
    assert refused.messages[0] == (
        "Specified Skilled Worker (Japan) is labour migration, not apprenticeship: it needs a "
        "licence to place migrant workers (SIP3MI), and LPK Harapan Bangsa holds a Licence to "
        "organise apprenticeship abroad (PER.08/MEN/V/2008) (rule: the programme's legal "
        "frame; source: UU 18/2017; Permenaker 9/2019)."
    )


def test_an_apprenticeship_licence_still_sends_technical_intern_trainees(
    lpk: Organisation,
) -> None:
    licence = LicenceFactory(organisation=lpk)
    assert ensure_can_act(lpk, scheme="titp") == licence
    assert ensure_can_act(lpk, scheme="esd") == licence


def test_no_licence_of_an_organisation_sends_under_eps(db: None) -> None:
    company = OrganisationFactory(name="PT Penempatan", kind=OrganisationKind.SENDING_COMPANY)
    LicenceFactory(organisation=company, licence_type=LicenceType.P3MI)
    refused = _refusal(company, "eps")
    assert refused.code == "wrong_licence_type"
    assert "government to government" in refused.messages[0]
    assert "KP2MI (2024)" in refused.messages[0]


def test_a_p3mi_licence_sends_ssw_but_not_apprentices(db: None) -> None:
    company = OrganisationFactory(name="PT Penempatan", kind=OrganisationKind.SENDING_COMPANY)
    licence = LicenceFactory(organisation=company, licence_type=LicenceType.P3MI)
    assert ensure_can_act(company, scheme="ssw") == licence
    refused = _refusal(company, "titp")
    assert "needs a licence to organise apprenticeship abroad" in refused.messages[0]
    assert "PER.08/MEN/V/2008" in refused.messages[0]


def test_a_registered_education_institution_organises_apprenticeships(db: None) -> None:
    school = OrganisationFactory(name="Politeknik Contoh", kind=OrganisationKind.EDUCATION)
    licence = LicenceFactory(organisation=school, licence_type=LicenceType.REGISTRATION)
    assert ensure_can_act(school, scheme="titp") == licence


def test_an_education_institution_applies_for_a_registration(officer: object) -> None:
    school = OrganisationFactory(name="Politeknik Contoh", kind=OrganisationKind.EDUCATION)
    licence = licence_applications.licence_apply(organisation=school, acting_user=officer)
    assert licence.licence_type == LicenceType.REGISTRATION
    record = ChangeRecord.objects.get(operation="organisations.licence_apply")
    assert record.changes["licence_type"]["after"] == "registration"


def test_an_lpk_may_not_apply_for_a_p3mi_licence(lpk: Organisation, officer: object) -> None:
    with pytest.raises(ValidationError) as refused:
        licence_applications.licence_apply(
            organisation=lpk, acting_user=officer, licence_type="p3mi"
        )
    assert refused.value.code == "licence_type"
    assert (
        "(rule: organiser types; source: Permenakertrans PER.08/MEN/V/2008"
        in (refused.value.messages[0])
    )
    assert not Licence.objects.filter(organisation=lpk).exists()


def test_a_company_may_apply_for_a_p3mi_licence(officer: object) -> None:
    company = OrganisationFactory(name="PT Penempatan", kind=OrganisationKind.SENDING_COMPANY)
    licence = licence_applications.licence_apply(
        organisation=company, acting_user=officer, licence_type="p3mi"
    )
    assert licence.licence_type == LicenceType.P3MI


def test_every_organiser_type_of_the_data_is_an_organisation_kind() -> None:
    kinds = set(OrganisationKind.values)
    assert set(legal_frame.organiser_types()) <= kinds
    assert legal_frame.organiser_types()["lpk"].needs_en == (
        "its own LPK permit (izin LPK)",
        "accreditation of the LPK",
        "a written agreement with the partner abroad",
        "the apprenticeship programme",
    )


def test_every_scheme_has_a_regime_and_a_licence_type_with_sources() -> None:
    frames = legal_frame.scheme_frames()
    assert set(frames) == {"im_japan", "titp", "esd", "ssw", "eps", "other"}
    assert {f.regime for f in frames.values()} == {"apprenticeship", "migrant_worker"}
    assert all(f.basis for f in frames.values())
    assert frames["ssw"].licence_type == "p3mi"


def test_every_sanction_names_where_it_comes_from() -> None:
    sanctions = legal_frame.sanctions()
    assert set(sanctions) == {"warning", "improvement_order", "suspension", "revocation"}
    assert sanctions["suspension"].name_id == "Penghentian sementara kegiatan"
    assert all("PER.08/MEN/V/2008" in s.basis for s in sanctions.values())
    assert DecisionKind.IMPROVEMENT_ORDER.label == "Written warning with a deadline to remedy"


def test_a_disnaker_needs_its_regency(officer: object) -> None:
    with pytest.raises(ValidationError) as refused:
        organisations.organisation_create(
            acting_user=officer, name="Disnaker Kota Semarang", kind=OrganisationKind.DISNAKER
        )
    assert "region" in refused.value.message_dict
    assert not Organisation.objects.filter(kind=OrganisationKind.DISNAKER).exists()
    office = organisations.organisation_create(
        acting_user=officer,
        name="Disnaker Kota Semarang",
        kind=OrganisationKind.DISNAKER,
        region_id="33.74",
    )
    assert office.province_id == "33"


def test_the_licence_page_cites_the_regulation_and_each_sanctions_source(
    lpk: Organisation, officer: object
) -> None:
    from django.test import Client

    licence = LicenceFactory(organisation=lpk)
    licence_sanctions.licence_warn(
        licence=licence, acting_user=officer, reason="Biaya melebihi batas."
    )
    client = Client()
    client.force_login(officer)  # type: ignore[arg-type]
    body = client.get(f"/organisasi/izin/{licence.pk}/").content.decode()
    assert "UU 13/2003 art. 25; Permenakertrans PER.08/MEN/V/2008" in body
    assert "Permenakertrans PER.08/MEN/V/2008 (administrative sanctions)" in body
    organisation_page = client.get(f"/organisasi/{lpk.pk}/").content.decode()
    assert "its own LPK permit (izin LPK)" in organisation_page
