"""The officers' pages: the list and its filters, triage through the page, the deadlines table."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jembatan.protection.models import CaseStatus, Severity

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
