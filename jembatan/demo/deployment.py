"""Deployment demo data: apprentices in every state before and after departure.

Runs after the selection demo. Takes 23 participants already at the journey's
stage each story needs (contracted, departed, in placement, completed, returned
early), without a placement or a selection round, of the demo sending
organisations first (LPK Sakura Mandiri and LPK Hikari Nusantara, whose
operators are demo-sender and demo-sender-2), puts them on confirmed placements
of IM Japan's open job orders (never more than the slots left) and gives each a
deployment:

* *preparing*: one with every gate met, its departure papers handed in and
  verified (confirm its departure as demo-sender),
  three with gates still open (no medical check, a contract differing from the
  job order waiting for Kemnaker, no flight);
* *departed* two days ago, arrival not yet recorded;
* *in placement* at host companies in Toyama, Aichi, Ibaraki and Shizuoka,
  arrived between 40 days and 20 months ago: some with every report in, some
  whose reports stopped (alerts raised with the sending organisation, the
  oldest escalated to the ministry), one transferred to Kumamoto;
* *in difficulty*, *missing*, *completed* and *returned early* (family, illness).

No login is added for them: the demo's participant logins stay where the other
demos put them (the check-in is covered by the tests and the browser test). The
rows are written in bulk through the ORM (ADR 0007), with one change record
summarising them; the alerts are what the daily run
would raise, written without sending e-mail. Idempotent: nothing is done when
any deployment exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from jembatan.core.audit import record_change
from jembatan.core.models import ChangeRecord
from jembatan.demand.models import JobOrder, JobOrderStatus, Placement, PlacementStatus
from jembatan.demo.cast import ACTOR, IM_JAPAN, LPK_DEMO_SENDER, LPK_DEMO_SENDER_2
from jembatan.demo.documents import departure_papers_verified, stage_papers_verified
from jembatan.deployment.models import (
    AlertStatus,
    Contract,
    Deployment,
    DeploymentEvent,
    DeploymentStatus,
    MonitoringAlert,
    MonitoringReport,
    PreDepartureStep,
    StayStage,
    StepKind,
)
from jembatan.deployment.months import add_months, period_containing, period_end
from jembatan.deployment.overdue import overdue_reports
from jembatan.deployment.reference import rhythms, stay_plan
from jembatan.documents.models import Stage
from jembatan.organisations.models import ContactPerson, Organisation, OrganisationKind
from jembatan.organisations.rules import acting_licence
from jembatan.participants.models import JourneyStatus, Participant

Progress = Callable[[str], None]
SUPERVISOR = "Chubu Gino Jisshu Kyodo Kumiai (中部技能実習協同組合)"
D = DeploymentStatus


@dataclass(frozen=True)
class Host:
    """A host company in Japan: where it is, its address and whom to call."""

    name: str
    prefecture: str
    city: str
    address: str
    contact: str
    phone: str


HOSTS: dict[str, Host] = {
    "Toyama": Host("Toyama Precision Casting Co., Ltd.", "Toyama", "Takaoka",
                   "3-12-8 Eiraku-cho, Takaoka-shi, Toyama 933-0071; dormitory next to the plant",
                   "Yamada Takeshi", "+81 766 22 1040"),
    "Aichi": Host("Aichi Auto Parts Kogyo Co., Ltd.", "Aichi", "Toyota",
                  "2-45 Hirayama-cho, Toyota-shi, Aichi 471-0005; company flat 2-3-101",
                  "Kobayashi Naoki", "+81 565 28 1120"),
    "Ibaraki": Host("Hokota Green House Farm Co., Ltd.", "Ibaraki", "Hokota",
                    "1580-2 Tokuyado, Hokota-shi, Ibaraki 311-1517; farm house on site",
                    "Suzuki Kazuo", "+81 291 33 2018"),
    "Shizuoka": Host("Yaizu Marine Foods Co., Ltd.", "Shizuoka", "Yaizu",
                     "4-7-22 Shinmei-cho, Yaizu-shi, Shizuoka 425-0037; dormitory Yaizu 5",
                     "Mochizuki Emi", "+81 54 628 3391"),
    "Kumamoto": Host("Kumamoto Green Agri Co., Ltd.", "Kumamoto", "Kikuchi",
                     "812 Waifu, Kikuchi-shi, Kumamoto 861-1306; shared house 3",
                     "Nakamura Yoko", "+81 968 25 0912"),
}  # fmt: skip
# Which host each of IM Japan's demo job orders works at (by its work prefecture).
WHERE = {"Toyama": "Toyama", "Aichi": "Aichi", "Ibaraki": "Ibaraki", "Shizuoka": "Shizuoka"}


@dataclass(frozen=True)
class Story:
    """One apprentice's state and dates (days before today), and how they reported."""

    status: str
    departed: int | None = None
    arrived: int | None = None
    reports: str = "all"  # all, none, sender (only the sending organisation reports)
    ready: bool = False
    missing_step: str = ""
    differs: bool = False
    ended: int | None = None
    reason: str = ""
    reason_code: str = ""


STORIES: tuple[Story, ...] = (
    Story(D.PREPARING, ready=True),
    Story(D.PREPARING, missing_step=StepKind.MEDICAL),
    Story(D.PREPARING, differs=True),
    Story(D.PREPARING, missing_step=StepKind.FLIGHT),
    Story(D.DEPARTED, departed=2),
    Story(D.DEPARTED, departed=1),
    Story(D.IN_PLACEMENT, departed=41, arrived=40, reports="none"),
    Story(D.IN_PLACEMENT, departed=95, arrived=94),
    Story(D.IN_PLACEMENT, departed=130, arrived=129, reports="none"),
    Story(D.IN_PLACEMENT, departed=200, arrived=199),
    Story(D.IN_PLACEMENT, departed=250, arrived=249, reports="sender"),
    Story(D.IN_PLACEMENT, departed=320, arrived=319),
    Story(D.IN_PLACEMENT, departed=380, arrived=379, reports="none"),
    Story(D.IN_PLACEMENT, departed=420, arrived=419),
    Story(D.IN_PLACEMENT, departed=470, arrived=469, reports="sender"),
    Story(D.IN_PLACEMENT, departed=560, arrived=559),
    Story(D.IN_PLACEMENT, departed=610, arrived=609, reason="transfer"),
    Story(D.IN_DIFFICULTY, departed=150, arrived=149, reports="sender",
          reason="Jam lembur tidak dibayar selama dua bulan; pengawas OTIT sudah dihubungi."),
    Story(D.MISSING, departed=300, arrived=299, reports="none",
          reason="Tidak datang kerja dan tidak ada di asrama sejak Senin; polisi diberi tahu."),
    Story(D.COMPLETED, departed=1130, arrived=1129, ended=30),
    Story(D.COMPLETED, departed=1140, arrived=1139, ended=40),
    Story(D.RETURNED_EARLY, departed=400, arrived=399, ended=60, reason_code="family",
          reason="Ayah sakit keras di Kendal; pulang atas permintaan keluarga."),
    Story(D.RETURNED_EARLY, departed=220, arrived=219, ended=15, reason_code="illness",
          reason="Cedera tangan di mesin press; dirawat di Indonesia."),
)  # fmt: skip
JOURNEY: dict[str, str] = {
    D.PREPARING: JourneyStatus.CONTRACTED,
    D.DEPARTED: JourneyStatus.DEPARTED,
    D.IN_PLACEMENT: JourneyStatus.IN_PLACEMENT,
    D.IN_DIFFICULTY: JourneyStatus.IN_PLACEMENT,
    D.MISSING: JourneyStatus.IN_PLACEMENT,
    D.COMPLETED: JourneyStatus.COMPLETED,
    D.RETURNED_EARLY: JourneyStatus.RETURNED_EARLY,
}


def seed_deployment(*, today: dt.date, progress: Progress) -> int:
    """Create the deployment demo unless any deployment exists; the number created."""
    if Deployment.objects.exists():
        return 0
    orders = _assign(_free_slots(), len(STORIES))
    cast = _cast(STORIES)[: len(orders)]
    if not cast:
        progress("Deployment demo data skipped: no open slot or no participant to place.")
        return 0
    world = _world()
    made = [
        _deploy(story, person, order, world, today)
        for (story, person), order in zip(cast, orders, strict=False)
    ]
    _alerts(today)
    record_change(
        acting_user=ACTOR,
        operation="deployment.seed",
        action=ChangeRecord.Action.BULK,
        instance=Deployment,
        summary=f"Demo deployments: {len(made)}",
        changes={"deployments": {"before": 0, "after": len(made)}},
        reason="jembatan seed (demo/deployment.py)",
    )
    progress(f"Deployments: {len(made)} apprentices before departure and abroad.")
    return len(made)


def _free_slots() -> list[tuple[JobOrder, int]]:
    orders = JobOrder.objects.filter(
        partner__name=IM_JAPAN, status=JobOrderStatus.OPEN, country_id="JP"
    ).order_by("pk")
    found = []
    for order in orders:
        taken = order.placements.exclude(status=PlacementStatus.CANCELLED).count()
        if order.work_prefecture in WHERE and order.slots - taken > 1:
            found.append((order, order.slots - taken - 1))  # one slot left open
    return found


def _assign(slots: list[tuple[JobOrder, int]], n: int) -> list[JobOrder]:
    """``n`` job orders, round-robin over those with room, never past their free slots."""
    left = {order.pk: free for order, free in slots}
    # Orders without a language requirement first: the ready departure meets every gate.
    orders = sorted((order for order, _free in slots), key=lambda o: (bool(o.language_test), o.pk))
    chosen: list[JobOrder] = []
    while len(chosen) < n and any(left.values()):
        for order in orders:
            if left[order.pk] and len(chosen) < n:
                chosen.append(order)
                left[order.pk] -= 1
    return chosen


def _cast(stories: tuple[Story, ...]) -> list[tuple[Story, Participant]]:
    """A participant for each story, already at the journey's stage the story needs.

    Nobody's stage changes, so the bulk demo keeps every stage of the journey;
    those in selection or with a placement or a login are left to their own
    demos. The departure ready to confirm is someone whose sending organisation
    may send today (every gate can be met). A story nobody fits is left out.
    """
    placed = Placement.objects.values("participant_id")
    free = Participant.objects.filter(
        archived_at__isnull=True, user__isnull=True, candidacies__isnull=True
    ).exclude(pk__in=placed)
    demo_senders = [LPK_DEMO_SENDER, LPK_DEMO_SENDER_2]
    taken: set[int] = set()
    cast = []
    for story in stories:
        pool = free.filter(status=JOURNEY[story.status]).exclude(pk__in=taken)
        person = _licensed(pool, demo_senders) if story.ready else _prefer(pool, demo_senders)
        if person is not None:
            taken.add(person.pk)
            cast.append((story, person))
    return cast


def _licensed(pool: QuerySet[Participant], demo_senders: list[str]) -> Participant | None:
    """The first of ``pool`` whose sending organisation may send today (a demo one first)."""
    ours = pool.filter(sending_organisation__name__in=demo_senders).order_by("pk")
    others = pool.exclude(sending_organisation__name__in=demo_senders).order_by("pk")
    for person in [*ours[:20], *others[:200]]:
        if person.sending_organisation and acting_licence(person.sending_organisation):
            return person
    return None


def _prefer(pool: QuerySet[Participant], demo_senders: list[str]) -> Participant | None:
    """The first of ``pool`` from a demo sending organisation, else the first of any."""
    ours = pool.filter(sending_organisation__name__in=demo_senders).order_by("pk").first()
    return ours or pool.exclude(sending_organisation__isnull=True).order_by("pk").first()


def _world() -> dict[str, Any]:
    partner = Organisation.objects.get(name=IM_JAPAN)
    hosts = {key: _host(h, partner) for key, h in HOSTS.items()}
    supervisor = Organisation.objects.filter(
        name=SUPERVISOR
    ).first() or Organisation.objects.create(
        name=SUPERVISOR,
        kind=OrganisationKind.ASSOCIATION,
        country_id="JP",
        address="2-14-1 Meieki, Nakamura-ku, Nagoya-shi, Aichi 450-0002",
        phone="+81 52 561 2280",
        email="info@chubu-gino.example.jp",
    )
    for name, contact, phone in (
        (LPK_DEMO_SENDER, "Rina Marlina", "+62 812 2600 4411"),
        (LPK_DEMO_SENDER_2, "Yusuf Maulana", "+62 813 2200 7780"),
    ):
        org = Organisation.objects.get(name=name)
        if not org.contacts.exists():
            ContactPerson.objects.create(
                organisation=org,
                name=contact,
                position="Pendamping peserta",
                phone=phone,
                is_primary=True,
            )
    return {"partner": partner, "hosts": hosts, "supervisor": supervisor}


def _host(host: Host, partner: Organisation) -> Organisation:
    found = Organisation.objects.filter(name=host.name).first()
    if found is not None:
        return found
    return Organisation.objects.create(
        name=host.name,
        kind=OrganisationKind.HOST_COMPANY,
        country_id="JP",
        address=host.address,
        phone=host.phone,
        parent=partner,
    )


def _deploy(
    story: Story, person: Participant, order: JobOrder, world: dict[str, Any], today: dt.date
) -> Deployment:
    now = timezone.now()
    where = HOSTS[WHERE[order.work_prefecture]]
    placement = Placement.objects.create(
        job_order=order, participant=person, status=PlacementStatus.CONFIRMED, confirmed_at=now
    )
    departed = today - dt.timedelta(days=story.departed) if story.departed is not None else None
    deployment = Deployment.objects.create(
        placement=placement,
        participant=person,
        job_order=order,
        partner=world["partner"],
        sending_organisation_id=person.sending_organisation_id or 0,
        scheme=order.scheme,
        country_id="JP",
        host_company=world["hosts"][WHERE[order.work_prefecture]],
        host_prefecture=where.prefecture,
        host_city=where.city,
        host_address=where.address,
        host_contact_name=where.contact,
        host_contact_phone=where.phone,
        supervising_organisation=world["supervisor"],
        supervisor_contact_name="Ito Satomi",
        supervisor_contact_phone="+81 52 561 2281",
        planned_departure=departed or today + dt.timedelta(days=21),
        planned_months=order.contract_months,
        status=story.status,
        status_changed_at=now,
        departed_on=departed,
        arrived_on=today - dt.timedelta(days=story.arrived) if story.arrived is not None else None,
        ended_on=today - dt.timedelta(days=story.ended) if story.ended is not None else None,
        created_at=now,
    )
    _preparation(deployment, story, today)
    if story.ready:
        departure_papers_verified(person)
    elif story.status == D.PREPARING:  # selected with their papers; departure's still owed
        stage_papers_verified(person, Stage.SELECTION)
    _stay(deployment, story, world, today)
    Participant.objects.filter(pk=person.pk).update(
        partner=world["partner"], identity_verified_at=now
    )
    return deployment


def _fees(order: JobOrder) -> list[dict[str, str]]:
    return [
        {
            "kind": c.kind,
            "description": c.description,
            "amount": str(c.amount),
            "currency": c.currency,
            "paid_to": c.paid_to,
        }
        for c in order.costs.all()
    ]


def _contract(deployment: Deployment, story: Story, left: dt.date) -> Contract:
    order = deployment.job_order
    months = order.contract_months - (12 if story.differs else 0)
    differences = [
        {"code": "months", "params": {"job_order": order.contract_months, "contract": months}}
    ]
    return Contract.objects.create(
        deployment=deployment,
        signed_on=left - dt.timedelta(days=40),
        starts_on=deployment.planned_departure,
        months=months,
        wage_amount=order.wage_amount,
        wage_currency=order.wage_currency,
        wage_period=order.wage_period,
        weekly_hours=order.weekly_hours,
        fees=_fees(order),
        differences=differences if story.differs else [],
        difference_reason="Perusahaan baru boleh menerima pemagang dua tahun."
        if story.differs
        else "",
        recorded_at=timezone.now(),
    )


def _preparation(deployment: Deployment, story: Story, today: dt.date) -> None:
    left = deployment.departed_on or today
    contract = _contract(deployment, story, left)
    steps = _steps(contract, left, today)
    PreDepartureStep.objects.bulk_create(
        PreDepartureStep(deployment=deployment, kind=kind, confirmed_at=timezone.now(), **values)
        for kind, values in steps.items()
        if kind != story.missing_step
    )
    event(deployment, "create", "", D.PREPARING, left - dt.timedelta(days=60))


def _steps(contract: Contract, left: dt.date, today: dt.date) -> dict[str, dict[str, Any]]:
    n = contract.deployment_id
    days = dt.timedelta
    return {
        StepKind.AGREEMENT: {"done_on": left - days(45), "reference": f"PP/{n:05d}"},
        StepKind.VISA: {
            "done_on": left - days(20),
            "reference": f"CoE-{n:05d}",
            "expires_on": left + days(70),
        },
        StepKind.ORIENTATION: {"done_on": left - days(12), "reference": f"OPP/{n:04d}"},
        StepKind.MEDICAL: {
            "done_on": min(today, left - days(30)),
            "reference": f"MCU-{n:05d}",
            "passed": True,
        },
        StepKind.SOCIAL_SECURITY: {"done_on": left - days(15), "reference": f"2200{n:07d}"},
        StepKind.INSURANCE: {
            "done_on": left - days(10),
            "reference": f"JP-KH-{n:06d}",
            "expires_on": contract.ends_on,
        },
        StepKind.PASSPORT: {
            "done_on": left - days(90),
            "reference": f"E{n:07d}",
            "expires_on": add_months(contract.ends_on, 18),
        },
        StepKind.FLIGHT: {"done_on": min(left, today), "reference": "GA874" if n % 2 else "GA886"},
    }


def event(
    deployment: Deployment, action: str, before: str, after: str, on: dt.date, **extra: Any
) -> None:
    """One history row, as the services write it."""
    DeploymentEvent.objects.create(
        deployment=deployment,
        action=action,
        from_status=before,
        to_status=after,
        happened_on=on,
        recorded_at=timezone.now(),
        by_label="demo",
        **extra,
    )


def _stay(deployment: Deployment, story: Story, world: dict[str, Any], today: dt.date) -> None:
    if deployment.departed_on is None:
        return
    event(deployment, "depart", D.PREPARING, D.DEPARTED, deployment.departed_on)
    if deployment.arrived_on is None:
        return
    event(deployment, "arrive", D.DEPARTED, D.IN_PLACEMENT, deployment.arrived_on)
    _stages(deployment, today)
    _reports(deployment, story.reports, today)
    _ending(deployment, story, world, today)


def _stages(deployment: Deployment, today: dt.date) -> None:
    arrived = deployment.arrived_on
    assert arrived is not None
    rows = []
    for stage in stay_plan(deployment.scheme, deployment.planned_months):
        due = stage.due_on(arrived, deployment.planned_months)
        rows.append(
            StayStage(
                deployment=deployment,
                sequence=stage.sequence,
                code=stage.code,
                name_en=stage.name_en,
                name_id=stage.name_id,
                due_on=due,
                done_on=due if due < today else None,
            )
        )
    StayStage.objects.bulk_create(rows)


def _reports(deployment: Deployment, pattern: str, today: dt.date) -> None:
    if pattern == "none":
        return
    arrived = deployment.arrived_on
    assert arrived is not None
    end = deployment.ended_on or today
    rows = []
    for kind, months in rhythms(deployment.scheme).items():
        if pattern == "sender" and kind != "sender":
            continue
        for period in range(1, period_containing(arrived, months, end) + 1):
            rows.append(
                MonitoringReport(
                    deployment=deployment,
                    kind=kind,
                    period=period,
                    covers_until=period_end(arrived, months, period),
                    wellbeing="well" if period % 5 else "concerns",
                    paid_in_full=True,
                    housing_safe=True,
                    note="Baik, sudah terbiasa dengan pekerjaan." if kind == "check_in" else "",
                    submitted_at=timezone.now(),
                    language="id",
                )
            )
    MonitoringReport.objects.bulk_create(rows)


def _ending(deployment: Deployment, story: Story, world: dict[str, Any], today: dt.date) -> None:
    arrived = deployment.arrived_on
    assert arrived is not None
    if story.reason == "transfer":
        new = world["hosts"]["Kumamoto"]
        moved_on = arrived + dt.timedelta(days=200)
        event(
            deployment, "transfer", D.IN_PLACEMENT, D.IN_PLACEMENT, moved_on,
            reason="Perusahaan pertama kehilangan izin menerima pemagang; dipindahkan oleh OTIT.",
            host_before=deployment.host_company, host_after=new,
        )  # fmt: skip
        kumamoto = HOSTS["Kumamoto"]
        Deployment.objects.filter(pk=deployment.pk).update(
            host_company=new, host_prefecture=kumamoto.prefecture, host_city=kumamoto.city,
            host_address=kumamoto.address, host_contact_name=kumamoto.contact,
            host_contact_phone=kumamoto.phone,
        )  # fmt: skip
    elif story.status in (D.IN_DIFFICULTY, D.MISSING):
        action = "report_difficulty" if story.status == D.IN_DIFFICULTY else "report_missing"
        on = today - dt.timedelta(days=6)
        event(deployment, action, D.IN_PLACEMENT, story.status, on, reason=story.reason)
    elif story.status in (D.COMPLETED, D.RETURNED_EARLY) and deployment.ended_on:
        action = "complete" if story.status == D.COMPLETED else "return_early"
        event(
            deployment, action, D.IN_PLACEMENT, story.status, deployment.ended_on,
            reason=story.reason, reason_code=story.reason_code,
        )  # fmt: skip


def _alerts(today: dt.date) -> None:
    """The alerts the daily runs would have raised: the oldest escalated to the ministry."""
    now = timezone.now()
    MonitoringAlert.objects.bulk_create(
        MonitoringAlert(
            deployment_id=row.deployment_id,
            kind=row.kind,
            due_on=row.due_on,
            status=AlertStatus.ESCALATED if row.days > 20 else AlertStatus.RAISED,
            raised_at=now,
            raised_on=row.due_on + dt.timedelta(days=1),
            escalated_at=now if row.days > 20 else None,
        )
        for row in overdue_reports(today=today)
    )
