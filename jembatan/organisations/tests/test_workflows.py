"""Every move outside the licence table is refused through its service and changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from jembatan.accounts.factories import UserFactory
from jembatan.accounts.models import User
from jembatan.core.roles import Role
from jembatan.core.transitions import SYSTEM_ACTOR, TransitionRefused, illegal_moves
from jembatan.organisations.models import Licence, LicenceStatus, Organisation
from jembatan.organisations.services import licence_applications, licence_renewals, licensing
from jembatan.organisations.workflows import LICENCE_WORKFLOW, LicenceAction

from .conftest import action_data, actor_for, licence_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(db: None) -> User:
    return UserFactory(username="oki", role=Role.NATIONAL_OFFICER)


@pytest.fixture
def operator(lpk: Organisation) -> User:
    return UserFactory(username="sari", role=Role.SENDER_OPERATOR, organisation=lpk)


LAPSED = {  # a validity already over, so only the status can refuse activating or expiring
    "number": "KEP.78/LN/2024",
    "valid_from": timezone.localdate() - dt.timedelta(days=730),
    "valid_to": timezone.localdate() - dt.timedelta(days=1),
}


def _attempt(licence: Licence, action: LicenceAction, officer: User, operator: User) -> None:
    if action == LicenceAction.ACTIVATE:
        licence_applications.licence_activate(licence=licence, acting_user=SYSTEM_ACTOR)
    elif action == LicenceAction.EXPIRE:
        licence_renewals.licence_expire(licence=licence, acting_user=SYSTEM_ACTOR)
    else:
        licensing.perform_action(
            licence=licence,
            action=action,
            acting_user=actor_for(action, officer, operator),
            data=action_data(action),
        )


@pytest.mark.parametrize(("status", "action"), list(illegal_moves(LICENCE_WORKFLOW)))
def test_an_action_from_a_status_the_table_does_not_allow_is_refused_and_changes_nothing(
    status: str,
    action: LicenceAction,
    licence_in: Callable[..., Licence],
    officer: User,
    operator: User,
) -> None:
    system = LICENCE_WORKFLOW[action].system and not LICENCE_WORKFLOW[action].actors
    licence = licence_in(
        LicenceStatus(status), **(LAPSED if system or action == "activate" else {})
    )
    before = licence_state(licence)

    with pytest.raises(TransitionRefused) as refused:
        _attempt(licence, action, officer, operator)

    assert f"is {LicenceStatus(status).label}" in refused.value.messages[0]
    assert "This is possible only while it is" in refused.value.messages[0]
    assert licence_state(licence) == before
