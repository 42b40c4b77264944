"""Protection demo data: cases in every state, about apprentices of the deployment demo.

Runs after the deployment demo. Each story is one case about an apprentice
abroad (the sending organisation, the partner and the host company taken from
the deployment), reported some days ago, with the timeline the services would
have written:

* *reported* an hour ago (its first response still due) and *reported* days ago,
  escalated once to the national directorate on its missed first response;
* *triaged*; *in progress*, escalated twice to the director on missed deadlines;
* *referred* to KBRI Tokyo, whose answer is overdue;
* *awaiting the reporter*, an anonymous report whose follow-up secret is
  :data:`DEMO_SECRET` (for the public follow-up page);
* *resolved* (substantiated); *closed* with each outcome (substantiated, partly,
  not substantiated); *withdrawn* by the reporter.

Rows are written in bulk through the ORM (ADR 0007) with one change record
summarising them; no e-mail is sent. Idempotent: nothing is done when any case
exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext

from jembatan.core.audit import record_change
from jembatan.core.models import ChangeRecord
from jembatan.demo.cast import ACTOR
from jembatan.deployment.models import ABROAD, Deployment
from jembatan.protection.deadlines import deadline_for, table_version
from jembatan.protection.models import (
    Case,
    CaseCategory,
    CaseEvent,
    CaseLevel,
    CaseStatus,
    EventKind,
    Outcome,
    Referral,
    ReferralKind,
    ReporterKind,
    Severity,
)
from jembatan.protection.rules import pick_owner

Progress = Callable[[str], None]
DEMO_SECRET = "DEMA-AMAN-KASU-S234"  # noqa: S105 (a published demo value)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Story:
    """One demo case: what happened, how long ago, where it stands."""

    category: str
    severity: str
    status: str
    age: dt.timedelta
    text: str
    escalations: int = 0
    outcome: str = ""
    done: str = ""
    anonymous: bool = False
    referral_overdue: bool = False


STORIES = (
    Story(
        CaseCategory.UNPAID_WAGES,
        Severity.MEDIUM,
        CaseStatus.REPORTED,
        HOUR,
        "Overtime in October was not paid.",
    ),
    Story(
        CaseCategory.VIOLENCE,
        Severity.HIGH,
        CaseStatus.REPORTED,
        3 * DAY,
        "The line supervisor pushed her against a machine.",
        escalations=1,
    ),
    Story(
        CaseCategory.EXCESSIVE_HOURS,
        Severity.MEDIUM,
        CaseStatus.TRIAGED,
        2 * DAY,
        "Twelve-hour shifts six days a week during the harvest.",
    ),
    Story(
        CaseCategory.DOCUMENTS_RETAINED,
        Severity.HIGH,
        CaseStatus.IN_PROGRESS,
        40 * DAY,
        "The company keeps the passports of all trainees in a safe.",
        escalations=2,
    ),
    Story(
        CaseCategory.HOUSING,
        Severity.MEDIUM,
        CaseStatus.REFERRED,
        12 * DAY,
        "The dormitory has no heating; eight people share one room.",
        referral_overdue=True,
    ),
    Story(
        CaseCategory.SEXUAL_HARASSMENT,
        Severity.HIGH,
        CaseStatus.AWAITING_REPORTER,
        5 * DAY,
        "A colleague sends her messages at night and touches her at work.",
        anonymous=True,
    ),
    Story(
        CaseCategory.EXCESSIVE_FEES,
        Severity.MEDIUM,
        CaseStatus.RESOLVED,
        25 * DAY,
        "The LPK asked for a further Rp 15,000,000 before departure.",
        outcome=Outcome.SUBSTANTIATED,
        done="The LPK refunded the fee; a licence warning was given.",
    ),
    Story(
        CaseCategory.UNPAID_WAGES,
        Severity.MEDIUM,
        CaseStatus.CLOSED,
        60 * DAY,
        "Two months of wages withheld as a 'deposit'.",
        outcome=Outcome.SUBSTANTIATED,
        done="The partner made the host company pay; deposit returned.",
    ),
    Story(
        CaseCategory.CONTRACT_CHANGED,
        Severity.LOW,
        CaseStatus.CLOSED,
        50 * DAY,
        "The job is packing, not welding as in the contract.",
        outcome=Outcome.PARTLY,
        done="Moved to the welding line for half of the week.",
    ),
    Story(
        CaseCategory.DISCRIMINATION,
        Severity.LOW,
        CaseStatus.CLOSED,
        45 * DAY,
        "Not allowed to pray during breaks.",
        outcome=Outcome.NOT_SUBSTANTIATED,
        done="Break rules apply to all; a prayer room is offered.",
    ),
    Story(
        CaseCategory.HEALTH,
        Severity.MEDIUM,
        CaseStatus.WITHDRAWN,
        8 * DAY,
        "No time off to see a doctor.",
        outcome=Outcome.WITHDRAWN,
        done="The reporter says the company now gives the day off.",
    ),
)


def seed_protection(*, now: dt.datetime, progress: Progress) -> int:
    """Create the protection demo unless any case exists; the number created."""
    if Case.objects.exists():
        return 0
    deployments = list(
        Deployment.objects.filter(status__in=sorted(ABROAD))
        .select_related("participant")
        .order_by("pk")[: len(STORIES)]
    )
    if not deployments:
        progress("Protection demo data skipped: nobody is abroad.")
        return 0
    made = [
        _case(story, deployments[i % len(deployments)], now, i) for i, story in enumerate(STORIES)
    ]
    Case.objects.bulk_create(made)
    for number, case in enumerate(made, start=1):
        case.code = f"PK-{now.year}-{number:06d}"
    Case.objects.bulk_update(made, ["code"])
    CaseEvent.objects.bulk_create(
        [e for story, case in zip(STORIES, made, strict=True) for e in _events(story, case)]
    )
    Referral.objects.bulk_create(
        [
            _referral(case, now)
            for story, case in zip(STORIES, made, strict=True)
            if story.status == CaseStatus.REFERRED
        ]
    )
    record_change(
        acting_user=ACTOR,
        operation="protection.seed",
        action=ChangeRecord.Action.BULK,
        instance=Case,
        summary=f"Demo protection cases: {len(made)}",
        changes={"cases": {"before": 0, "after": len(made)}},
        reason="jembatan seed (demo/protection.py)",
    )
    progress(
        f"Protection cases: {len(made)} in every state; anonymous follow-up "
        f"{made[5].code} with secret {DEMO_SECRET}."
    )
    return len(made)


LEVELS = (CaseLevel.PROVINCIAL, CaseLevel.NATIONAL, CaseLevel.DIRECTOR)


def _case(story: Story, deployment: Deployment, now: dt.datetime, i: int) -> Case:
    reported = now - story.age
    row = deadline_for(story.category, story.severity)
    province = deployment.participant.province_id
    level = LEVELS[story.escalations]
    escalated = (
        reported + dt.timedelta(hours=row.first_response_hours) if story.escalations else None
    )
    finished = story.status in (CaseStatus.CLOSED, CaseStatus.WITHDRAWN)
    first_due = row.first_response_due(reported)
    resolution_due = row.resolution_due(reported)
    if story.escalations == 1:
        first_due = now + dt.timedelta(hours=row.first_response_hours)
    if story.escalations == 2:
        resolution_due = now + dt.timedelta(days=row.escalated_days)
    return Case(
        code=f"seed-{i}",
        secret_hash=make_password(DEMO_SECRET) if story.anonymous else "",
        reporter_kind=ReporterKind.ANONYMOUS if story.anonymous else ReporterKind.APPRENTICE,
        reporter_contact="" if not story.anonymous else "teman.siti@example.org",
        reporter_language="ja" if story.anonymous else "id",
        category=story.category,
        severity=story.severity,
        description=story.text,
        participant=deployment.participant,
        deployment=deployment,
        host_company_id=deployment.host_company_id,
        sending_organisation_id=deployment.sending_organisation_id,
        partner_id=deployment.partner_id,
        country_id=deployment.country_id,
        status=story.status,
        status_changed_at=reported + HOUR,
        level=level,
        province_id=province,
        owner=pick_owner(level, province),
        reported_at=reported,
        first_response_due=first_due,
        resolution_due=resolution_due,
        first_responded_at=None if story.status == CaseStatus.REPORTED else reported + HOUR,
        deadlines_version=table_version(),
        escalations=story.escalations,
        escalated_at=escalated,
        outcome=story.outcome,
        action_taken=story.done,
        resolved_at=reported + 10 * DAY if story.outcome else None,
        closed_at=reported + 12 * DAY if finished else None,
    )


def _event(case: Case, kind: str, at: dt.datetime, **fields: Any) -> CaseEvent:
    return CaseEvent(case=case, kind=kind, at=at, by_label=ACTOR, **fields)


def _events(story: Story, case: Case) -> list[CaseEvent]:
    at = case.reported_at
    lines = [_event(case, EventKind.REPORTED, at, public=True, to_status=CaseStatus.REPORTED)]
    for step in range(story.escalations):
        lines.append(
            _event(
                case,
                EventKind.ESCALATED,
                at + (step + 1) * DAY,
                from_level=LEVELS[step],
                to_level=LEVELS[step + 1],
                message=gettext("The case was not resolved by its deadline."),
            )
        )
    if story.status != CaseStatus.REPORTED:
        lines.append(
            _event(
                case,
                EventKind.TRIAGED,
                at + HOUR,
                from_status=CaseStatus.REPORTED,
                to_status=CaseStatus.TRIAGED,
            )
        )
    if story.status == CaseStatus.AWAITING_REPORTER:
        lines.append(
            _event(
                case,
                EventKind.MESSAGE,
                at + 2 * HOUR,
                public=True,
                message="Can you tell us the name of the colleague and the company?",
                from_status=CaseStatus.TRIAGED,
                to_status=story.status,
            )
        )
    if story.outcome:
        kind: dict[str, EventKind] = {
            CaseStatus.WITHDRAWN: EventKind.WITHDRAWN,
            CaseStatus.RESOLVED: EventKind.RESOLVED,
        }
        lines.append(
            _event(
                case,
                kind.get(story.status, EventKind.CLOSED),
                at + 10 * DAY,
                public=True,
                message=story.done,
                to_status=story.status,
            )
        )
    return lines


def _referral(case: Case, now: dt.datetime) -> Referral:
    return Referral(
        case=case,
        kind=ReferralKind.EMBASSY,
        mission_country="JP",
        recipient="Kedutaan Besar Republik Indonesia (KBRI) Tokyo",
        request="Please visit the dormitory and report on the heating and the rooms.",
        due_on=(now - 2 * DAY).date(),
        referred_at=now - 9 * DAY,
    )
