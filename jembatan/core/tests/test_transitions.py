"""The workflow table refuses every move it does not declare, and says why."""

from __future__ import annotations

from enum import StrEnum

import pytest
from django.core.exceptions import PermissionDenied
from django.db import models

from jembatan.accounts.factories import UserFactory
from jembatan.core.roles import NATIONAL, Role
from jembatan.core.transitions import (
    SYSTEM_ACTOR,
    Transition,
    TransitionRefused,
    Workflow,
    illegal_moves,
)


class DoorStatus(models.TextChoices):
    SHUT = "shut", "shut"
    OPEN = "open", "open"
    LOCKED = "locked", "locked"


class DoorAction(StrEnum):
    OPEN = "open"
    SHUT = "shut"
    LOCK = "lock"


DOOR = Workflow(
    statuses=DoorStatus,
    noun="door",
    transitions={
        DoorAction.OPEN: Transition(
            "open the door", frozenset({DoorStatus.SHUT}), DoorStatus.OPEN, NATIONAL
        ),
        DoorAction.SHUT: Transition(
            "shut the door",
            frozenset({DoorStatus.OPEN}),
            DoorStatus.SHUT,
            NATIONAL | {Role.PARTNER},
        ),
        DoorAction.LOCK: Transition(
            "lock the door",
            frozenset({DoorStatus.SHUT}),
            DoorStatus.LOCKED,
            frozenset(),
            system=True,
        ),
    },
)


def test_an_allowed_move_returns_its_transition() -> None:
    assert DOOR.check(DoorStatus.SHUT, DoorAction.OPEN).target == DoorStatus.OPEN


def test_a_move_from_another_status_is_refused_naming_where_it_is_allowed() -> None:
    with pytest.raises(TransitionRefused) as refused:
        DOOR.check(DoorStatus.LOCKED, DoorAction.OPEN, name="#3")
    assert refused.value.messages == [
        "Cannot open the door: door #3 is locked. This is possible only while it is shut."
    ]


def test_illegal_moves_lists_every_pair_outside_the_table() -> None:
    assert sorted(illegal_moves(DOOR)) == sorted(
        [
            ("open", DoorAction.OPEN),
            ("locked", DoorAction.OPEN),
            ("shut", DoorAction.SHUT),
            ("locked", DoorAction.SHUT),
            ("open", DoorAction.LOCK),
            ("locked", DoorAction.LOCK),
        ]
    )


@pytest.mark.django_db
def test_a_role_the_table_does_not_name_is_denied() -> None:
    partner = UserFactory(role=Role.PARTNER)
    DOOR.check_actor(DoorAction.SHUT, partner)
    with pytest.raises(PermissionDenied):
        DOOR.check_actor(DoorAction.OPEN, partner)


def test_only_the_system_takes_a_system_move() -> None:
    DOOR.check_actor(DoorAction.LOCK, SYSTEM_ACTOR)
    with pytest.raises(PermissionDenied):
        DOOR.check_actor(DoorAction.OPEN, SYSTEM_ACTOR)


@pytest.mark.django_db
def test_allowed_actions_show_only_what_the_role_may_do_now() -> None:
    officer = UserFactory(role=Role.NATIONAL_OFFICER)
    assert DOOR.allowed_actions(DoorStatus.SHUT, officer) == [DoorAction.OPEN]
    assert DOOR.targets(DoorStatus.SHUT) == frozenset({DoorStatus.OPEN, DoorStatus.LOCKED})
    assert DOOR.action_between(DoorStatus.OPEN, DoorStatus.SHUT) == DoorAction.SHUT
    assert DOOR.action_between(DoorStatus.OPEN, DoorStatus.LOCKED) is None
