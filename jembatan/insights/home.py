"""What each role has to do next: the content of the home page.

Each role gets a list of :class:`Task` (a count of things waiting, with a link)
and figures about its scope. Counts are grouped queries over indexed columns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jembatan.accounts.models import User
from jembatan.core.access import role_of
from jembatan.core.change_display import with_related_names
from jembatan.core.models import ChangeRecord, ReferenceDataset
from jembatan.core.roles import Role
from jembatan.demand.models import Placement, PlacementStatus
from jembatan.matching.models import MatchingRun, RunStatus
from jembatan.organisations import selectors as org_selectors
from jembatan.organisations.rules import acting_licence
from jembatan.participants.journey import NEXT_STEP
from jembatan.participants.models import JourneyStatus
from jembatan.participants.selectors import own_participant, status_counts
from jembatan.protection.selectors import overdue_count
from jembatan.selection.models import InterviewDecision, RoundStatus, SelectionRound, ShortlistEntry


@dataclass
class Task:
    """One thing waiting for the person, with how many and where to act."""

    label: str | Promise
    count: int
    url: str = ""


@dataclass
class Home:
    """Everything the home page of one role shows."""

    template: str
    tasks: list[Task] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)


def _participants_url(status: str = "") -> str:
    url = reverse("participants:list")
    return f"{url}?status={status}" if status else url


def _journey_figures(user: Any) -> list[dict[str, Any]]:
    counts = status_counts(user)
    return [
        {
            "status": s,
            "label": s.label,
            "count": counts.get(s.value, 0),
            "url": _participants_url(s),
        }
        for s in JourneyStatus
    ]


def _awaiting(user: Any, status: JourneyStatus, label: Promise) -> Task:
    return Task(label, status_counts(user).get(status.value, 0), _participants_url(status))


def _national_admin(user: Any) -> Home:
    users = User.objects.order_by().values("role").annotate(n=Count("id"))
    return Home(
        "insights/home_national.html",
        tasks=[_licence_review_task(), _overdue_cases_task(user)],
        context={
            "users_by_role": {row["role"]: row["n"] for row in users},
            "datasets": ReferenceDataset.objects.all(),
            "journey": _journey_figures(user),
        },
    )


def _overdue_cases_task(user: Any) -> Task:
    """Protection cases in the officer's sight whose deadline has passed."""
    return Task(
        _("Protection cases past their deadline"),
        overdue_count(user),
        reverse("protection:list") + "?overdue=on",
    )


def _licence_review_task() -> Task:
    return Task(
        _("Licence applications waiting for review"),
        org_selectors.licences_awaiting_review().count(),
        reverse("organisations:list") + "?licence=awaiting_review",
    )


def _national_officer(user: Any) -> Home:
    expiring = org_selectors.licences_expiring(90)
    return Home(
        "insights/home_national.html",
        tasks=[
            _licence_review_task(),
            Task(
                _("Licences expiring within 90 days"),
                expiring.count(),
                reverse("organisations:list") + "?licence=expiring",
            ),
            _awaiting(user, JourneyStatus.REGISTERED, _("Registrations waiting for verification")),
            *_selection_tasks(),
            _overdue_cases_task(user),
        ],
        context={"journey": _journey_figures(user)},
    )


def _selection_tasks() -> list[Task]:
    """Open selection rounds and matching runs waiting for a decision."""
    return [
        Task(
            _("Selection rounds with stages running"),
            SelectionRound.objects.filter(status=RoundStatus.OPEN).count(),
            reverse("selection:list") + "?status=open",
        ),
        Task(
            _("Matching runs waiting for approval"),
            MatchingRun.objects.filter(status=RunStatus.DONE).count(),
            reverse("matching:list"),
        ),
    ]


def _provincial_officer(user: Any) -> Home:
    return Home(
        "insights/home_scoped.html",
        tasks=[
            _awaiting(
                user,
                JourneyStatus.REGISTERED,
                _("Registrations in your province waiting for verification"),
            ),
            _awaiting(
                user,
                JourneyStatus.RETURNED_EARLY,
                _("Participants from your province who returned early"),
            ),
            _overdue_cases_task(user),
        ],
        context={"journey": _journey_figures(user), "scope": user.province},
    )


def _training_operator(user: Any) -> Home:
    return Home(
        "insights/home_scoped.html",
        tasks=[
            _awaiting(
                user, JourneyStatus.VERIFIED, _("Verified participants waiting to start training")
            ),
            _awaiting(user, JourneyStatus.IN_TRAINING, _("Participants in training to assess")),
        ],
        context={"journey": _journey_figures(user), "scope": user.organisation},
    )


def _sender_operator(user: Any) -> Home:
    licence = org_selectors.current_licence(user.organisation)
    return Home(
        "insights/home_sender.html",
        tasks=[
            _awaiting(
                user, JourneyStatus.REGISTERED, _("Your candidates waiting for verification")
            ),
            _awaiting(
                user,
                JourneyStatus.CONTRACTED,
                _("Contracted participants to prepare for departure"),
            ),
            _awaiting(
                user,
                JourneyStatus.IN_PLACEMENT,
                _("Participants abroad you remain responsible for"),
            ),
        ],
        context={
            "journey": _journey_figures(user),
            "scope": user.organisation,
            "licence": licence,
            # The rule every path enforces (status and end date), not the status alone.
            "can_act": acting_licence(user.organisation) is not None,
            "today": timezone.localdate(),
        },
    )


def _partner(user: Any) -> Home:
    return Home(
        "insights/home_scoped.html",
        tasks=[
            Task(
                _("Matched participants waiting for your confirmation"),
                Placement.objects.filter(
                    job_order__partner_id=user.organisation_id, status=PlacementStatus.PROPOSED
                ).count(),
                reverse("demand:placements"),
            ),
            _awaiting(user, JourneyStatus.IN_PLACEMENT, _("Participants in placement with you")),
            Task(
                _("Shortlisted candidates waiting for your interview decision"),
                ShortlistEntry.objects.filter(
                    shortlist__job_order__partner_id=user.organisation_id,
                    decision=InterviewDecision.PENDING,
                ).count(),
                reverse("selection:list"),
            ),
        ],
        context={"journey": _journey_figures(user), "scope": user.organisation},
    )


# Where a participant acts on their next step, by journey status.
NEXT_STEP_PAGE: dict[str, tuple[str, Promise]] = {
    JourneyStatus.IN_SELECTION: ("selection:mine", _("See your selection results")),
    JourneyStatus.SELECTED: ("matching:preferences", _("Rank the job orders open to you")),
    JourneyStatus.MATCHED: ("matching:my_result", _("See your matching result")),
}


def _participant(user: Any) -> Home:
    participant = own_participant(user)
    next_step = NEXT_STEP.get(participant.status) if participant else None
    page = NEXT_STEP_PAGE.get(participant.status) if participant else None
    return Home(
        "insights/home_participant.html",
        context={
            "participant": participant,
            "next_step": next_step,
            "next_step_link": {"url": reverse(page[0]), "label": page[1]} if page else None,
        },
    )


def _auditor(user: Any) -> Home:
    return Home(
        "insights/home_auditor.html",
        context={
            "recent_changes": with_related_names(
                ChangeRecord.objects.select_related("content_type")[:15]
            )
        },
    )


BUILDERS: dict[Role, Callable[[Any], Home]] = {
    Role.NATIONAL_ADMIN: _national_admin,
    Role.NATIONAL_OFFICER: _national_officer,
    Role.PROVINCIAL_OFFICER: _provincial_officer,
    Role.TRAINING_OPERATOR: _training_operator,
    Role.SENDER_OPERATOR: _sender_operator,
    Role.PARTNER: _partner,
    Role.PARTICIPANT: _participant,
    Role.AUDITOR: _auditor,
}


def home_for(user: Any) -> Home:
    """The home page content for ``user``'s role."""
    role = role_of(user)
    if role is None:
        raise ValueError("home_for() needs a signed-in user with a known role")
    return BUILDERS[role](user)
