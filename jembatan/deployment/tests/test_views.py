"""The deployment pages: a departure refused with its gates then confirmed, the stay's moves,
the overdue list, the manifest, the apprentice's check-in and whom to call."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from jembatan.accounts.models import User
from jembatan.core.models import AccessLog
from jembatan.demand.models import Placement
from jembatan.deployment.factories import HostCompanyFactory, SupervisorFactory, abroad
from jembatan.deployment.models import (
    Deployment,
    DeploymentStatus,
    MonitoringReport,
    PreDepartureStep,
    StepKind,
)
from jembatan.organisations.models import ContactPerson, Organisation
from jembatan.participants.models import JourneyStatus, Participant

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _text(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def test_a_departure_page_lists_the_unmet_gates_and_a_refused_confirmation_says_each(
    deployment: Deployment, sender_operator: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(sender_operator)
    url = reverse("deployment:depart", args=[deployment.pk])

    page = _text(client.get(url))
    assert 'data-testid="gate-identity"' in page and "Not met" in page

    response = client.post(url, {"departed_on": TODAY.isoformat()})

    assert response.status_code == 200
    body = _text(response)
    assert "Identity verified: An officer has not verified" in body
    assert "Flight booked: No flight is recorded." in body
    assert Deployment.objects.get(pk=deployment.pk).status == DeploymentStatus.PREPARING


def test_a_ready_departure_is_confirmed_on_the_page(
    ready: Deployment, sender_operator: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(sender_operator).post(
        reverse("deployment:depart", args=[ready.pk]), {"departed_on": TODAY.isoformat()}
    )

    assert response.status_code == 302
    assert Deployment.objects.get(pk=ready.pk).status == DeploymentStatus.DEPARTED
    assert Participant.objects.get(pk=ready.participant_id).status == JourneyStatus.DEPARTED


def test_preparing_a_placement_from_the_page(
    participant_jateng: Participant,
    fee_rule: object,
    sender_operator: User,
    client_for: Callable[[User], Client],
) -> None:
    from jembatan.demand.factories import JobOrderFactory

    placement = Placement.objects.create(
        job_order=JobOrderFactory(partner=participant_jateng.partner, approved=True),
        participant=participant_jateng,
        status="confirmed",
    )
    client = client_for(sender_operator)
    assert f"prepare-{placement.pk}" in _text(client.get(reverse("deployment:to_prepare")))
    host, supervisor = HostCompanyFactory(name="Mito Greens K.K."), SupervisorFactory()

    response = client.post(
        reverse("deployment:create", args=[placement.pk]),
        {
            "host_company": host.pk,
            "host_prefecture": "Ibaraki",
            "host_address": "4-5-6 Mito",
            "host_contact_name": "Sato Ken",
            "host_contact_phone": "+81 29 111 1111",
            "supervising_organisation": supervisor.pk,
            "planned_departure": (TODAY + dt.timedelta(days=40)).isoformat(),
            "planned_months": 36,
        },
    )

    deployment = Deployment.objects.get(placement=placement)
    assert response["Location"] == reverse("deployment:detail", args=[deployment.pk])
    assert deployment.host_company == host


def test_a_contract_below_the_job_orders_wage_is_refused_beside_the_wage(
    deployment: Deployment, sender_operator: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(sender_operator).post(
        reverse("deployment:contract", args=[deployment.pk]),
        {
            "signed_on": TODAY.isoformat(),
            "starts_on": (TODAY + dt.timedelta(days=30)).isoformat(),
            "months": 36,
            "wage_amount": "150000",
            "wage_currency": "JPY",
            "wage_period": "month",
            "weekly_hours": 40,
            "fee-TOTAL_FORMS": "0",
            "fee-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert 'id="id_wage_amount_error"' in _text(response)
    assert "is below the 200,000.00 JPY job order" in _text(response)


def test_a_passport_expiring_too_soon_is_refused_on_its_page(
    ready: Deployment, sender_operator: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(sender_operator).post(
        reverse("deployment:step", args=[ready.pk, "passport"]),
        {"done_on": TODAY.isoformat(), "reference": "C7654321", "expires_on": TODAY.isoformat()},
    )

    assert "before the contract ends on" in _text(response)
    assert (
        PreDepartureStep.objects.get(deployment=ready, kind=StepKind.PASSPORT).reference
        == "C1234567"
    )


def test_an_arrival_in_the_future_is_refused_on_the_page(
    ready: Deployment, partner_user: User, client_for: Callable[[User], Client]
) -> None:
    abroad(ready, departed_on=TODAY)

    response = client_for(partner_user).post(
        reverse("deployment:arrive", args=[ready.pk]),
        {"arrived_on": (TODAY + dt.timedelta(days=3)).isoformat()},
    )

    assert "An arrival cannot be in the future" in _text(response)
    assert Deployment.objects.get(pk=ready.pk).status == DeploymentStatus.DEPARTED


def test_an_early_return_on_the_page_needs_its_reason(
    ready: Deployment, sender_operator: User, client_for: Callable[[User], Client]
) -> None:
    abroad(ready, departed_on=TODAY - dt.timedelta(days=5), arrived_on=TODAY - dt.timedelta(days=4))
    url = reverse("deployment:move", args=[ready.pk, "return_early"])
    client = client_for(sender_operator)

    refused = client.post(url, {"on": TODAY.isoformat(), "reason": "Went home."})
    assert "Choose why the apprentice returned early." in _text(refused)

    client.post(url, {"on": TODAY.isoformat(), "reason": "Injured hand.", "reason_code": "illness"})
    assert Deployment.objects.get(pk=ready.pk).status == DeploymentStatus.RETURNED_EARLY


def test_an_unknown_move_is_not_found(
    ready: Deployment, sender_operator: User, client_for: Callable[[User], Client]
) -> None:
    url = reverse("deployment:move", args=[ready.pk, "depart"])

    assert client_for(sender_operator).get(url).status_code == 404


def test_a_deployment_out_of_scope_is_not_found_and_in_scope_reads_are_logged(
    ready: Deployment,
    other_sender_operator: User,
    partner_user: User,
    client_for: Callable[[User], Client],
) -> None:
    url = reverse("deployment:detail", args=[ready.pk])

    assert client_for(other_sender_operator).get(url).status_code == 404
    page = client_for(partner_user).get(url)

    assert "Siti Rahayu" in _text(page)
    log = AccessLog.objects.get(purpose="deployment.detail")
    assert log.object_id == str(ready.participant_id)


def test_the_overdue_page_shows_who_has_gone_silent(
    ready: Deployment, national_officer: User, client_for: Callable[[User], Client]
) -> None:
    abroad(
        ready, departed_on=TODAY - dt.timedelta(days=70), arrived_on=TODAY - dt.timedelta(days=70)
    )

    page = _text(client_for(national_officer).get(reverse("deployment:overdue")))

    assert "Siti Rahayu" in page
    assert "Apprentice&#x27;s check-in" in page or "Apprentice's check-in" in page


def test_the_manifest_of_a_flight_as_pdf_and_xlsx(
    ready: Deployment, national_officer: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(national_officer)
    assert "GA874" in _text(client.get(reverse("deployment:flights")))

    pdf = client.get(reverse("deployment:manifest_pdf", args=["GA874", TODAY.isoformat()]))
    xlsx = client.get(reverse("deployment:manifest_xlsx", args=["GA874", TODAY.isoformat()]))

    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[1][:5] == ("No.", "Name", "Sex", "Date of birth", "Passport")
    assert rows[2][1] == "Siti Rahayu" and rows[2][4] == "C1234567"


def test_a_partner_without_a_transfer_sees_a_masked_passport_in_the_manifest(
    ready: Deployment, partner_user: User, client_for: Callable[[User], Client]
) -> None:
    xlsx = client_for(partner_user).get(
        reverse("deployment:manifest_xlsx", args=["GA874", TODAY.isoformat()])
    )

    row = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))[2]  # type: ignore[union-attr]
    assert row[4] == "••••••••" and row[3].startswith("age ")


def test_a_manifest_of_a_flight_nobody_in_scope_took_is_not_found(
    ready: Deployment, other_sender_operator: User, client_for: Callable[[User], Client]
) -> None:
    url = reverse("deployment:manifest_pdf", args=["GA874", TODAY.isoformat()])

    assert client_for(other_sender_operator).get(url).status_code == 404


# --- the apprentice's own pages -------------------------------------------------------


def test_the_apprentice_sees_their_stay_and_checks_in_in_japanese(
    ready: Deployment, participant_user: User, client_for: Callable[[User], Client]
) -> None:
    abroad(ready, departed_on=TODAY - dt.timedelta(days=5), arrived_on=TODAY - dt.timedelta(days=4))
    client = client_for(participant_user)
    assert 'data-testid="check-in-link"' in _text(client.get(reverse("deployment:mine")))

    form = _text(client.get(reverse("deployment:check_in") + "?bahasa=ja"))
    assert "最近の調子はどうですか。" in form

    response = client.post(
        reverse("deployment:check_in"),
        {"bahasa": "ja", "wellbeing": "well", "paid_in_full": "yes", "housing_safe": "yes"},
    )

    assert response["Location"] == reverse("deployment:mine")
    report = MonitoringReport.objects.get()
    assert (report.kind, report.language, report.paid_in_full) == ("check_in", "ja", True)


def test_a_check_in_saying_something_is_wrong_leads_to_whom_to_call(
    ready: Deployment,
    participant_user: User,
    lpk_a: Organisation,
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: object,
) -> None:
    abroad(ready, departed_on=TODAY - dt.timedelta(days=5), arrived_on=TODAY - dt.timedelta(days=4))
    ContactPerson.objects.create(organisation=lpk_a, name="Dewi Kartika", phone="+62 24 555 0101")
    Organisation.objects.filter(pk=lpk_a.pk).update(email="info@lpk-a.example")
    client = client_for(participant_user)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(
            reverse("deployment:check_in"), {"wellbeing": "wrong", "note": "Gaji belum dibayar."}
        )
    page = _text(client.get(response["Location"]))

    assert response["Location"] == reverse("deployment:help") + "?laporan=1"
    assert "your sending organisation has been told" in page
    assert "Dewi Kartika" in page and "+62 24 555 0101" in page
    assert "Embassy of the Republic of Indonesia in Tokyo" in page
    assert "+81 80 4940 7419" in page
    assert [m.to for m in mail.outbox] == [["info@lpk-a.example"]]


def test_the_participants_page_shows_where_they_are_in_the_stay(
    ready: Deployment, national_officer: User, client_for: Callable[[User], Client]
) -> None:
    abroad(ready, departed_on=TODAY - dt.timedelta(days=5), arrived_on=TODAY - dt.timedelta(days=4))
    ready.stages.create(
        sequence=1,
        code="lectures",
        name_en="Arrival lectures (kōshū)",
        name_id="Kuliah awal",
        due_on=TODAY + dt.timedelta(days=26),
    )

    page = _text(
        client_for(national_officer).get(
            reverse("participants:detail", args=[ready.participant_id])
        )
    )

    assert 'data-testid="stay-summary"' in page
    assert "Arrival lectures (kōshū)" in page


def test_a_participant_without_a_deployment_is_told_it_is_not_prepared_yet(
    participant_user: User, client_for: Callable[[User], Client]
) -> None:
    page = _text(client_for(participant_user).get(reverse("deployment:mine")))

    assert "Your departure is not being prepared yet." in page
    assert client_for(participant_user).get(reverse("deployment:check_in")).status_code == 404


def test_the_placements_to_prepare_page_by_keyset_without_overlap(
    national_officer: User,
    client_for: Callable[[User], Client],
    django_assert_max_num_queries: Any,
) -> None:
    from jembatan.demand.factories import JobOrderFactory
    from jembatan.participants.factories import ParticipantFactory

    job_order = JobOrderFactory(approved=True)
    Placement.objects.bulk_create(
        Placement(job_order=job_order, participant=person, status="confirmed")
        for person in ParticipantFactory.create_batch(60)
    )
    client = client_for(national_officer)

    with django_assert_max_num_queries(12):
        first = _text(client.get(reverse("deployment:to_prepare")))
    after = re.search(r'href="\?after=(\d+)"', first)
    assert after is not None
    second = _text(client.get(reverse("deployment:to_prepare"), {"after": after.group(1)}))

    newest_first = list(Placement.objects.order_by("-pk").values_list("pk", flat=True))
    assert _prepare_links(first) == newest_first[:50]
    assert _prepare_links(second) == newest_first[50:]
    assert 'href="?after=' not in second
    # a list of people: each page read is in the access log
    reads = AccessLog.objects.filter(actor=national_officer, purpose="deployment.to_prepare")
    assert reads.count() == 2


def _prepare_links(text: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-testid="prepare-(\d+)"', text)]
