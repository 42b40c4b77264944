"""case_anonymise: a case past its retention period keeps its figures and loses its people."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.core.models import AuditScrub, ChangeRecord
from jembatan.core.tests.upload_samples import plain_pdf
from jembatan.core.transitions import SYSTEM_ACTOR
from jembatan.deployment.models import Deployment
from jembatan.organisations.models import Organisation
from jembatan.organisations.workflows import LicenceAction
from jembatan.protection.errors import ProtectionErrorCode
from jembatan.protection.factories import make_case
from jembatan.protection.models import (
    Case,
    CaseAttachment,
    CaseCategory,
    CaseEvent,
    CaseStatus,
    Outcome,
    Referral,
    ReferralKind,
    ReporterKind,
    Severity,
)
from jembatan.protection.risk_selectors import risk_figures
from jembatan.protection.services.anonymisation import case_anonymise, cases_to_anonymise
from jembatan.protection.services.handling import (
    case_attach,
    case_close,
    case_message,
    case_triage,
)
from jembatan.protection.services.referrals import referral_answer, referral_create
from jembatan.protection.services.reporting import (
    ReportResult,
    case_report,
    case_reporter_message,
)
from jembatan.protection.services.sanctions import sanction_from_cases
from jembatan.protection.workflows import ANONYMOUS_REPORTER

pytestmark = pytest.mark.django_db
REASON = "UU PDP 27/2022 art. 43(1)(a) and 44(1)(c)"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def closed_case(anonymous_report: ReportResult, provincial_officer: User) -> Case:
    """The anonymous report with a file, a reply, an answered referral, closed as substantiated."""
    case = anonymous_report.case
    upload = SimpleUploadedFile("slip-siti.pdf", plain_pdf(), content_type="application/pdf")
    case_attach(case=case, upload=upload, acting_user=ANONYMOUS_REPORTER)
    case_triage(
        case=case,
        severity=Severity.MEDIUM,
        owner=provincial_officer,
        note="Siti's friend sounds worried.",
        acting_user=provincial_officer,
    )
    case_message(
        case=case, message="We called Siti's employer.", public=True, acting_user=provincial_officer
    )
    referral = referral_create(
        case=case,
        kind=ReferralKind.EMBASSY,
        mission_country="JP",
        request_text="Please visit Siti at her dormitory.",
        due_on=dt.date.today() + dt.timedelta(days=3),
        acting_user=provincial_officer,
    )
    referral_answer(
        referral=referral, answer="Visited; Siti is safe.", acting_user=provincial_officer
    )
    return case_close(
        case=case,
        acting_user=provincial_officer,
        outcome=Outcome.SUBSTANTIATED,
        action_taken="The employer paid Siti's wages.",
    )


def _kept(case: Case) -> dict[str, Any]:
    fields = ["code", "category", "severity", "status", "outcome", "level", "escalations"]
    fields += ["reported_at", "closed_at", "first_response_due", "resolution_due", "owner_id"]
    fields += ["sending_organisation_id", "host_company_id", "partner_id", "province_id"]
    return Case.objects.filter(pk=case.pk).values(*fields).get()


def test_the_narrative_and_the_people_go_and_the_figures_stay(
    closed_case: Case, django_capture_on_commit_callbacks: Any
) -> None:
    kept = _kept(closed_case)
    events = list(CaseEvent.objects.filter(case=closed_case).values_list("kind", "at", "to_status"))

    with django_capture_on_commit_callbacks(execute=True):
        case_anonymise(case=closed_case, acting_user=SYSTEM_ACTOR, reason=REASON)

    case = Case.objects.get(pk=closed_case.pk)
    assert _kept(case) == kept
    assert (case.description, case.action_taken) == ("—", "—")
    assert (case.reporter_name, case.reporter_contact, case.secret_hash) == ("", "", "")
    assert (case.participant_id, case.deployment_id, case.reporter_id) == (None, None, None)
    assert case.is_anonymised and not case.secret_matches("anything")
    assert set(CaseEvent.objects.filter(case=case).values_list("message", flat=True)) == {""}
    assert list(CaseEvent.objects.filter(case=case).values_list("kind", "at", "to_status")) == (
        events
    )
    referral = Referral.objects.get(case=case)
    assert (referral.request, referral.answer) == ("—", "—")
    assert referral.recipient.startswith("Kedutaan Besar")
    record = ChangeRecord.objects.get(operation="protection.case_anonymise")
    assert record.actor_label == SYSTEM_ACTOR and record.reason == REASON
    assert record.changes["files"] == {"before": 1, "after": 0}
    assert "Siti" not in str(record.changes)


def test_the_files_are_gone_from_storage_and_their_names_from_the_history(
    closed_case: Case, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    attachment = CaseAttachment.objects.get(case=closed_case)
    stored = Path(attachment.file.path)
    assert stored.exists()

    with django_capture_on_commit_callbacks(execute=True):
        case_anonymise(case=closed_case, acting_user=SYSTEM_ACTOR, reason=REASON)

    attachment.refresh_from_db()
    assert not stored.exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []
    assert (attachment.file.name, attachment.original_name, attachment.sha256) == ("", "•••", "")
    assert (attachment.content_type, attachment.size) == ("application/pdf", len(plain_pdf()))
    attached = ChangeRecord.objects.get(operation="protection.case_attach")
    assert "slip-siti" not in str(attached.changes) + attached.object_repr
    assert AuditScrub.objects.filter(object_id=str(attachment.pk)).exists()


def test_the_reporters_own_lines_no_longer_name_them(
    participant_user: User, siti_abroad: Deployment, officers: None, provincial_officer: User
) -> None:
    case = case_report(
        reporter_kind=ReporterKind.APPRENTICE,
        category=CaseCategory.DOCUMENTS_RETAINED,
        description="The company keeps my passport in its safe.",
        reporter_name="Siti Rahayu",
        acting_user=participant_user,
    ).case
    case_reporter_message(case=case, message="They still have it.", acting_user=participant_user)
    case_triage(
        case=case, severity=Severity.HIGH, owner=provincial_officer, acting_user=provincial_officer
    )
    case_close(
        case=case, acting_user=provincial_officer, outcome=Outcome.PARTLY, action_taken="Returned."
    )

    case_anonymise(case=case, acting_user=SYSTEM_ACTOR, reason=REASON)

    lines = CaseEvent.objects.filter(case=case)
    assert not lines.filter(by=participant_user).exists()
    assert participant_user.username not in set(lines.values_list("by_label", flat=True))
    assert Case.objects.get(pk=case.pk).reporter_id is None


def test_an_open_case_is_refused_and_changes_nothing(case: Case) -> None:
    before = Case.objects.filter(pk=case.pk).values().get()

    with pytest.raises(ValidationError) as refused:
        case_anonymise(case=case, acting_user=SYSTEM_ACTOR, reason=REASON)

    assert refused.value.code == ProtectionErrorCode.CASE_NOT_FINISHED
    assert Case.objects.filter(pk=case.pk).values().get() == before
    assert not ChangeRecord.objects.filter(operation="protection.case_anonymise").exists()


def test_a_second_anonymisation_is_refused(closed_case: Case) -> None:
    case_anonymise(case=closed_case, acting_user=SYSTEM_ACTOR, reason=REASON)

    with pytest.raises(ValidationError) as refused:
        case_anonymise(case=closed_case, acting_user=SYSTEM_ACTOR, reason=REASON)

    assert refused.value.code == ProtectionErrorCode.CASE_ANONYMISED
    assert ChangeRecord.objects.filter(operation="protection.case_anonymise").count() == 1


def test_nothing_can_be_added_to_an_anonymised_case(
    closed_case: Case,
    provincial_officer: User,
    media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case_anonymise(case=closed_case, acting_user=SYSTEM_ACTOR, reason=REASON)
    lines = CaseEvent.objects.count()
    upload = SimpleUploadedFile("new.pdf", plain_pdf(), content_type="application/pdf")

    with pytest.raises(ValidationError) as message:
        case_message(case=closed_case, message="x", public=False, acting_user=provincial_officer)
    with pytest.raises(ValidationError) as attach:
        case_attach(case=closed_case, upload=upload, acting_user=provincial_officer)

    assert message.value.code == attach.value.code == ProtectionErrorCode.CASE_ANONYMISED
    assert CaseEvent.objects.count() == lines
    assert CaseAttachment.objects.filter(case=closed_case).count() == 1
    assert [p for p in media.rglob("*") if p.is_file()] == []


def test_only_finished_cases_closed_before_the_cutoff_are_due(lpk_a: Organisation) -> None:
    now = timezone.now()
    old = make_case(status=CaseStatus.CLOSED, reported_at=now - dt.timedelta(days=4000))
    withdrawn = make_case(status=CaseStatus.WITHDRAWN, reported_at=now - dt.timedelta(days=4000))
    make_case(status=CaseStatus.CLOSED, reported_at=now - dt.timedelta(days=10))
    make_case(status=CaseStatus.IN_PROGRESS, reported_at=now - dt.timedelta(days=4000))

    due = cases_to_anonymise(closed_before=now - dt.timedelta(days=3653))

    assert sorted(due.values_list("pk", flat=True)) == sorted([old.pk, withdrawn.pk])


def test_the_risk_figures_are_the_same_after_anonymisation(lpk_a: Organisation) -> None:
    today = timezone.localdate()
    found = make_case(
        sending_organisation=lpk_a,
        category=CaseCategory.HOUSING,
        status=CaseStatus.CLOSED,
        outcome=Outcome.SUBSTANTIATED,
    )
    make_case(sending_organisation=lpk_a, category=CaseCategory.VIOLENCE)
    before = risk_figures([lpk_a], today=today)

    case_anonymise(case=found, acting_user=SYSTEM_ACTOR, reason=REASON)

    assert risk_figures([lpk_a], today=today) == before
    assert before[0].substantiated_by_category == {"housing": 1}


def test_a_licence_decision_still_lists_the_anonymised_case_it_cited(
    lpk_a: Organisation, national_officer: User, client: Client
) -> None:
    found = make_case(
        sending_organisation=lpk_a,
        category=CaseCategory.HOUSING,
        status=CaseStatus.CLOSED,
        outcome=Outcome.SUBSTANTIATED,
    )
    decision = sanction_from_cases(
        licence=lpk_a.licences.get(),
        action=LicenceAction.WARN,
        cases=[found],
        data={"reason": "Unsafe housing found by the ministry."},
        acting_user=national_officer,
    )
    case_anonymise(case=found, acting_user=SYSTEM_ACTOR, reason=REASON)
    client.force_login(national_officer)

    page = client.get(reverse("risk:decision", kwargs={"decision_pk": decision.pk}))
    detail = client.get(reverse("protection:detail", kwargs={"code": found.code}))

    assert page.status_code == 200 and detail.status_code == 200
    assert found.code in page.content.decode() and "Housing" in page.content.decode()
    assert 'data-testid="anonymised"' in detail.content.decode()
    assert 'data-testid="act-' not in detail.content.decode()


def test_a_removed_file_is_no_longer_served(
    closed_case: Case, national_admin: User, client: Client
) -> None:
    attachment = CaseAttachment.objects.get(case=closed_case)
    url = reverse("protection:attachment", kwargs={"code": closed_case.code, "pk": attachment.pk})
    case_anonymise(case=closed_case, acting_user=SYSTEM_ACTOR, reason=REASON)
    client.force_login(national_admin)

    assert client.get(url).status_code == 404


def test_the_api_shows_the_anonymisation_and_refuses_a_note_with_409(
    closed_case: Case, provincial_officer: User, client: Client
) -> None:
    case_anonymise(case=closed_case, acting_user=SYSTEM_ACTOR, reason=REASON)
    client.force_login(provincial_officer)
    base = f"/api/v1/protection/cases/{closed_case.code}"

    detail = client.get(base)
    note = client.post(
        f"{base}/messages", {"message": "One more thing."}, content_type="application/json"
    )

    assert detail.status_code == 200 and detail.json()["anonymised_at"] is not None
    assert (detail.json()["description"], detail.json()["reporter_contact"]) == ("—", "")
    assert note.status_code == 409
