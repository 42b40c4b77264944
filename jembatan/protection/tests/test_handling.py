"""The officers' moves: triage, questions, referrals (and their overdue answers), outcomes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jembatan.core.models import ChangeRecord
from jembatan.core.tests.upload_samples import plain_pdf
from jembatan.protection import selectors
from jembatan.protection.deadlines import deadline_for
from jembatan.protection.errors import ProtectionErrorCode
from jembatan.protection.models import (
    Case,
    CaseEvent,
    CaseStatus,
    EventKind,
    Outcome,
    ReferralKind,
    Severity,
)
from jembatan.protection.services.handling import (
    case_ask_reporter,
    case_assign,
    case_attach,
    case_close,
    case_message,
    case_reopen,
    case_resolve,
    case_start,
    case_triage,
)
from jembatan.protection.services.referrals import referral_answer, referral_create
from jembatan.protection.workflows import ANONYMOUS_REPORTER

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _state(case: Case) -> tuple:
    fresh = Case.objects.get(pk=case.pk)
    return (
        fresh.status,
        fresh.severity,
        fresh.owner_id,
        CaseEvent.objects.count(),
        ChangeRecord.objects.count(),
    )


def test_triage_sets_severity_owner_and_recomputes_the_resolution_deadline(
    case, provincial_officer
):
    triaged = case_triage(
        case=case,
        severity=Severity.CRITICAL,
        owner=provincial_officer,
        acting_user=provincial_officer,
    )

    assert triaged.status == CaseStatus.TRIAGED
    assert triaged.severity == Severity.CRITICAL and triaged.first_responded_at is not None
    row = deadline_for(case.category, Severity.CRITICAL)
    assert triaged.resolution_due == row.resolution_due(triaged.reported_at)
    assert ChangeRecord.objects.filter(operation="protection.case_triage").count() == 1
    assert triaged.events.last().kind == EventKind.TRIAGED and not triaged.events.last().public


def test_triage_to_an_officer_of_another_province_is_refused_and_changes_nothing(
    case, provincial_officer, other_provincial_officer
):
    before = _state(case)

    with pytest.raises(ValidationError) as refused:
        case_triage(
            case=case,
            severity="low",
            owner=other_provincial_officer,
            acting_user=provincial_officer,
        )

    assert refused.value.error_dict["owner"][0].code == ProtectionErrorCode.OWNER_NOT_ELIGIBLE
    assert _state(case) == before


def test_the_sending_organisation_cannot_triage_its_own_case(
    case, sender_operator, provincial_officer
):
    before = _state(case)

    with pytest.raises(PermissionDenied):
        case_triage(
            case=case, severity="low", owner=provincial_officer, acting_user=sender_operator
        )

    assert _state(case) == before


def test_assigning_tells_the_new_owner_by_mail_without_the_reporter(
    case, provincial_officer, jateng, django_capture_on_commit_callbacks
):
    from jembatan.accounts.factories import UserFactory
    from jembatan.core.roles import Role

    colleague = UserFactory(
        username="wati", role=Role.PROVINCIAL_OFFICER, province=jateng, email="wati@example.org"
    )
    with django_capture_on_commit_callbacks(execute=True):
        case_assign(case=case, owner=colleague, reason="Leave.", acting_user=provincial_officer)

    case.refresh_from_db()
    assert case.owner == colleague and case.status == CaseStatus.REPORTED
    assert [m.to for m in mail.outbox] == [["wati@example.org"]]
    assert "friend@example.org" not in mail.outbox[0].body and "Siti" not in mail.outbox[0].body


def test_a_referral_to_the_embassy_names_the_mission_and_its_late_answer_shows_overdue(
    case, provincial_officer
):
    case_triage(
        case=case, severity="high", owner=provincial_officer, acting_user=provincial_officer
    )
    referral = referral_create(
        case=case,
        kind=ReferralKind.EMBASSY,
        mission_country="JP",
        request_text="Please visit the dormitory.",
        due_on=TODAY + dt.timedelta(days=3),
        acting_user=provincial_officer,
    )
    case.refresh_from_db()

    assert case.status == CaseStatus.REFERRED
    assert referral.recipient == "Kedutaan Besar Republik Indonesia (KBRI) Tokyo"
    assert not referral.is_overdue(TODAY + dt.timedelta(days=3))
    assert referral.is_overdue(TODAY + dt.timedelta(days=4))
    assert list(
        selectors.overdue_referrals(provincial_officer, today=TODAY + dt.timedelta(days=4))
    ) == [referral]

    referral_answer(
        referral=referral,
        answer="Visited; the heating is repaired.",
        acting_user=provincial_officer,
    )
    case.refresh_from_db()
    referral.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert not referral.is_overdue(TODAY + dt.timedelta(days=30))
    assert (
        list(selectors.overdue_referrals(provincial_officer, today=TODAY + dt.timedelta(days=30)))
        == []
    )


def test_a_referral_to_a_country_without_a_mission_is_refused(case, provincial_officer):
    case_triage(
        case=case, severity="high", owner=provincial_officer, acting_user=provincial_officer
    )
    before = _state(case)

    with pytest.raises(ValidationError) as refused:
        referral_create(
            case=case,
            kind=ReferralKind.EMBASSY,
            mission_country="QA",
            request_text="x",
            due_on=TODAY,
            acting_user=provincial_officer,
        )

    assert refused.value.error_dict["mission_country"][0].code == ProtectionErrorCode.NO_MISSION
    assert _state(case) == before


def test_a_second_answer_to_the_same_referral_is_refused(case, provincial_officer):
    case_triage(
        case=case, severity="high", owner=provincial_officer, acting_user=provincial_officer
    )
    referral = referral_create(
        case=case,
        kind=ReferralKind.OTHER,
        recipient="OTIT",
        request_text="Inspect.",
        due_on=TODAY,
        acting_user=provincial_officer,
    )
    referral_answer(referral=referral, answer="Inspected.", acting_user=provincial_officer)

    with pytest.raises(ValidationError) as refused:
        referral_answer(referral=referral, answer="Again.", acting_user=provincial_officer)

    assert refused.value.code == ProtectionErrorCode.ALREADY_ANSWERED


def test_closing_requires_an_outcome_and_what_was_done(case, provincial_officer):
    case_triage(
        case=case, severity="high", owner=provincial_officer, acting_user=provincial_officer
    )
    before = _state(case)

    with pytest.raises(ValidationError) as no_outcome:
        case_close(case=case, outcome="", action_taken="Talked.", acting_user=provincial_officer)
    with pytest.raises(ValidationError) as nothing_done:
        case_close(
            case=case,
            outcome=Outcome.SUBSTANTIATED,
            action_taken=" ",
            acting_user=provincial_officer,
        )
    with pytest.raises(ValidationError) as withdrawn:
        case_close(
            case=case, outcome=Outcome.WITHDRAWN, action_taken="x", acting_user=provincial_officer
        )

    assert no_outcome.value.error_dict["outcome"][0].code == ProtectionErrorCode.OUTCOME_REQUIRED
    assert (
        nothing_done.value.error_dict["action_taken"][0].code
        == ProtectionErrorCode.ACTION_TAKEN_REQUIRED
    )
    assert withdrawn.value.error_dict["outcome"][0].code == ProtectionErrorCode.WITHDRAWN_OUTCOME
    assert _state(case) == before


@pytest.mark.parametrize(
    "outcome", [Outcome.SUBSTANTIATED, Outcome.PARTLY, Outcome.NOT_SUBSTANTIATED]
)
def test_a_case_closes_with_each_outcome_and_the_reporter_reads_it(
    case, provincial_officer, outcome
):
    case_triage(
        case=case, severity="high", owner=provincial_officer, acting_user=provincial_officer
    )
    case_start(case=case, acting_user=provincial_officer)

    closed = case_close(
        case=case,
        outcome=outcome,
        action_taken="The partner paid the wages.",
        acting_user=provincial_officer,
    )

    assert closed.status == CaseStatus.CLOSED and closed.outcome == outcome and closed.closed_at
    last = selectors.public_timeline(closed).last()
    assert last.kind == EventKind.CLOSED and last.message == "The partner paid the wages."


def test_resolve_then_close_keeps_the_outcome_and_reopen_clears_it(case, provincial_officer):
    case_triage(
        case=case, severity="high", owner=provincial_officer, acting_user=provincial_officer
    )
    case_start(case=case, acting_user=provincial_officer)
    case_resolve(
        case=case, outcome=Outcome.PARTLY, action_taken="Half paid.", acting_user=provincial_officer
    )

    closed = case_close(case=case, acting_user=provincial_officer)
    assert closed.outcome == Outcome.PARTLY and closed.action_taken == "Half paid."

    reopened = case_reopen(
        case=case, reason="The rest was not paid.", acting_user=provincial_officer
    )
    assert (
        reopened.status == CaseStatus.IN_PROGRESS
        and reopened.outcome == ""
        and reopened.closed_at is None
    )
    assert reopened.resolution_due > timezone.now()
    kinds = list(reopened.events.values_list("kind", flat=True))
    assert kinds[-3:] == [EventKind.RESOLVED, EventKind.CLOSED, EventKind.REOPENED]


def test_an_internal_note_is_not_shown_to_the_reporter_but_a_message_is(case, provincial_officer):
    case_message(
        case=case, message="Partner is slow.", public=False, acting_user=provincial_officer
    )
    case_message(case=case, message="We are on it.", public=True, acting_user=provincial_officer)

    public = [e.message for e in selectors.public_timeline(case)]
    assert "We are on it." in public and "Partner is slow." not in public


def test_the_question_waits_for_the_reporter(case, provincial_officer):
    case_triage(
        case=case, severity="high", owner=provincial_officer, acting_user=provincial_officer
    )

    asked = case_ask_reporter(
        case=case, question="Do you have payslips?", acting_user=provincial_officer
    )

    assert asked.status == CaseStatus.AWAITING_REPORTER
    assert selectors.public_timeline(asked).last().message == "Do you have payslips?"


def test_a_file_from_the_anonymous_reporter_is_checked_and_shown_to_them(case):
    upload = SimpleUploadedFile("slip.pdf", plain_pdf(), content_type="application/pdf")

    attachment = case_attach(case=case, upload=upload, acting_user=ANONYMOUS_REPORTER)

    assert attachment.from_reporter and attachment.public
    assert attachment.content_type == "application/pdf" and attachment.size > 0
    assert case.events.last().kind == EventKind.ATTACHMENT


def test_a_web_page_posing_as_a_pdf_is_refused_and_nothing_is_stored(case, provincial_officer):
    upload = SimpleUploadedFile("slip.pdf", b"<html><script>alert(1)</script></html>")
    before = _state(case)

    with pytest.raises(ValidationError):
        case_attach(case=case, upload=upload, acting_user=provincial_officer)

    assert _state(case) == before and case.attachments.count() == 0


def test_the_timeline_cannot_be_rewritten(case):
    from jembatan.core.models.audit import AppendOnlyError

    event = case.events.first()
    event.message = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.filter(pk=event.pk).delete()
