"""Organisation and licence pages: officers decide, senders apply, attachments stay private."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from jembatan.accounts.factories import UserFactory
from jembatan.accounts.models import User
from jembatan.core.models import AccessLog, ChangeRecord
from jembatan.core.roles import Role
from jembatan.organisations.models import (
    ContactPerson,
    DecisionKind,
    Licence,
    LicenceDecision,
    LicenceStatus,
    Organisation,
    OrganisationKind,
)
from jembatan.organisations.services import licence_sanctions

from .conftest import pdf

pytestmark = pytest.mark.django_db


def _client(user: User | None) -> Client:
    client = Client(headers={"accept-language": "en"})
    if user is not None:
        client.force_login(user)
    return client


def _day(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.fixture
def officer(db: None) -> User:
    return UserFactory(username="oki", role=Role.NATIONAL_OFFICER)


@pytest.fixture
def operator(lpk: Organisation) -> User:
    return UserFactory(username="sari", role=Role.SENDER_OPERATOR, organisation=lpk)


# --- organisations ----------------------------------------------------------------------


def test_an_officer_registers_an_organisation(officer: User) -> None:
    response = _client(officer).post(
        "/organisasi/baru/",
        {
            "name": "LPK Mitra Nusantara",
            "kind": "lpk",
            "country": "ID",
            "region": "33.74",
            "nib": "1234567890123",
            "phone": "0812-3456-7890",
        },
    )
    organisation = Organisation.objects.get(name="LPK Mitra Nusantara")
    assert response.status_code == 302
    assert response["Location"] == f"/organisasi/{organisation.pk}/"
    assert (organisation.province_id, organisation.phone) == ("33", "+6281234567890")
    assert ChangeRecord.objects.filter(operation="organisations.organisation_create").count() == 1


def test_a_malformed_nib_is_shown_on_the_form_and_saves_nothing(officer: User) -> None:
    response = _client(officer).post(
        "/organisasi/baru/", {"name": "LPK X", "kind": "lpk", "country": "ID", "nib": "12AB"}
    )
    assert response.status_code == 200
    assert "A NIB (Nomor Induk Berusaha) has exactly 13 digits." in response.content.decode()
    assert not Organisation.objects.filter(name="LPK X").exists()


def test_an_officer_edits_an_organisation_and_the_change_is_audited(
    officer: User, lpk: Organisation
) -> None:
    response = _client(officer).post(
        f"/organisasi/{lpk.pk}/ubah/",
        {"name": "LPK Harapan Bangsa Baru", "kind": "lpk", "country": "ID", "region": "33.74"},
    )
    assert response.status_code == 302
    record = ChangeRecord.objects.get(operation="organisations.organisation_update")
    assert record.changes["name"] == {
        "before": "LPK Harapan Bangsa",
        "after": "LPK Harapan Bangsa Baru",
    }


def test_a_sender_operator_may_not_edit_their_organisation(
    operator: User, lpk: Organisation
) -> None:
    response = _client(operator).post(f"/organisasi/{lpk.pk}/ubah/", {"name": "Hacked"})
    assert response.status_code == 403
    assert Organisation.objects.get(pk=lpk.pk).name == "LPK Harapan Bangsa"


def test_a_sender_operator_adds_a_contact_person(operator: User, lpk: Organisation) -> None:
    response = _client(operator).post(
        f"/organisasi/{lpk.pk}/kontak/baru/",
        {
            "name": "Dewi Kartika",
            "position": "Director",
            "phone": "0812 1111 2222",
            "is_primary": "on",
        },
    )
    assert response.status_code == 302
    contact = ContactPerson.objects.get()
    assert (contact.name, contact.phone, contact.is_primary) == (
        "Dewi Kartika",
        "+6281211112222",
        True,
    )


def test_operators_see_their_own_organisation_only(operator: User, lpk: Organisation) -> None:
    other = Organisation.objects.create(name="LPK Lain", kind=OrganisationKind.LPK)
    client = _client(operator)
    assert client.get(f"/organisasi/{other.pk}/").status_code == 404
    body = client.get("/organisasi/").content.decode()
    assert "LPK Harapan Bangsa" in body
    assert "LPK Lain" not in body


def test_the_detail_page_lists_operators_and_explains_a_refusal(
    officer: User, operator: User, lpk: Organisation
) -> None:
    body = _client(officer).get(f"/organisasi/{lpk.pk}/").content.decode()
    assert "sari" in body
    assert "has no licence to organise overseas apprenticeships" in body
    assert "Apply for a licence" in body


# --- the sender's side --------------------------------------------------------------


def test_a_sender_applies_and_submits_through_the_pages(operator: User, lpk: Organisation) -> None:
    client = _client(operator)
    response = client.post(f"/organisasi/{lpk.pk}/izin/ajukan/")
    licence = Licence.objects.get(organisation=lpk)
    assert response["Location"] == f"/organisasi/izin/{licence.pk}/"
    assert "Submit the application" in client.get(response["Location"]).content.decode()
    response = client.post(f"/organisasi/izin/{licence.pk}/submit/")
    assert response.status_code == 302
    assert Licence.objects.get(pk=licence.pk).status == LicenceStatus.SUBMITTED


def test_a_sender_requests_a_renewal(operator: User, licence_in: Callable[..., Licence]) -> None:
    licence = licence_in(LicenceStatus.ACTIVE)
    response = _client(operator).post(f"/organisasi/izin/{licence.pk}/request_renewal/")
    assert response.status_code == 302
    assert Licence.objects.get(pk=licence.pk).status == LicenceStatus.RENEWAL


def test_a_barred_organisation_sees_why_it_may_not_apply(
    operator: User, officer: User, licence_in: Callable[..., Licence], lpk: Organisation
) -> None:
    licence_sanctions.licence_revoke(
        licence=licence_in(LicenceStatus.ACTIVE),
        reason="Fees.",
        bar_until=_day(400),
        acting_user=officer,
    )
    response = _client(operator).post(f"/organisasi/{lpk.pk}/izin/ajukan/", follow=True)
    assert f"It may not apply again before {_day(400).isoformat()}." in response.content.decode()
    assert lpk.licences.count() == 1


def test_a_sender_may_not_open_the_grant_form(
    operator: User, licence_in: Callable[..., Licence]
) -> None:
    licence = licence_in(LicenceStatus.UNDER_REVIEW)
    assert _client(operator).get(f"/organisasi/izin/{licence.pk}/grant/").status_code == 403


def test_an_operator_of_another_organisation_gets_404_for_the_licence(
    licence_in: Callable[..., Licence],
) -> None:
    licence = licence_in(LicenceStatus.DRAFT)
    stranger = UserFactory(role=Role.SENDER_OPERATOR)
    client = _client(stranger)
    assert client.get(f"/organisasi/izin/{licence.pk}/").status_code == 404
    assert client.post(f"/organisasi/izin/{licence.pk}/submit/").status_code == 404
    assert Licence.objects.get(pk=licence.pk).status == LicenceStatus.DRAFT


# --- the officer's decisions ----------------------------------------------------------


def test_an_officer_grants_through_the_form(
    officer: User, licence_in: Callable[..., Licence], media: Any
) -> None:
    licence = licence_in(LicenceStatus.UNDER_REVIEW)
    response = _client(officer).post(
        f"/organisasi/izin/{licence.pk}/grant/",
        {
            "number": "KEP.12/LN/2026",
            "valid_from": _day(0).isoformat(),
            "valid_to": _day(5 * 365).isoformat(),
            "reason": "Requirements met after the site visit.",
            "attachment": pdf(),
        },
    )
    assert response.status_code == 302
    licence.refresh_from_db()
    assert (licence.status, licence.number) == (LicenceStatus.ACTIVE, "KEP.12/LN/2026")
    decision = LicenceDecision.objects.get()
    assert (decision.kind, decision.decided_by) == (DecisionKind.GRANT, officer)
    assert decision.attachment.name.endswith(".pdf")


def test_a_form_without_a_reason_is_shown_again_and_changes_nothing(
    officer: User, licence_in: Callable[..., Licence]
) -> None:
    licence = licence_in(LicenceStatus.SUBMITTED)
    response = _client(officer).post(f"/organisasi/izin/{licence.pk}/reject/", {"reason": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert Licence.objects.get(pk=licence.pk).status == LicenceStatus.SUBMITTED


def test_a_refused_transition_is_explained_on_the_form(
    officer: User, licence_in: Callable[..., Licence]
) -> None:
    licence = licence_in(LicenceStatus.DRAFT)
    response = _client(officer).post(
        f"/organisasi/izin/{licence.pk}/reject/", {"reason": "Incomplete."}
    )
    assert response.status_code == 400
    assert (
        f"Cannot reject the application: licence #{licence.pk} is Draft. This is possible "
        "only while it is Submitted or Under review."
    ) in response.content.decode()
    assert LicenceDecision.objects.count() == 0


def test_an_officer_suspends_for_one_country_through_the_form(
    officer: User, licence_in: Callable[..., Licence]
) -> None:
    licence = licence_in(LicenceStatus.ACTIVE)
    response = _client(officer).post(
        f"/organisasi/izin/{licence.pk}/suspend/",
        {
            "reason": "Complaints in Japan.",
            "countries": ["JP"],
            "activities": ["send"],
            "published": "on",
        },
    )
    assert response.status_code == 302
    decision = LicenceDecision.objects.get()
    assert decision.suspended_activities == ["send"]
    assert [c.pk for c in decision.suspended_countries.all()] == ["JP"]


def test_an_officer_orders_an_improvement_with_a_deadline(
    officer: User, licence_in: Callable[..., Licence]
) -> None:
    licence = licence_in(LicenceStatus.ACTIVE)
    response = _client(officer).post(
        f"/organisasi/izin/{licence.pk}/order_improvement/",
        {"reason": "Dormitory below standard.", "deadline": _day(60).isoformat()},
    )
    assert response.status_code == 302
    assert LicenceDecision.objects.get().deadline == _day(60)


def test_an_unknown_action_is_404(officer: User, licence_in: Callable[..., Licence]) -> None:
    licence = licence_in(LicenceStatus.ACTIVE)
    client = _client(officer)
    assert client.get(f"/organisasi/izin/{licence.pk}/explode/").status_code == 404
    assert client.get(f"/organisasi/izin/{licence.pk}/expire/").status_code == 404


def test_the_licence_page_offers_only_what_the_status_allows(
    officer: User, licence_in: Callable[..., Licence]
) -> None:
    licence = licence_in(LicenceStatus.ACTIVE)
    body = _client(officer).get(f"/organisasi/izin/{licence.pk}/").content.decode()
    for offered in (
        "Give a written warning",
        "Give a written warning with a deadline to remedy",
        "Suspend the licence temporarily",
        "Revoke the licence",
    ):
        assert offered in body
    assert "Grant the licence" not in body


# --- attachments ----------------------------------------------------------------------


@pytest.fixture
def decision(officer: User, licence_in: Callable[..., Licence], media: Any) -> LicenceDecision:
    return licence_sanctions.licence_warn(
        licence=licence_in(LicenceStatus.ACTIVE),
        reason="Late reports.",
        acting_user=officer,
        attachment=pdf(),
    )


def test_national_staff_download_an_attachment_and_the_read_is_logged(
    officer: User, decision: LicenceDecision
) -> None:
    response = _client(officer).get(f"/organisasi/keputusan/{decision.pk}/lampiran/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AccessLog.objects.filter(purpose="licence_decision_attachment").count() == 1


def test_the_organisations_own_operator_downloads_its_attachment(
    operator: User, decision: LicenceDecision
) -> None:
    assert (
        _client(operator).get(f"/organisasi/keputusan/{decision.pk}/lampiran/").status_code == 200
    )


def test_another_organisations_operator_gets_404_for_an_attachment(
    decision: LicenceDecision,
) -> None:
    stranger = UserFactory(role=Role.SENDER_OPERATOR)
    url = f"/organisasi/keputusan/{decision.pk}/lampiran/"
    assert _client(stranger).get(url).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in_for_an_attachment(
    decision: LicenceDecision,
) -> None:
    url = f"/organisasi/keputusan/{decision.pk}/lampiran/"
    response = _client(None).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/")
    assert "next=" in response["Location"]


@pytest.mark.parametrize("role", [Role.PROVINCIAL_OFFICER, Role.TRAINING_OPERATOR, Role.PARTNER])
def test_other_roles_may_not_download_attachments(role: Role, decision: LicenceDecision) -> None:
    user = UserFactory(role=role)
    assert _client(user).get(f"/organisasi/keputusan/{decision.pk}/lampiran/").status_code == 403


# --- what the public sees -------------------------------------------------------------


def _public_label(body: str) -> str:
    import re

    found = re.search(r'data-testid="(?:public|register)-status">([^<]+)<', body)
    assert found, "no public status on the page"
    return found.group(1).strip()


@pytest.mark.parametrize(
    "status",
    [
        LicenceStatus.DRAFT,
        LicenceStatus.SUBMITTED,
        LicenceStatus.UNDER_REVIEW,
        LicenceStatus.REJECTED,
    ],
)
def test_an_application_is_not_licensed_on_the_licence_page_as_on_the_register(
    officer: User, lpk: Organisation, licence_in: Callable[..., Licence], status: LicenceStatus
) -> None:
    licence = licence_in(status)
    page = _client(officer).get(f"/organisasi/izin/{licence.pk}/").content.decode()
    register = _client(None).get(f"/daftar-lpk/{lpk.pk}/").content.decode()
    assert _public_label(page) == "Not licensed"
    assert _public_label(register) == "Not licensed"


def test_an_application_beside_a_licence_in_force_shows_what_the_register_shows(
    officer: User, lpk: Organisation, licence_in: Callable[..., Licence]
) -> None:
    licence_in(LicenceStatus.ACTIVE)
    renewal_draft = licence_in(LicenceStatus.DRAFT)
    page = _client(officer).get(f"/organisasi/izin/{renewal_draft.pk}/").content.decode()
    register = _client(None).get(f"/daftar-lpk/{lpk.pk}/").content.decode()
    assert _public_label(page) == _public_label(register) == "Licensed"


@pytest.mark.parametrize(
    ("status", "tone"),
    [
        (LicenceStatus.ACTIVE, "success"),
        (LicenceStatus.SUSPENDED, "warning"),
        (LicenceStatus.REVOKED, "danger"),
        (LicenceStatus.EXPIRED, "neutral"),
    ],
)
def test_statuses_carry_a_badge_whose_colour_means_something(
    officer: User,
    lpk: Organisation,
    licence_in: Callable[..., Licence],
    status: LicenceStatus,
    tone: str,
) -> None:
    licence = licence_in(status)
    for body in (
        _client(officer).get(f"/organisasi/izin/{licence.pk}/").content.decode(),
        _client(None).get(f"/daftar-lpk/{lpk.pk}/").content.decode(),
    ):
        assert f"tone-{tone}" in body
