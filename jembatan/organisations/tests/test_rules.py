"""ensure_can_act: the licence rule, for every status, with the message people read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from jembatan.accounts.factories import UserFactory
from jembatan.core.roles import Role
from jembatan.organisations.models import (
    Licence,
    LicenceActivity,
    LicenceStatus,
    Organisation,
    OrganisationKind,
)
from jembatan.organisations.rules import LicenceRequired, ensure_can_act
from jembatan.organisations.services import licence_sanctions

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


def _refusal(organisation: Organisation | None, **kwargs: object) -> str:
    with pytest.raises(LicenceRequired) as refused:
        ensure_can_act(organisation, **kwargs)  # type: ignore[arg-type]
    assert refused.value.code in ("licence_required", "no_org")
    return refused.value.messages[0]


def test_no_organisation_is_refused() -> None:
    assert _refusal(None) == "A licensed sending organisation is required."


def test_an_organisation_without_any_licence_is_told_to_apply(lpk: Organisation) -> None:
    assert _refusal(lpk) == (
        "LPK Harapan Bangsa has no licence to organise overseas apprenticeships. "
        "Apply for one at Kemnaker before registering or sending participants."
    )


def test_a_training_centre_is_not_a_sending_organisation(db: None) -> None:
    blk = Organisation.objects.create(name="BLK Semarang", kind=OrganisationKind.BLK)
    assert _refusal(blk) == (
        "BLK Semarang is not a sending organisation (it is a Public training centre (BLK)). "
        "Only a licensed organiser of apprenticeship abroad (an LPK, a company, a government "
        "agency or a registered education institution) may register, submit or send "
        "participants."
    )


@pytest.mark.parametrize(
    "status", [LicenceStatus.DRAFT, LicenceStatus.SUBMITTED, LicenceStatus.UNDER_REVIEW]
)
def test_an_application_not_yet_granted_is_refused(
    status: LicenceStatus, licence_in: Callable[..., Licence], lpk: Organisation
) -> None:
    licence_in(status)
    assert _refusal(lpk) == (
        "LPK Harapan Bangsa has applied for a licence, but it has not been granted yet "
        f"(status: {status.label}). It may register, submit or send participants only once "
        "Kemnaker grants the licence and it is in force."
    )


def test_a_granted_licence_not_yet_valid_is_refused_until_its_first_day(
    licence_in: Callable[..., Licence], lpk: Organisation
) -> None:
    licence_in(LicenceStatus.GRANTED, valid_from=DAY, valid_to=DAY + dt.timedelta(days=365))
    assert _refusal(lpk, today=DAY - dt.timedelta(days=1)) == (
        "The licence of LPK Harapan Bangsa (KEP.77/LN/2025) is granted but valid only from "
        "2 March 2026. Wait until then before registering, submitting or sending participants."
    )


@pytest.mark.parametrize("status", [LicenceStatus.ACTIVE, LicenceStatus.RENEWAL])
def test_an_active_or_renewing_licence_lets_the_organisation_act(
    status: LicenceStatus, licence_in: Callable[..., Licence], lpk: Organisation
) -> None:
    licence = licence_in(status)
    assert ensure_can_act(lpk) == licence
    assert ensure_can_act(lpk, activity=LicenceActivity.SEND, country="JP") == licence


def test_the_last_valid_day_still_counts(
    licence_in: Callable[..., Licence], lpk: Organisation
) -> None:
    licence = licence_in(LicenceStatus.ACTIVE, valid_from=DAY - dt.timedelta(days=30), valid_to=DAY)
    assert ensure_can_act(lpk, today=DAY) == licence


@pytest.mark.parametrize("status", [LicenceStatus.ACTIVE, LicenceStatus.RENEWAL])
def test_a_licence_past_its_end_is_refused_before_the_daily_task_marks_it(
    status: LicenceStatus, licence_in: Callable[..., Licence], lpk: Organisation
) -> None:
    licence_in(status, valid_from=DAY - dt.timedelta(days=365), valid_to=DAY)
    assert _refusal(lpk, today=DAY + dt.timedelta(days=1)) == (
        "The licence of LPK Harapan Bangsa (KEP.77/LN/2025) expired on 2 March 2026. Apply to "
        "Kemnaker for a new licence before registering, submitting or sending participants."
    )


def test_an_expired_licence_is_refused(
    licence_in: Callable[..., Licence], lpk: Organisation
) -> None:
    licence_in(LicenceStatus.EXPIRED, valid_from=DAY - dt.timedelta(days=365), valid_to=DAY)
    assert "expired on 2 March 2026. Apply to Kemnaker for a new licence" in _refusal(lpk)


def test_a_wholly_suspended_licence_is_refused(
    licence_in: Callable[..., Licence], lpk: Organisation
) -> None:
    officer = UserFactory(role=Role.NATIONAL_OFFICER)
    licence = licence_in(LicenceStatus.ACTIVE)
    licence_sanctions.licence_suspend(licence=licence, reason="Inspection.", acting_user=officer)
    assert _refusal(lpk) == (
        "The licence of LPK Harapan Bangsa (KEP.77/LN/2025) is suspended. It may not register, "
        "submit or send participants until Kemnaker lifts the suspension."
    )
    assert "is suspended" in _refusal(lpk, activity=LicenceActivity.REGISTER, country="KR")


def test_a_suspension_for_japan_refuses_japan_only(
    licence_in: Callable[..., Licence], lpk: Organisation
) -> None:
    officer = UserFactory(role=Role.NATIONAL_OFFICER)
    licence = licence_in(LicenceStatus.ACTIVE)
    licence_sanctions.licence_suspend(
        licence=licence, reason="Complaints.", acting_user=officer, countries=["JP"]
    )
    assert _refusal(lpk, country="JP") == (
        "The licence of LPK Harapan Bangsa (KEP.77/LN/2025) is partly suspended "
        "(destinations: Japan), and this action falls under the suspension. It is possible "
        "again once Kemnaker lifts it."
    )
    assert ensure_can_act(lpk, country="KR").pk == licence.pk
    assert ensure_can_act(lpk).pk == licence.pk  # registering is not tied to a country


def test_a_suspension_of_sending_refuses_sending_and_unnamed_actions(
    licence_in: Callable[..., Licence], lpk: Organisation
) -> None:
    officer = UserFactory(role=Role.NATIONAL_OFFICER)
    licence = licence_in(LicenceStatus.ACTIVE)
    licence_sanctions.licence_suspend(
        licence=licence, reason="x", acting_user=officer, activities=[LicenceActivity.SEND]
    )
    assert "activities: Send participants abroad" in _refusal(lpk, activity=LicenceActivity.SEND)
    assert "partly suspended" in _refusal(lpk)  # an action that does not say counts as all
    assert ensure_can_act(lpk, activity=LicenceActivity.REGISTER).pk == licence.pk


def test_a_suspension_of_sending_to_japan_leaves_sending_to_korea(
    licence_in: Callable[..., Licence], lpk: Organisation
) -> None:
    officer = UserFactory(role=Role.NATIONAL_OFFICER)
    licence = licence_in(LicenceStatus.ACTIVE)
    licence_sanctions.licence_suspend(
        licence=licence,
        reason="x",
        acting_user=officer,
        activities=[LicenceActivity.SEND],
        countries=["JP"],
    )
    assert "partly suspended" in _refusal(lpk, activity=LicenceActivity.SEND, country="JP")
    assert ensure_can_act(lpk, activity=LicenceActivity.SEND, country="KR").pk == licence.pk
    assert ensure_can_act(lpk, activity=LicenceActivity.SUBMIT, country="JP").pk == licence.pk


def test_a_partly_suspended_licence_past_its_end_is_refused(
    licence_in: Callable[..., Licence], lpk: Organisation
) -> None:
    officer = UserFactory(role=Role.NATIONAL_OFFICER)
    licence = licence_in(LicenceStatus.ACTIVE)
    licence_sanctions.licence_suspend(
        licence=licence, reason="x", acting_user=officer, countries=["JP"]
    )
    after_end = timezone.localdate() + dt.timedelta(days=366)
    assert "expired on" in _refusal(lpk, country="KR", today=after_end)


def test_a_revoked_licence_is_refused_with_the_bar_date(
    licence_in: Callable[..., Licence], lpk: Organisation
) -> None:
    officer = UserFactory(role=Role.NATIONAL_OFFICER)
    licence = licence_in(LicenceStatus.ACTIVE)
    licence_sanctions.licence_revoke(
        licence=licence,
        reason="Fees charged.",
        bar_until=dt.date(2099, 1, 31),
        acting_user=officer,
    )
    assert _refusal(lpk) == (
        "The licence of LPK Harapan Bangsa (KEP.77/LN/2025) has been revoked. It may no longer "
        "register, submit or send participants, and may not apply again before 31 January 2099."
    )


def test_a_rejected_application_is_refused(
    licence_in: Callable[..., Licence], lpk: Organisation
) -> None:
    licence_in(LicenceStatus.REJECTED)
    assert _refusal(lpk) == (
        "The licence application of LPK Harapan Bangsa was rejected. It may not register, "
        "submit or send participants; it may apply to Kemnaker again."
    )


def test_a_new_application_after_an_expired_licence_is_explained_as_pending(
    licence_in: Callable[..., Licence], lpk: Organisation
) -> None:
    licence_in(LicenceStatus.EXPIRED, valid_from=DAY - dt.timedelta(days=365), valid_to=DAY)
    licence_in(LicenceStatus.SUBMITTED)
    assert "has applied for a licence, but it has not been granted yet" in _refusal(lpk)
