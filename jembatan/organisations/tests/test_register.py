"""The public register: search, statuses in plain words, sanctions, CSV, no personal data."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from jembatan.accounts.factories import UserFactory
from jembatan.core.roles import Role
from jembatan.organisations.models import Licence, LicenceStatus, Organisation, OrganisationKind
from jembatan.organisations.register import register_page, spreadsheet_safe
from jembatan.organisations.services import licence_sanctions, organisations

from .conftest import pdf

pytestmark = pytest.mark.django_db


def _client() -> Client:
    """An anonymous visitor reading English (the source language of the messages)."""
    return Client(headers={"accept-language": "en"})


@pytest.fixture
def officer(db: None) -> Any:
    return UserFactory(username="oki", role=Role.NATIONAL_OFFICER)


@pytest.fixture
def warned(
    licence_in: Callable[..., Licence], officer: Any, lpk: Organisation, media: Any
) -> Licence:
    """LPK Harapan Bangsa, licensed, with a published warning and an unpublished one."""
    licence = licence_in(LicenceStatus.ACTIVE)
    licence_sanctions.licence_warn(
        licence=licence,
        reason="Trainees were charged a placement fee above the limit.",
        acting_user=officer,
        published=True,
        attachment=pdf(),
    )
    licence_sanctions.licence_warn(
        licence=licence, reason="Internal note: late report.", acting_user=officer
    )
    operator = UserFactory(
        username="sari", role=Role.SENDER_OPERATOR, organisation=lpk, full_name="Sari Wulandari"
    )
    organisations.contact_add(
        organisation=lpk, acting_user=operator, name="Dewi Kartika", email="dewi@harapan.id"
    )
    return licence


def test_an_anonymous_visitor_finds_an_organisation_by_name(warned: Licence) -> None:
    response = _client().get("/daftar-lpk/", {"q": "harapan"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "LPK Harapan Bangsa" in body
    assert "KEP.77/LN/2025" in body
    assert 'data-testid="register-status">Licensed<' in body
    assert "Trainees were charged a placement fee above the limit." in body


def test_an_anonymous_visitor_finds_an_organisation_by_licence_number(warned: Licence) -> None:
    body = _client().get("/daftar-lpk/", {"q": "kep.77"}).content.decode()
    assert "LPK Harapan Bangsa" in body


def test_the_register_shows_no_personal_data_and_no_private_decisions(warned: Licence) -> None:
    body = _client().get("/daftar-lpk/", {"q": "harapan"}).content.decode()
    detail = _client().get(f"/daftar-lpk/{warned.organisation_id}/").content.decode()
    for page in (body, detail):
        for private in ("Sari", "sari", "Dewi", "dewi@harapan.id", "Internal note", "oki"):
            assert private not in page
        assert "/lampiran/" not in page  # the attachment was not made public


def test_every_status_is_explained_in_plain_words(db: None) -> None:
    body = _client().get("/daftar-lpk/").content.decode()
    for label in ("Licensed", "Suspended", "Revoked", "Expired", "Not licensed"):
        assert f">{label}</span>" in body
    assert "Do not pay it any fee meanwhile." in body


def test_an_unknown_name_warns_the_visitor(db: None) -> None:
    body = _client().get("/daftar-lpk/", {"q": "Agen Palsu"}).content.decode()
    assert "No organisation matches your search." in body
    assert "has no licence from Kemnaker" in body


def test_the_province_filter_narrows_the_list(
    licence_in: Callable[..., Licence], lpk: Organisation
) -> None:
    licence_in(LicenceStatus.ACTIVE)
    Organisation.objects.create(
        name="LPK Surabaya Jaya", kind=OrganisationKind.LPK, province_id="35"
    )
    body = _client().get("/daftar-lpk/", {"province": "35"}).content.decode()
    assert "LPK Surabaya Jaya" in body
    assert "LPK Harapan Bangsa" not in body


def test_partners_and_training_centres_are_not_in_the_register(db: None) -> None:
    Organisation.objects.create(name="BLK Semarang", kind=OrganisationKind.BLK)
    Organisation.objects.create(name="IM Japan", kind=OrganisationKind.PARTNER, country_id="JP")
    body = _client().get("/daftar-lpk/").content.decode()
    assert "BLK Semarang" not in body
    assert "IM Japan" not in body


@pytest.mark.parametrize(
    ("status", "fields", "label"),
    [
        (LicenceStatus.ACTIVE, {}, "Licensed"),
        (LicenceStatus.RENEWAL, {}, "Licensed (renewal in progress)"),
        (LicenceStatus.SUSPENDED, {}, "Suspended"),
        (LicenceStatus.REVOKED, {}, "Revoked"),
        (LicenceStatus.EXPIRED, {}, "Expired"),
        (
            LicenceStatus.ACTIVE,
            {"valid_to": dt.date(2020, 1, 1), "valid_from": dt.date(2019, 1, 1)},
            "Expired",
        ),
        (
            LicenceStatus.GRANTED,
            {"valid_from": dt.date(2099, 1, 1), "valid_to": dt.date(2100, 1, 1)},
            "Licensed from a later date",
        ),
        (LicenceStatus.SUBMITTED, {}, "Not licensed"),
        (LicenceStatus.REJECTED, {}, "Not licensed"),
    ],
)
def test_each_licence_status_has_its_public_name(
    status: LicenceStatus,
    fields: dict[str, Any],
    label: str,
    licence_in: Callable[..., Licence],
) -> None:
    licence_in(status, **fields)
    (row,) = register_page().rows
    assert str(row.status.label) == label


def test_a_partial_suspension_shows_its_scope(
    licence_in: Callable[..., Licence], officer: Any
) -> None:
    licence = licence_in(LicenceStatus.ACTIVE)
    licence_sanctions.licence_suspend(
        licence=licence, reason="Complaints.", acting_user=officer, countries=["JP"], published=True
    )
    body = _client().get("/daftar-lpk/").content.decode()
    assert ">Partly suspended</span>" in body
    assert "destinations: Japan" in body


def test_a_public_attachment_of_a_published_decision_can_be_downloaded(
    licence_in: Callable[..., Licence], officer: Any, media: Any
) -> None:
    decision = licence_sanctions.licence_revoke(
        licence=licence_in(LicenceStatus.ACTIVE),
        reason="Fees charged.",
        bar_until=timezone.localdate() + dt.timedelta(days=365),
        acting_user=officer,
        published=True,
        attachment=pdf(),
        attachment_public=True,
    )
    body = _client().get("/daftar-lpk/").content.decode()
    assert f"/daftar-lpk/keputusan/{decision.pk}/lampiran/" in body
    response = _client().get(f"/daftar-lpk/keputusan/{decision.pk}/lampiran/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_private_attachment_is_not_served_publicly(warned: Licence) -> None:
    decision = warned.decisions.get(published=True)
    assert _client().get(f"/daftar-lpk/keputusan/{decision.pk}/lampiran/").status_code == 404


def test_htmx_gets_only_the_results(warned: Licence) -> None:
    body = _client().get("/daftar-lpk/", {"q": "harapan"}, HTTP_HX_REQUEST="true").content.decode()
    assert body.lstrip().startswith('<div id="register-results"')
    assert "<html" not in body


def test_pages_follow_by_keyset_in_name_order(db: None, django_assert_max_num_queries: Any) -> None:
    Organisation.objects.bulk_create(
        Organisation(name=f"LPK {i:03d}", kind=OrganisationKind.LPK) for i in range(120)
    )
    seen: list[str] = []
    after = None
    for _page in range(3):
        with django_assert_max_num_queries(4):
            page = register_page(after=after)
        seen += [row.organisation.name for row in page.rows]
        after = page.next_cursor
    assert seen == [f"LPK {i:03d}" for i in range(120)]
    assert after is None


def test_a_malformed_cursor_means_page_one(warned: Licence) -> None:
    response = _client().get("/daftar-lpk/", {"after": "not-a-cursor!"})
    assert response.status_code == 200
    assert "LPK Harapan Bangsa" in response.content.decode()


# --- CSV ----------------------------------------------------------------------------------


def _csv(response: Any) -> tuple[bytes, list[list[str]]]:
    raw = b"".join(response.streaming_content)
    return raw, list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_the_csv_has_a_bom_a_header_and_the_same_filters(warned: Licence) -> None:
    Organisation.objects.create(name="LPK Lain", kind=OrganisationKind.LPK)
    response = _client().get("/daftar-lpk/unduh.csv", {"q": "harapan"})
    raw, rows = _csv(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert raw.startswith(b"\xef\xbb\xbf")
    assert rows[0] == [
        "Name",
        "Kind",
        "Province",
        "Regency/city",
        "Licence number",
        "Status",
        "Valid from",
        "Valid until",
        "Published sanctions",
    ]
    assert len(rows) == 2
    name, kind, province, _region, number, status, *_dates, sanctions = rows[1]
    assert (name, kind, province, number, status) == (
        "LPK Harapan Bangsa",
        "Private training institute (LPK)",
        "Jawa Tengah",
        "KEP.77/LN/2025",
        "Licensed",
    )
    assert sanctions.endswith(
        "Written warning: Trainees were charged a placement fee above the limit."
    )
    assert "Internal note" not in raw.decode("utf-8-sig")


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_could_be_formulas_are_escaped(start: str, db: None) -> None:
    Organisation.objects.create(name=f"{start}HYPERLINK(1)", kind=OrganisationKind.LPK)
    _raw, rows = _csv(_client().get("/daftar-lpk/unduh.csv"))
    assert rows[1][0] == f"'{start}HYPERLINK(1)"


def test_spreadsheet_safe_leaves_ordinary_text_alone() -> None:
    assert [spreadsheet_safe(v) for v in ("LPK A", "", None, 12, "a=b")] == [
        "LPK A",
        "",
        "",
        "12",
        "a=b",
    ]
