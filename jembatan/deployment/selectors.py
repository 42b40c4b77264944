"""Reads of deployment, always filtered by who asks.

National staff and auditors see every deployment; a provincial officer those
of people from their province; a sending organisation its own; a partner the
apprentices placed with it; a participant their own. Anyone else sees nothing,
and a lookup by id outside one's scope answers 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from jembatan.core.access import role_of
from jembatan.core.roles import NATIONAL, Role
from jembatan.demand.models import Placement, PlacementStatus
from jembatan.deployment.models import (
    Deployment,
    DeploymentEvent,
    DeploymentStatus,
    MonitoringAlert,
    MonitoringReport,
    PreDepartureStep,
    StayStage,
    StepKind,
)
from jembatan.organisations.models import ContactPerson, Organisation
from jembatan.participants.selectors import participants_visible_to

EVERYTHING = NATIONAL | {Role.AUDITOR}
ORGANISATION_FIELD = {Role.SENDER_OPERATOR: "sending_organisation_id", Role.PARTNER: "partner_id"}
RELATED = (
    "participant",
    "job_order",
    "partner",
    "sending_organisation",
    "host_company",
    "supervising_organisation",
    "country",
)


def scope_filter(user: Any) -> Q | None:
    """The filter that limits deployments to ``user``'s scope; None means nothing."""
    role = role_of(user)
    if role in EVERYTHING:
        return Q()
    if role == Role.PROVINCIAL_OFFICER and user.province_id:
        return Q(participant__province_id=user.province_id)
    if role in ORGANISATION_FIELD and user.organisation_id:
        return Q(**{ORGANISATION_FIELD[role]: user.organisation_id})
    if role == Role.PARTICIPANT:
        return Q(participant__user_id=user.pk)
    return None


def deployments_visible_to(user: Any) -> QuerySet[Deployment]:
    """Every deployment ``user`` may see, and no other."""
    condition = scope_filter(user)
    if condition is None:
        return Deployment.objects.none()
    return Deployment.objects.filter(condition)


def deployment_for(user: Any, pk: int) -> Deployment:
    """One deployment by id, or 404 if ``user`` may not see it."""
    found = deployments_visible_to(user).select_related(*RELATED).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def own_deployment(user: Any) -> Deployment | None:
    """The signed-in participant's latest deployment, if any."""
    return (
        deployments_visible_to(user)
        .filter(participant__user_id=user.pk)
        .select_related(*RELATED)
        .order_by("-pk")
        .first()
    )


def latest_deployment_of(user: Any, participant_id: int) -> Deployment | None:
    """The latest deployment of one participant that ``user`` may see (for the person's page)."""
    return (
        deployments_visible_to(user)
        .filter(participant_id=participant_id)
        .select_related(*RELATED)
        .order_by("-pk")
        .first()
    )


def deployment_list(user: Any, *, status: str = "") -> QuerySet[Deployment]:
    """The deployments ``user`` may see, newest first, optionally of one status."""
    rows = deployments_visible_to(user).select_related(
        "participant", "host_company", "sending_organisation", "partner"
    )
    if status in DeploymentStatus.values:
        rows = rows.filter(status=status)
    return rows


def status_counts(user: Any) -> dict[str, int]:
    """How many deployments in ``user``'s scope are in each status."""
    rows = deployments_visible_to(user).order_by().values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def placements_to_prepare(user: Any) -> QuerySet[Placement]:
    """Confirmed placements of people ``user`` may see that have no deployment yet."""
    people = participants_visible_to(user).values("pk")
    return (
        Placement.objects.filter(
            status=PlacementStatus.CONFIRMED, participant__in=people, deployment__isnull=True
        )
        .select_related("participant", "job_order", "job_order__partner")
        .order_by("-pk")
    )


def placement_to_prepare(user: Any, pk: int) -> Placement:
    """One confirmed placement without a deployment that ``user`` may see, or 404."""
    found = placements_to_prepare(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def steps_of(deployment: Deployment) -> dict[str, PreDepartureStep]:
    """The recorded steps of ``deployment`` by kind."""
    return {
        s.kind: s
        for s in PreDepartureStep.objects.filter(deployment=deployment).select_related(
            "confirmed_by", "document"
        )
    }


def stages_of(deployment: Deployment) -> list[StayStage]:
    """The stages of the stay in order."""
    return list(deployment.stages.select_related("recorded_by").order_by("sequence"))


def next_stage(deployment: Deployment) -> StayStage | None:
    """The first stage of the stay not done yet."""
    return deployment.stages.filter(done_on__isnull=True).order_by("sequence").first()


def stage_for(deployment: Deployment, pk: int) -> StayStage:
    """One stage of ``deployment`` (already in scope), or 404."""
    found = deployment.stages.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def reports_of(deployment: Deployment, *, limit: int = 24) -> list[MonitoringReport]:
    """The latest monitoring reports and check-ins, newest first."""
    return list(deployment.reports.select_related("submitted_by").order_by("-submitted_at")[:limit])


def alerts_of(deployment: Deployment) -> list[MonitoringAlert]:
    """Every alert on ``deployment``'s reports, newest due date first."""
    return list(deployment.alerts.order_by("-due_on", "-id"))


def events_of(deployment: Deployment) -> list[DeploymentEvent]:
    """Every move of ``deployment``, newest first."""
    return list(
        deployment.events.select_related("by", "host_before", "host_after").order_by(
            "-recorded_at", "-id"
        )
    )


def host_companies() -> QuerySet[Organisation]:
    """Host companies abroad a deployment or a transfer may name."""
    return Organisation.objects.filter(kind="host_company", archived_at__isnull=True).exclude(
        country_id="ID"
    )


def supervising_organisations() -> QuerySet[Organisation]:
    """Organisations abroad that may supervise an apprentice (partners and associations)."""
    return Organisation.objects.filter(
        kind__in=["partner", "association"], archived_at__isnull=True
    ).exclude(country_id="ID")


def contacts_of(organisation: Organisation | None) -> list[ContactPerson]:
    """The people to call at ``organisation``, the primary contact first."""
    if organisation is None:
        return []
    return list(
        organisation.contacts.filter(archived_at__isnull=True).order_by("-is_primary", "name")
    )


@dataclass(frozen=True)
class Flight:
    """One flight that takes apprentices abroad: its number and date, and how many are on it."""

    number: str
    day: dt.date
    people: int


FLIGHTS_PER_PAGE = 200


def flights_visible_to(
    user: Any, *, through: dt.date | None = None, size: int | None = None
) -> tuple[list[Flight], dt.date | None]:
    """The flights recorded for deployments in ``user``'s scope, the latest first, a page
    of whole days: the flights up to ``through`` (every day, when None) and the day the
    next page starts from (None on the last page).

    A page ends at a day's end, so no flight of a day is split across two pages; a
    single day with more than ``size`` flights is shown whole.
    """
    size = size or FLIGHTS_PER_PAGE
    rows = PreDepartureStep.objects.filter(
        kind=StepKind.FLIGHT, deployment__in=deployments_visible_to(user).values("pk")
    )
    if through is not None:
        rows = rows.filter(done_on__lte=through)
    grouped = (
        rows.order_by()
        .values("reference", "done_on")
        .annotate(n=Count("id"))
        .order_by("-done_on", "reference")
    )
    found = [Flight(r["reference"], r["done_on"], r["n"]) for r in grouped[: size + 1]]
    if len(found) <= size:
        return found, None
    last_day = found[size].day  # the first flight left off starts the next page
    whole_days = [f for f in found if f.day > last_day]
    if whole_days:
        return whole_days, last_day
    day = [Flight(r["reference"], r["done_on"], r["n"]) for r in grouped.filter(done_on=last_day)]
    earlier = rows.filter(done_on__lt=last_day).order_by("-done_on").values_list("done_on")
    following = earlier.first()
    return day, following[0] if following else None


def manifest_rows(user: Any, number: str, day: dt.date) -> list[Deployment]:
    """The deployments on flight ``number`` of ``day`` that ``user`` may see, by name."""
    on_flight = PreDepartureStep.objects.filter(
        kind=StepKind.FLIGHT, reference=number, done_on=day
    ).values("deployment_id")
    return list(
        deployments_visible_to(user)
        .filter(pk__in=on_flight)
        .select_related(*RELATED)
        .prefetch_related("steps")
        .order_by("participant__full_name", "pk")
    )
