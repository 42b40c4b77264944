"""The licence lifecycle services: every transition allowed or refused, audited, atomic."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jembatan.accounts.factories import UserFactory
from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.core.roles import Role
from jembatan.core.transitions import SYSTEM_ACTOR, TransitionRefused
from jembatan.organisations.models import (
    DecisionKind,
    Licence,
    LicenceActivity,
    LicenceDecision,
    LicenceStatus,
    Organisation,
    OrganisationKind,
)
from jembatan.organisations.services import (
    licence_applications,
    licence_renewals,
    licence_sanctions,
    licensing,
)
from jembatan.organisations.workflows import DECISION_OF, LICENCE_WORKFLOW, LicenceAction

from .conftest import action_data, actor_for, licence_state, pdf

pytestmark = pytest.mark.django_db


def _day(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.fixture
def officer(db: None) -> User:
    return UserFactory(username="oki", role=Role.NATIONAL_OFFICER)


@pytest.fixture
def operator(lpk: Organisation) -> User:
    return UserFactory(username="sari", role=Role.SENDER_OPERATOR, organisation=lpk)


REQUESTABLE = [a for a in LicenceAction if a not in (LicenceAction.ACTIVATE, LicenceAction.EXPIRE)]
ALLOWED_PAIRS = [
    pytest.param(action, status, id=f"{action.value}-from-{status.value}")
    for action in REQUESTABLE
    for status in sorted(LICENCE_WORKFLOW[action].sources)
]
EXPECTED_TARGET = {
    LicenceAction.SUBMIT: LicenceStatus.SUBMITTED,
    LicenceAction.START_REVIEW: LicenceStatus.UNDER_REVIEW,
    LicenceAction.GRANT: LicenceStatus.ACTIVE,  # valid from today: granted, then activated at once
    LicenceAction.REJECT: LicenceStatus.REJECTED,
    LicenceAction.REQUEST_RENEWAL: LicenceStatus.RENEWAL,
    LicenceAction.RENEW: LicenceStatus.ACTIVE,
    LicenceAction.REFUSE_RENEWAL: LicenceStatus.ACTIVE,
    LicenceAction.SUSPEND: LicenceStatus.SUSPENDED,
    LicenceAction.REVOKE: LicenceStatus.REVOKED,
}


# --- the table's allowed moves (the refused ones: test_workflows.py) ---------------------


@pytest.mark.parametrize(("action", "status"), ALLOWED_PAIRS)
def test_an_action_from_an_allowed_status_moves_the_licence_and_is_audited(
    action: LicenceAction,
    status: LicenceStatus,
    licence_in: Callable[..., Licence],
    officer: User,
    operator: User,
) -> None:
    licence = licence_in(
        status, resumes_as=LicenceStatus.RENEWAL if status == LicenceStatus.SUSPENDED else ""
    )
    changes_before = ChangeRecord.objects.count()
    result = licensing.perform_action(
        licence=licence,
        action=action,
        acting_user=actor_for(action, officer, operator),
        data=action_data(action),
    )
    expected = EXPECTED_TARGET.get(action)
    if action == LicenceAction.LIFT_SUSPENSION:
        expected = LicenceStatus.RENEWAL
    assert result.status == (expected or status)
    operations = list(
        ChangeRecord.objects.order_by("pk")[changes_before:].values_list("operation", flat=True)
    )
    assert f"organisations.licence_{action.value}" in operations
    decision_kind = DECISION_OF.get(action)
    if decision_kind is not None:
        decision = LicenceDecision.objects.get()
        assert (decision.kind, decision.reason) == (decision_kind, f"Grounds for {action.value}")
        assert decision.decided_by_label == actor_for(action, officer, operator).username
        assert f"organisations.decision_{decision_kind}" in operations


def test_the_whole_lifecycle_from_application_to_renewal(
    lpk: Organisation, officer: User, operator: User
) -> None:
    licence = licence_applications.licence_apply(organisation=lpk, acting_user=operator)
    licence_applications.licence_submit(licence=licence, acting_user=operator)
    licence_applications.licence_start_review(licence=licence, acting_user=officer)
    licence_applications.licence_grant(
        licence=licence,
        number="KEP.1/LN/2026",
        valid_from=_day(0),
        valid_to=_day(365),
        reason="All requirements met.",
        acting_user=officer,
    )
    licence_renewals.licence_request_renewal(licence=licence, acting_user=operator)
    licence_renewals.licence_renew(
        licence=licence, valid_to=_day(3 * 365), reason="Renewed.", acting_user=officer
    )
    licence.refresh_from_db()
    assert (licence.status, licence.number, licence.valid_to) == (
        LicenceStatus.ACTIVE,
        "KEP.1/LN/2026",
        _day(3 * 365),
    )
    operations = list(
        ChangeRecord.objects.filter(object_id=str(licence.pk), content_type__model="licence")
        .order_by("pk")
        .values_list("operation", flat=True)
    )
    assert operations == [
        "organisations.licence_apply",
        "organisations.licence_submit",
        "organisations.licence_start_review",
        "organisations.licence_grant",
        "organisations.licence_activate",
        "organisations.licence_request_renewal",
        "organisations.licence_renew",
    ]


def test_a_grant_that_starts_later_leaves_the_licence_granted(
    licence_in: Callable[..., Licence], officer: User
) -> None:
    licence = licence_in(LicenceStatus.UNDER_REVIEW)
    decision = licence_applications.licence_grant(
        licence=licence,
        number="KEP.2/LN/2026",
        valid_from=_day(10),
        valid_to=_day(375),
        reason="Requirements met.",
        acting_user=officer,
    )
    assert decision.licence.status == LicenceStatus.GRANTED
    assert (decision.status_before, decision.status_after) == (
        LicenceStatus.UNDER_REVIEW,
        LicenceStatus.GRANTED,
    )


# --- who may act ------------------------------------------------------------------------


def test_a_sender_operator_may_not_grant_and_nothing_changes(
    licence_in: Callable[..., Licence], operator: User
) -> None:
    licence = licence_in(LicenceStatus.UNDER_REVIEW)
    before = licence_state(licence)
    with pytest.raises(PermissionDenied):
        licensing.perform_action(
            licence=licence,
            action=LicenceAction.GRANT,
            acting_user=operator,
            data=action_data(LicenceAction.GRANT),
        )
    assert licence_state(licence) == before


def test_an_operator_of_another_organisation_may_not_submit(
    licence_in: Callable[..., Licence],
) -> None:
    stranger = UserFactory(role=Role.SENDER_OPERATOR)
    licence = licence_in(LicenceStatus.DRAFT)
    with pytest.raises(PermissionDenied, match="another organisation"):
        licence_applications.licence_submit(licence=licence, acting_user=stranger)
    assert Licence.objects.get(pk=licence.pk).status == LicenceStatus.DRAFT


def test_an_auditor_may_not_decide(licence_in: Callable[..., Licence]) -> None:
    auditor = UserFactory(role=Role.AUDITOR)
    licence = licence_in(LicenceStatus.ACTIVE)
    with pytest.raises(PermissionDenied):
        licence_sanctions.licence_warn(licence=licence, reason="x", acting_user=auditor)


# --- inputs ---------------------------------------------------------------------------


def test_a_decision_without_a_reason_is_refused_and_changes_nothing(
    licence_in: Callable[..., Licence], officer: User
) -> None:
    licence = licence_in(LicenceStatus.SUBMITTED)
    before = licence_state(licence)
    with pytest.raises(ValidationError, match="Give the reason"):
        licence_applications.licence_reject(licence=licence, reason="   ", acting_user=officer)
    assert licence_state(licence) == before


def test_a_licence_number_already_in_use_is_refused(
    licence_in: Callable[..., Licence], officer: User
) -> None:
    other = Organisation.objects.create(name="LPK Lain", kind=OrganisationKind.LPK)
    Licence.objects.create(organisation=other, number="KEP.5/LN/2026", status=LicenceStatus.EXPIRED)
    licence = licence_in(LicenceStatus.UNDER_REVIEW)
    with pytest.raises(ValidationError, match=r"KEP\.5/LN/2026 is already in use"):
        licence_applications.licence_grant(
            licence=licence,
            number="KEP.5/LN/2026",
            valid_from=_day(0),
            valid_to=_day(10),
            reason="ok",
            acting_user=officer,
        )
    assert Licence.objects.get(pk=licence.pk).status == LicenceStatus.UNDER_REVIEW


def test_a_validity_that_ends_before_it_starts_is_refused(
    licence_in: Callable[..., Licence], officer: User
) -> None:
    licence = licence_in(LicenceStatus.UNDER_REVIEW)
    with pytest.raises(ValidationError, match="must end after it starts"):
        licence_applications.licence_grant(
            licence=licence,
            number="KEP.6/LN/2026",
            valid_from=_day(10),
            valid_to=_day(10),
            reason="ok",
            acting_user=officer,
        )


def test_a_renewal_must_extend_the_validity(
    licence_in: Callable[..., Licence], officer: User
) -> None:
    licence = licence_in(LicenceStatus.RENEWAL)
    with pytest.raises(ValidationError, match="must end after the current validity"):
        licence_renewals.licence_renew(
            licence=licence, valid_to=_day(30), reason="ok", acting_user=officer
        )
    assert Licence.objects.get(pk=licence.pk).status == LicenceStatus.RENEWAL


def test_an_improvement_order_needs_a_future_deadline(
    licence_in: Callable[..., Licence], officer: User
) -> None:
    licence = licence_in(LicenceStatus.ACTIVE)
    with pytest.raises(ValidationError, match="deadline must be in the future"):
        licence_sanctions.licence_order_improvement(
            licence=licence, reason="Fix the dormitory.", deadline=_day(0), acting_user=officer
        )
    decision = licence_sanctions.licence_order_improvement(
        licence=licence, reason="Fix the dormitory.", deadline=_day(30), acting_user=officer
    )
    assert (decision.kind, decision.deadline) == (DecisionKind.IMPROVEMENT_ORDER, _day(30))


def test_a_grant_cannot_be_published_as_a_sanction(
    licence_in: Callable[..., Licence], officer: User
) -> None:
    licence = licence_in(LicenceStatus.ACTIVE)
    with pytest.raises(ValidationError, match="Publish the decision before"):
        licence_sanctions.licence_warn(
            licence=licence, reason="x", acting_user=officer, attachment_public=True
        )


# --- sanctions ------------------------------------------------------------------------


def test_a_partial_suspension_records_its_activities_and_countries(
    licence_in: Callable[..., Licence], officer: User
) -> None:
    licence = licence_in(LicenceStatus.RENEWAL)
    decision = licence_sanctions.licence_suspend(
        licence=licence,
        reason="Complaints from trainees in Japan.",
        acting_user=officer,
        activities=[LicenceActivity.SEND],
        countries=["jp"],
        published=True,
    )
    licence.refresh_from_db()
    assert (licence.status, licence.resumes_as) == (LicenceStatus.SUSPENDED, LicenceStatus.RENEWAL)
    assert decision.suspended_activities == ["send"]
    assert [c.pk for c in decision.suspended_countries.all()] == ["JP"]
    assert decision.published is True


def test_a_suspension_naming_an_unknown_country_is_refused(
    licence_in: Callable[..., Licence], officer: User
) -> None:
    licence = licence_in(LicenceStatus.ACTIVE)
    with pytest.raises(ValidationError, match="Unknown country: XX"):
        licence_sanctions.licence_suspend(
            licence=licence, reason="x", acting_user=officer, countries=["XX"]
        )
    assert Licence.objects.get(pk=licence.pk).status == LicenceStatus.ACTIVE


def test_lifting_a_suspension_returns_to_the_status_before(
    licence_in: Callable[..., Licence], officer: User
) -> None:
    licence = licence_in(LicenceStatus.ACTIVE)
    licence_sanctions.licence_suspend(licence=licence, reason="Inspection.", acting_user=officer)
    decision = licence_sanctions.licence_lift_suspension(
        licence=licence, reason="Inspection passed.", acting_user=officer
    )
    assert (decision.licence.status, decision.licence.resumes_as) == (LicenceStatus.ACTIVE, "")


def test_a_revocation_bars_new_applications_until_its_date(
    licence_in: Callable[..., Licence], lpk: Organisation, officer: User, operator: User
) -> None:
    licence = licence_in(LicenceStatus.SUSPENDED, resumes_as=LicenceStatus.ACTIVE)
    licence_sanctions.licence_revoke(
        licence=licence,
        reason="Fees charged to trainees.",
        bar_until=_day(730),
        acting_user=officer,
        published=True,
    )
    with pytest.raises(ValidationError) as refused:
        licence_applications.licence_apply(organisation=lpk, acting_user=operator)
    assert refused.value.messages == [
        f"The licence of LPK Harapan Bangsa was revoked on {_day(0).isoformat()}. "
        f"It may not apply again before {_day(730).isoformat()}."
    ]
    assert lpk.licences.count() == 1
    later = licence_applications.licence_apply(
        organisation=lpk, acting_user=operator, today=_day(731)
    )
    assert later.status == LicenceStatus.DRAFT


def test_a_revocation_needs_a_bar_in_the_future(
    licence_in: Callable[..., Licence], officer: User
) -> None:
    licence = licence_in(LicenceStatus.ACTIVE)
    with pytest.raises(ValidationError, match="must end in the future"):
        licence_sanctions.licence_revoke(
            licence=licence, reason="x", bar_until=_day(0), acting_user=officer
        )


def test_the_same_warning_clicked_twice_is_recorded_once(
    licence_in: Callable[..., Licence], officer: User
) -> None:
    licence = licence_in(LicenceStatus.ACTIVE)
    licence_sanctions.licence_warn(licence=licence, reason="Late reports.", acting_user=officer)
    with pytest.raises(ValidationError, match="already recorded"):
        licence_sanctions.licence_warn(licence=licence, reason="Late reports.", acting_user=officer)
    assert LicenceDecision.objects.count() == 1


def test_a_second_grant_of_the_same_licence_is_refused_and_leaves_one_decision(
    licence_in: Callable[..., Licence], officer: User
) -> None:
    licence = licence_in(LicenceStatus.UNDER_REVIEW)
    data = action_data(LicenceAction.GRANT)
    licensing.perform_action(
        licence=licence, action=LicenceAction.GRANT, acting_user=officer, data=data
    )
    with pytest.raises(TransitionRefused, match="Cannot grant the licence"):
        licensing.perform_action(
            licence=licence, action=LicenceAction.GRANT, acting_user=officer, data=data
        )
    assert LicenceDecision.objects.filter(kind=DecisionKind.GRANT).count() == 1


# --- attachments ----------------------------------------------------------------------


def test_an_attachment_is_stored_under_media_root(
    licence_in: Callable[..., Licence], officer: User, media: Any
) -> None:
    licence = licence_in(LicenceStatus.ACTIVE)
    decision = licence_sanctions.licence_warn(
        licence=licence, reason="Late reports.", acting_user=officer, attachment=pdf()
    )
    path = media / decision.attachment.name
    assert decision.attachment.name.startswith(f"licence-decisions/{licence.pk}/")
    assert decision.attachment.name.endswith(".pdf")
    assert path.read_bytes().startswith(b"%PDF")


def test_an_attachment_that_is_not_a_pdf_or_image_is_refused(
    licence_in: Callable[..., Licence], officer: User, media: Any
) -> None:
    licence = licence_in(LicenceStatus.ACTIVE)
    fake = SimpleUploadedFile("surat.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="must be a PDF, PNG or JPEG"):
        licence_sanctions.licence_warn(
            licence=licence, reason="x", acting_user=officer, attachment=fake
        )
    assert LicenceDecision.objects.count() == 0
    assert list(media.iterdir()) == []


# --- applying -------------------------------------------------------------------------


def test_a_sender_operator_applies_for_their_own_organisation(
    lpk: Organisation, operator: User
) -> None:
    licence = licence_applications.licence_apply(organisation=lpk, acting_user=operator)
    assert (licence.status, licence.organisation) == (LicenceStatus.DRAFT, lpk)
    record = ChangeRecord.objects.get(operation="organisations.licence_apply")
    assert (record.actor_label, record.object_id) == ("sari", str(licence.pk))


def test_an_operator_may_not_apply_for_another_organisation(lpk: Organisation) -> None:
    stranger = UserFactory(role=Role.SENDER_OPERATOR)
    with pytest.raises(PermissionDenied):
        licence_applications.licence_apply(organisation=lpk, acting_user=stranger)
    assert lpk.licences.count() == 0


def test_a_second_application_is_refused_while_one_is_open(
    licence_in: Callable[..., Licence], lpk: Organisation, operator: User
) -> None:
    licence_in(LicenceStatus.SUBMITTED)
    with pytest.raises(ValidationError, match="already has an application in progress"):
        licence_applications.licence_apply(organisation=lpk, acting_user=operator)
    assert lpk.licences.count() == 1


def test_an_organisation_holding_a_licence_is_told_to_renew_instead(
    licence_in: Callable[..., Licence], lpk: Organisation, operator: User
) -> None:
    licence_in(LicenceStatus.ACTIVE)
    with pytest.raises(ValidationError, match="Request a renewal of it instead"):
        licence_applications.licence_apply(organisation=lpk, acting_user=operator)


def test_a_training_centre_cannot_apply_for_a_sending_licence(officer: User) -> None:
    blk = Organisation.objects.create(name="BLK Semarang", kind=OrganisationKind.BLK)
    with pytest.raises(ValidationError, match="Only an organiser of apprenticeship abroad"):
        licence_applications.licence_apply(organisation=blk, acting_user=officer)


def test_an_expired_licence_may_not_be_expired_early(
    licence_in: Callable[..., Licence],
) -> None:
    licence = licence_in(LicenceStatus.ACTIVE)
    with pytest.raises(ValidationError, match="has not run out yet"):
        licence_renewals.licence_expire(licence=licence, acting_user=SYSTEM_ACTOR)
    assert Licence.objects.get(pk=licence.pk).status == LicenceStatus.ACTIVE


# --- what a move changes besides the status --------------------------------------------


def test_a_suspension_of_a_licence_in_renewal_returns_to_renewal_when_lifted(
    licence_in: Callable[..., Licence], officer: User
) -> None:
    licence = licence_in(LicenceStatus.RENEWAL)
    suspended = licence_sanctions.licence_suspend(
        licence=licence, reason="Inspection.", acting_user=officer
    )
    assert (suspended.licence.status, suspended.licence.resumes_as) == (
        LicenceStatus.SUSPENDED,
        LicenceStatus.RENEWAL,
    )

    lifted = licence_sanctions.licence_lift_suspension(
        licence=licence, reason="Inspection passed.", acting_user=officer
    )
    assert (lifted.licence.status, lifted.licence.resumes_as) == (LicenceStatus.RENEWAL, "")


def test_a_revoked_suspension_no_longer_remembers_a_status_to_return_to(
    licence_in: Callable[..., Licence], officer: User
) -> None:
    licence = licence_in(LicenceStatus.SUSPENDED, resumes_as=LicenceStatus.RENEWAL)
    decision = licence_sanctions.licence_revoke(
        licence=licence, reason="Fees charged.", bar_until=_day(365), acting_user=officer
    )
    assert (decision.licence.status, decision.licence.resumes_as) == (LicenceStatus.REVOKED, "")


def test_an_expired_suspension_no_longer_remembers_a_status_to_return_to(
    licence_in: Callable[..., Licence],
) -> None:
    licence = licence_in(
        LicenceStatus.SUSPENDED, resumes_as=LicenceStatus.ACTIVE, valid_to=_day(-1)
    )
    expired = licence_renewals.licence_expire(licence=licence, acting_user=SYSTEM_ACTOR)
    assert (expired.status, expired.resumes_as) == (LicenceStatus.EXPIRED, "")


def test_the_same_improvement_order_clicked_twice_is_recorded_once(
    licence_in: Callable[..., Licence], officer: User
) -> None:
    licence = licence_in(LicenceStatus.ACTIVE)
    order = {"reason": "Dormitory below standard.", "deadline": _day(30), "acting_user": officer}
    licence_sanctions.licence_order_improvement(licence=licence, **order)
    before = licence_state(licence)
    with pytest.raises(ValidationError, match="already recorded") as refused:
        licence_sanctions.licence_order_improvement(licence=licence, **order)
    assert refused.value.code == "duplicate"
    assert licence_state(licence) == before


# --- one entry point for pages and the API ----------------------------------------------


def test_a_requested_decision_missing_a_value_it_needs_is_refused_beside_that_field(
    licence_in: Callable[..., Licence], officer: User
) -> None:
    licence = licence_in(LicenceStatus.UNDER_REVIEW)
    before = licence_state(licence)
    with pytest.raises(ValidationError) as refused:
        licensing.perform_action(
            licence=licence,
            action=LicenceAction.GRANT,
            acting_user=officer,
            data={"reason": "Requirements met.", "number": "", "valid_to": _day(365)},
        )
    assert refused.value.message_dict == {
        "number": ["This field is required."],
        "valid_from": ["This field is required."],
    }
    assert licence_state(licence) == before


def test_a_requested_decision_without_a_reason_gets_the_services_own_refusal(
    licence_in: Callable[..., Licence], officer: User
) -> None:
    licence = licence_in(LicenceStatus.SUBMITTED)
    with pytest.raises(ValidationError, match="Give the reason") as refused:
        licensing.perform_action(
            licence=licence, action=LicenceAction.REJECT, acting_user=officer, data={}
        )
    assert refused.value.code == "reason_required"


def test_a_requested_grant_ignores_a_day_given_as_input(
    licence_in: Callable[..., Licence], officer: User
) -> None:
    licence = licence_in(LicenceStatus.UNDER_REVIEW)
    data = action_data(LicenceAction.GRANT) | {"today": _day(-30)}
    granted = licensing.perform_action(
        licence=licence, action=LicenceAction.GRANT, acting_user=officer, data=data
    )
    assert granted.status == LicenceStatus.ACTIVE  # valid from today: activated on the real day


def test_the_actions_that_happen_by_themselves_cannot_be_requested(
    licence_in: Callable[..., Licence], officer: User
) -> None:
    licence = licence_in(LicenceStatus.GRANTED)
    with pytest.raises(ValidationError, match="happens by itself"):
        licensing.perform_action(
            licence=licence, action=LicenceAction.ACTIVATE, acting_user=officer, data={}
        )
    assert Licence.objects.get(pk=licence.pk).status == LicenceStatus.GRANTED
