"""Status workflows in one shape: a table of transitions per status field.

Every status field of every model is driven by one :class:`Workflow`: a table
that maps each *action* (what a person or the system does) to one
:class:`Transition` declaring

- ``sources``: the statuses it may start from;
- ``target``: the status it leads to, or ``None`` when the table cannot name
  one: the status stays (a decision on record, e.g. a licence warning) or is
  what the data say (a candidacy's status follows its scores); the transition's
  ``effects`` say which;
- ``actors``: the roles that may take it (an empty set with ``system=True``
  means only the system, e.g. the daily licence run);
- ``needs_reason``: whether the person must say why;
- ``conditions``: the rules checked beyond the status, in words (the service
  checks them; they are listed here so the table is the one place to read);
- ``effects``: the side effects, as a docstring (what else the service writes).

Services call :meth:`Workflow.check` (and :meth:`Workflow.check_actor`) before
writing anything, so a refused move changes nothing and says why. Each workflow
registers itself with :func:`register` under its model and field; a test walks
every model and fails on a status field without a workflow, and each app proves
with :func:`illegal_moves` that every move outside the table is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext as _

from jembatan.core.access import role_of
from jembatan.core.errors import CoreErrorCode
from jembatan.core.roles import Role

StatusT = TypeVar("StatusT", bound=str)
ActionT = TypeVar("ActionT", bound=Enum)

SYSTEM_ACTOR = "system:scheduler"


@dataclass(frozen=True)
class Transition(Generic[StatusT]):
    """One allowed move: from which statuses, to which, by whom, under which rules."""

    label: str | Promise
    sources: frozenset[StatusT]
    target: StatusT | None
    actors: frozenset[Role]
    system: bool = False
    needs_reason: bool = False
    conditions: tuple[str | Promise, ...] = ()
    effects: str = ""


class TransitionRefused(ValidationError):
    """The record is not in a status from which this action is allowed."""


class Workflow(Generic[ActionT, StatusT]):
    """The transitions of one status field, looked up by action."""

    def __init__(
        self,
        *,
        statuses: type[models.TextChoices],
        transitions: Mapping[ActionT, Transition[StatusT]],
        noun: str | Promise,
    ) -> None:
        self.statuses = statuses
        self.transitions = dict(transitions)
        self.noun = noun

    def __getitem__(self, action: ActionT) -> Transition[StatusT]:
        return self.transitions[action]

    def allows(self, status: str, action: ActionT) -> bool:
        """Whether ``action`` may start from ``status``."""
        return status in self.transitions[action].sources

    def check(
        self,
        status: str,
        action: ActionT,
        *,
        name: str = "",
        refusal: Callable[[], ValidationError] | None = None,
    ) -> Transition[StatusT]:
        """The transition of ``action`` from ``status``, or :class:`TransitionRefused`.

        ``refusal`` makes the error an app has always shown (its own words and
        class, e.g. "already approved"); without it the table's words are used.
        """
        transition = self.transitions[action]
        if status not in transition.sources:
            if refusal is not None:
                raise refusal()
            raise TransitionRefused(
                _(
                    "Cannot %(action)s: %(noun)s %(name)s is %(status)s. "
                    "This is possible only while it is %(allowed)s."
                )
                % {
                    "action": transition.label,
                    "noun": self.noun,
                    "name": name,
                    "status": self.label_of(status),
                    "allowed": self.status_list(transition.sources),
                },
                code=CoreErrorCode.TRANSITION_REFUSED,
            )
        return transition

    def check_actor(
        self, action: ActionT, actor: Any, *, message: str | Promise | None = None
    ) -> None:
        """Refuse (``PermissionDenied``) an actor whose role the table does not name.

        Scope (which organisation, which province) is the service's to check.
        ``message`` replaces the table's words where an app has its own.
        """
        if not self.may(action, actor):
            transition = self.transitions[action]
            raise PermissionDenied(
                message or _("Your role may not %(action)s.") % {"action": transition.label}
            )

    def may(self, action: ActionT, actor: Any) -> bool:
        """Whether the table names ``actor``'s role (or the system) for ``action``."""
        transition = self.transitions[action]
        if actor == SYSTEM_ACTOR and transition.system:
            return True
        return role_of(actor) in transition.actors

    def actions_from(self, status: str) -> list[ActionT]:
        """The actions whose transition starts at ``status``, in the table's order."""
        return [a for a, t in self.transitions.items() if status in t.sources]

    def allowed_actions(self, status: str, actor: Any) -> list[ActionT]:
        """The actions ``actor``'s role may take from ``status`` (to show only usable buttons)."""
        role = role_of(actor)
        return [
            a
            for a in self.actions_from(status)
            if not (self.transitions[a].system and not self.transitions[a].actors)
            and role in self.transitions[a].actors
        ]

    def targets(self, status: str) -> frozenset[StatusT]:
        """Every status reachable from ``status`` in one move."""
        return frozenset(
            t.target
            for t in self.transitions.values()
            if status in t.sources and t.target is not None
        )

    def action_between(self, source: str, target: str) -> ActionT | None:
        """The action that moves ``source`` to ``target``, if the table has one."""
        for action, transition in self.transitions.items():
            if source in transition.sources and transition.target == target:
                return action
        return None

    def label_of(self, status: str) -> str:
        try:
            return str(self.statuses(status).label)
        except ValueError:
            return status

    def status_list(self, statuses: frozenset[StatusT]) -> str:
        labels = [str(s.label) for s in self.statuses if s in statuses]
        return _(" or ").join(labels)

    def describe(self, action: ActionT) -> str:
        """The action's label with a capital letter, for buttons and headings."""
        return str(format_lazy("{}", self.transitions[action].label)).capitalize()


def illegal_moves(workflow: Workflow[Any, Any]) -> Iterator[tuple[str, Any]]:
    """Every (status, action) pair the table does not allow: the test pattern's input.

    Each app's test parametrizes over these, puts a record in the status, attempts
    the action through the service and asserts it is refused and nothing changed.
    """
    for status in workflow.statuses:
        for action, transition in workflow.transitions.items():
            if status not in transition.sources:
                yield str(status), action


# (app_label.ModelName, field name) -> workflow; filled by each app's workflow module.
REGISTRY: dict[tuple[str, str], Workflow[Any, Any]] = {}


def register(model_label: str, field: str, workflow: Workflow[Any, Any]) -> None:
    """Declare ``workflow`` as the one table driving ``model_label.field``."""
    REGISTRY[(model_label, field)] = workflow
