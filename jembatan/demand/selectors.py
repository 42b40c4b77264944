"""Reads of demand, filtered by who asks; the public reads show no personal data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.utils.translation import get_language

from jembatan.core.access import role_of
from jembatan.core.models import ChangeRecord, Country, Occupation, Region
from jembatan.core.public_cache import CACHE_ALIAS
from jembatan.core.roles import NATIONAL, Role
from jembatan.demand.models import JobOrder, JobOrderStatus, Placement, PlacementStatus, Target
from jembatan.demand.workflows import PUBLISHED
from jembatan.training.models import Certificate, Enrolment, LanguageResult

SEE_ALL = NATIONAL | {Role.AUDITOR}
# Officials at home see the orders the ministry approved (to prepare candidates for them).
SEE_APPROVED = frozenset({Role.PROVINCIAL_OFFICER, Role.SENDER_OPERATOR, Role.TRAINING_OPERATOR})
APPROVED_ONWARDS = (
    JobOrderStatus.APPROVED,
    JobOrderStatus.OPEN,
    JobOrderStatus.FILLED,
    JobOrderStatus.CLOSED,
)


def _placements(status: str) -> Coalesce:
    counted = (
        Placement.objects.filter(job_order=OuterRef("pk"), status=status)
        .order_by()
        .values("job_order")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def slot_summary(job_orders: QuerySet[JobOrder]) -> QuerySet[JobOrder]:
    """``job_orders`` annotated with ``slots_filled``, ``slots_proposed`` and ``slots_open``.

    Counted from the placements in the same query (correlated subqueries, so
    other joins cannot multiply the counts); nobody edits a counter.
    """
    return job_orders.annotate(
        slots_filled=_placements(PlacementStatus.CONFIRMED),
        slots_proposed=_placements(PlacementStatus.PROPOSED),
    ).annotate(slots_open=Greatest(F("slots") - F("slots_filled"), Value(0)))


def _related(rows: QuerySet[JobOrder]) -> QuerySet[JobOrder]:
    return rows.select_related("partner", "host_company", "country", "occupation__dataset")


def job_orders_visible_to(user: Any) -> QuerySet[JobOrder]:
    """National staff and auditors see all; a partner its own; officials at home approved ones."""
    role = role_of(user)
    rows = _related(JobOrder.objects.all())
    if role in SEE_ALL:
        return rows
    if role == Role.PARTNER and user.organisation_id:
        return rows.filter(partner_id=user.organisation_id)
    if role in SEE_APPROVED:
        return rows.filter(status__in=APPROVED_ONWARDS)
    return rows.none()


def job_order_for(user: Any, pk: int) -> JobOrder:
    """One job order by id, or 404 if ``user`` may not see it."""
    found = slot_summary(job_orders_visible_to(user)).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


# Submitting sets submitted_at, so a submitted order always has one to page on.
REVIEW_ORDER = ("submitted_at", "pk")


def review_queue(user: Any) -> QuerySet[JobOrder]:
    """Submitted job orders waiting for the ministry, oldest submission first."""
    if role_of(user) not in SEE_ALL:
        return JobOrder.objects.none()
    return _related(JobOrder.objects.filter(status=JobOrderStatus.SUBMITTED)).order_by(
        *REVIEW_ORDER
    )


def history_of(job_order: JobOrder) -> QuerySet[ChangeRecord]:
    """The audited changes of ``job_order``, newest first (who, when, what, why)."""
    return ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(JobOrder), object_id=str(job_order.pk)
    ).order_by("-at", "-id")


@dataclass(frozen=True)
class PublicFilter:
    """The public list's filters: a country code, an occupation id, a province code."""

    country: str = ""
    occupation: int | None = None
    province: str = ""


@dataclass(frozen=True)
class PublicChoices:
    """What the public list can be filtered by: only values a published order uses."""

    countries: list[tuple[str, str]]
    occupations: list[tuple[int, str]]
    provinces: list[tuple[str, str]]


def public_filter_choices() -> PublicChoices:
    """The public filter's countries, occupations (with their groups) and provinces.

    Labels are in the active language. The answer is the same for every visitor, so
    each process keeps it as long as it keeps the public pages (core/public_cache.py).
    """
    seconds = settings.JEMBATAN_PUBLIC_CACHE_SECONDS
    key = f"public-filter-choices:{get_language()}"
    cache = caches[CACHE_ALIAS]
    kept = cache.get(key) if seconds else None
    if kept is None:
        kept = _public_filter_choices()
        if seconds:
            cache.set(key, kept, seconds)
    return kept


def _public_filter_choices() -> PublicChoices:
    published = public_job_orders()
    used = published.values("occupation_id")
    occupations = Occupation.objects.filter(
        Q(pk__in=used) | Q(children__pk__in=used) | Q(children__children__pk__in=used)
    ).distinct()
    return PublicChoices(
        countries=[
            (c.pk, str(c)) for c in Country.objects.filter(pk__in=published.values("country_id"))
        ],
        occupations=[(o.pk, str(o)) for o in occupations.order_by("code")],
        provinces=[(r.pk, str(r)) for r in Region.objects.filter(level="province")],
    )


def public_job_orders(filters: PublicFilter | None = None) -> QuerySet[JobOrder]:
    """Approved job orders with at least one open slot: what anyone may see."""
    filters = filters or PublicFilter()
    rows = slot_summary(_related(JobOrder.objects.filter(status__in=sorted(PUBLISHED))))
    if filters.country:
        rows = rows.filter(country_id=filters.country)
    if filters.occupation is not None:
        chosen = filters.occupation
        rows = rows.filter(
            Q(occupation_id=chosen)
            | Q(occupation__parent_id=chosen)
            | Q(occupation__parent__parent_id=chosen)
        )
    if filters.province:
        rows = rows.filter(
            pk__in=JobOrder.training_provinces.through.objects.filter(
                region_id=filters.province
            ).values("joborder_id")
        )
    return rows.filter(slots_open__gt=0)  # type: ignore[misc]  # annotated by slot_summary


def public_job_order(pk: int) -> JobOrder:
    """One published job order with open slots, or 404."""
    found = public_job_orders().filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def targets_visible_to(user: Any) -> QuerySet[Target]:
    """National staff and auditors see every target; a partner its own."""
    role = role_of(user)
    rows = Target.objects.select_related("partner", "country")
    if role in SEE_ALL:
        return rows
    if role == Role.PARTNER and user.organisation_id:
        return rows.filter(partner_id=user.organisation_id)
    return rows.none()


def placements_visible_to(user: Any) -> QuerySet[Placement]:
    """Placements on the job orders ``user`` sees, waiting ones first, newest first."""
    orders = job_orders_visible_to(user)
    return (
        Placement.objects.filter(job_order__in=orders)
        .select_related("participant", "job_order__partner", "job_order__occupation")
        .order_by(
            Case(When(status=PlacementStatus.PROPOSED, then=0), default=1), "-created_at", "-pk"
        )
    )


def placement_for(user: Any, pk: int) -> Placement:
    """One placement ``user`` may see, or 404."""
    found = placements_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def placement_dossier(placement: Placement) -> dict[str, Any]:
    """What a partner needs to decide on a person offered to it: training and results.

    Training (batches with their programme and outcome), certificates that are
    not revoked, and language results, newest first. Contact details and
    identity beyond a masked NIK are not part of it (``participants/disclosure.py``).
    """
    participant = placement.participant
    return {
        "enrolments": list(
            Enrolment.objects.filter(participant=participant)
            .select_related("batch__programme__organisation")
            .order_by("-enrolled_at")
        ),
        "certificates": list(
            Certificate.objects.filter(participant=participant, revoked_at__isnull=True)
            .select_related("issuer")
            .order_by("-issued_on")
        ),
        "language_results": list(
            LanguageResult.objects.filter(participant=participant).order_by("-tested_on")
        ),
    }
