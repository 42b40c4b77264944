"""The officers' pages: the list and its filters, triage, messages, files and referrals through
the pages, the deadlines table."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jembatan.core.models import AccessLog
from jembatan.core.tests.upload_samples import plain_pdf
from jembatan.protection.factories import make_case
from jembatan.protection.models import (
    CaseStatus,
    EventKind,
    Referral,
    ReferralKind,
    Severity,
)

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_list_shows_the_provinces_cases_and_filters_them(case, provincial_officer):
    client = _client(provincial_officer)

    listed = client.get(reverse("protection:list"))
    filtered = client.get(reverse("protection:list"), {"status": "closed"})
    mine = client.get(reverse("protection:list"), {"mine": "on", "severity": "medium"})

    assert case.code in listed.text
    assert case.code not in filtered.text
    assert case.code in mine.text


def test_triage_through_the_page_records_severity_and_owner(case, provincial_officer):
    client = _client(provincial_officer)
    url = reverse("protection:act", args=[case.code, "triage"])

    page = client.get(url)
    response = client.post(url, {"severity": Severity.HIGH, "owner": provincial_officer.pk})

    assert page.status_code == 200
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.TRIAGED and case.severity == Severity.HIGH


def test_closing_without_what_was_done_shows_the_refusal_and_changes_nothing(
    case, provincial_officer
):
    client = _client(provincial_officer)
    client.post(
        reverse("protection:act", args=[case.code, "triage"]),
        {"severity": "low", "owner": provincial_officer.pk},
    )

    response = client.post(
        reverse("protection:act", args=[case.code, "close"]), {"outcome": "substantiated"}
    )

    assert response.status_code == 200 and "Say what was done." in response.text
    case.refresh_from_db()
    assert case.status == CaseStatus.TRIAGED


def test_an_unknown_action_answers_404(case, provincial_officer):
    response = _client(provincial_officer).get(reverse("protection:act", args=[case.code, "bury"]))

    assert response.status_code == 404


def test_the_deadlines_table_is_readable_by_officers(provincial_officer):
    response = _client(provincial_officer).get(reverse("protection:deadlines"))

    assert response.status_code == 200
    assert "2026-12" in response.text and "Sexual harassment" in response.text


def test_an_officer_opens_a_case_for_a_deployment_in_scope(
    siti_abroad, provincial_officer, officers
):
    response = _client(provincial_officer).post(
        reverse("protection:new"),
        {
            "category": "documents_retained",
            "description": "The company keeps her passport.",
            "deployment": siti_abroad.reference,
            "reporter_name": "Ibu Siti's mother",
        },
    )

    assert response.status_code == 302
    from jembatan.protection.models import Case

    case = Case.objects.get()
    assert case.deployment == siti_abroad and case.severity == Severity.HIGH
    assert case.reporter_name == "Ibu Siti's mother"


def test_the_api_triages_and_closes_with_409_on_a_refused_move(case, provincial_officer):
    client = _client(provincial_officer)
    base = f"/api/v1/protection/cases/{case.code}"

    closed_early = client.post(
        f"{base}/close", {"outcome": "partly", "action_taken": "x"}, content_type="application/json"
    )
    triaged = client.post(
        f"{base}/triage",
        {"severity": "high", "owner_id": provincial_officer.pk},
        content_type="application/json",
    )
    closed = client.post(
        f"{base}/close",
        {"outcome": "partly", "action_taken": "Half the wages paid."},
        content_type="application/json",
    )

    assert closed_early.status_code == 409
    assert triaged.status_code == 200 and triaged.json()["severity"] == "high"
    assert closed.status_code == 200 and closed.json()["outcome"] == "partly"
    assert closed.json()["reporter_contact"] == "friend@example.org"


def test_the_home_page_counts_the_overdue_cases_of_the_officer(
    case, provincial_officer, other_provincial_officer
):
    from jembatan.protection.models import Case

    Case.objects.filter(pk=case.pk).update(first_response_due=case.reported_at)

    mine = _client(provincial_officer).get("/")
    theirs = _client(other_provincial_officer).get("/")

    tasks = {str(t.label): t.count for t in mine.context["tasks"]}
    other = {str(t.label): t.count for t in theirs.context["tasks"]}
    assert tasks["Protection cases past their deadline"] == 1
    assert other["Protection cases past their deadline"] == 0


def test_the_timeline_names_statuses_in_words_not_codes(case, provincial_officer):
    client = _client(provincial_officer)
    client.post(
        reverse("protection:act", args=[case.code, "triage"]),
        {"severity": "high", "owner": provincial_officer.pk},
    )

    page = client.get(reverse("protection:detail", args=[case.code]))

    assert "Reported → Triaged" in page.text
    assert "reported → triaged" not in page.text


def _triaged(client: Client, case, officer) -> None:
    client.post(
        reverse("protection:act", args=[case.code, "triage"]),
        {"severity": "high", "owner": officer.pk},
    )


def test_a_note_through_the_page_is_internal_and_says_it_is_on_the_timeline(
    case, provincial_officer
):
    client = _client(provincial_officer)
    url = reverse("protection:message", args=[case.code])

    page = client.get(url)
    response = client.post(url, {"message": "Called the partner."}, follow=True)

    assert page.status_code == 200 and "Message or internal note" in page.text
    assert ">Send<" in page.text
    assert response.redirect_chain == [(reverse("protection:detail", args=[case.code]), 302)]
    assert "The message is on the timeline." in response.text
    line = case.events.last()
    assert line.kind == EventKind.NOTE and not line.public
    assert line.message == "Called the partner."
    assert AccessLog.objects.filter(purpose="protection.message").count() == 1


def test_a_message_too_long_shows_the_services_refusal_and_writes_nothing(case, provincial_officer):
    client = _client(provincial_officer)
    lines = case.events.count()

    response = client.post(
        reverse("protection:message", args=[case.code]), {"message": "x" * 10_001, "public": "on"}
    )

    assert response.status_code == 200 and "Write at most 10000 characters." in response.text
    assert case.events.count() == lines


def test_a_file_through_the_page_is_added_internal_unless_shown(case, provincial_officer):
    client = _client(provincial_officer)
    url = reverse("protection:attach", args=[case.code])
    upload = SimpleUploadedFile("slip.pdf", plain_pdf(), content_type="application/pdf")

    page = client.get(url)
    response = client.post(url, {"file": upload}, follow=True)

    assert page.status_code == 200 and "Add a file" in page.text and ">Upload<" in page.text
    assert "The file is added." in response.text
    attachment = case.attachments.get()
    assert not attachment.public and not attachment.from_reporter
    assert attachment.uploaded_by == provincial_officer


def test_a_referral_through_the_page_goes_to_the_cases_partner_and_its_answer_is_recorded(
    case, provincial_officer
):
    client = _client(provincial_officer)
    _triaged(client, case, provincial_officer)
    due = timezone.localdate() + dt.timedelta(days=7)

    page = client.get(reverse("protection:refer", args=[case.code]))
    referred = client.post(
        reverse("protection:refer", args=[case.code]),
        {"kind": "partner", "request": "Check the payslips.", "due_on": due.isoformat()},
        follow=True,
    )
    referral = case.referrals.get()
    answer_url = reverse("protection:referral_answer", args=[case.code, referral.pk])
    answer_page = client.get(answer_url)
    answered = client.post(answer_url, {"answer": "Paid in full."}, follow=True)

    assert page.status_code == 200 and "Refer" in page.text and ">Save<" in page.text
    assert "The case is referred." in referred.text
    assert referral.organisation == case.partner and referral.recipient == case.partner.name
    assert answer_page.status_code == 200 and "Record the referral" in answer_page.text
    assert "The answer is recorded." in answered.text
    referral.refresh_from_db()
    case.refresh_from_db()
    assert referral.answer == "Paid in full." and case.status == CaseStatus.IN_PROGRESS


def test_a_referral_of_another_case_answers_404(case, provincial_officer, anonymous_report):
    other = make_case(province_id=case.province_id, level=case.level, status=CaseStatus.IN_PROGRESS)
    referral = Referral.objects.create(
        case=other,
        kind=ReferralKind.OTHER,
        recipient="OTIT",
        request="Inspect.",
        due_on=timezone.localdate(),
        referred_at=timezone.now(),
    )

    response = _client(provincial_officer).get(
        reverse("protection:referral_answer", args=[case.code, referral.pk])
    )

    assert response.status_code == 404
