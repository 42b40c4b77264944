"""Demand and training demo data: targets, a fee rule, job orders and one programme.

Runs after :func:`jembatan.demo.cast.seed_demo`, because it acts as the
demo logins (a partner posts, an officer approves, the BLK operator plans the
training), so each row comes from the same service and audit trail as in real
use. Targets and the fee rule are set by the system (``set_by=None``).

Idempotent like the rest of the seed: targets by year and scope, the fee rule by
country and programme, job orders by partner and title, units by code, the
programme by centre and name, the batch by code. What exists is left alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jembatan.accounts.models import User
from jembatan.core.models import Country, Occupation
from jembatan.demand.models import (
    CostKind,
    Currency,
    FeeRule,
    JobOrder,
    JobOrderStatus,
    Scheme,
    Target,
)
from jembatan.demand.rules import SCHEME_DATASETS, CostLine
from jembatan.demand.services import planning
from jembatan.demand.services.job_orders import (
    AllowanceLine,
    JobOrderInput,
    job_order_create,
    job_order_transition,
)
from jembatan.demand.workflows import JobOrderAction
from jembatan.demo.cast import BLK_SEMARANG, IM_JAPAN, JCCI
from jembatan.organisations.models import Organisation
from jembatan.training.models import Batch, CompetencyUnit, Programme, Route
from jembatan.training.services.programmes import (
    PhaseSpec,
    ProgrammeSpec,
    batch_create,
    competency_unit_save,
    programme_create,
)

Progress = Callable[[str], None]
WFG = "World Forest Group"
TOYAMA = "Toyama Precision Casting Co., Ltd."
OSAKA_CARE = "Osaka Hidamari Care Co., Ltd."
SAPPORO_FOODS = "Sapporo Fresh Foods Co., Ltd."

# Participants departed per year; illustrative numbers for the demo, not Kemnaker's plan.
PARTNER_TARGETS: tuple[tuple[str, int], ...] = ((IM_JAPAN, 10_000), (WFG, 25_000))
NATIONAL_TARGET = 100_000

# The cap is illustrative for the demo, chosen low on purpose (medical check and
# documents only); it is not a figure from any regulation.
FEE_RULE_CAP_IDR = Decimal("5000000")
FEE_RULE_LEGAL_BASIS = (
    "UU No. 18 Tahun 2017 tentang Pelindungan Pekerja Migran Indonesia dan Undang-Undang "
    "Pemagangan Teknis Jepang (2016): biaya penempatan tidak boleh dibebankan kepada peserta "
    "magang, dan uang jaminan atau deposit tidak boleh dipungut. Teks demo, bukan nasihat hukum."
)


# --- targets and fee rules ------------------------------------------------------------


def _ensure_targets(year: int, orgs: dict[str, Organisation]) -> int:
    """The national target and the two partners' targets of ``year``, if not yet set."""
    made = 0
    scopes: list[tuple[Organisation | None, int]] = [(None, NATIONAL_TARGET)]
    scopes += [(orgs[name], number) for name, number in PARTNER_TARGETS]
    for partner, number in scopes:
        if Target.objects.filter(year=year, partner=partner, country=None).exists():
            continue
        planning.target_set(
            year=year, number=number, partner=partner, acting_user=None, note="Target demo."
        )
        made += 1
    return made


def _ensure_fee_rule(today: dt.date) -> int:
    """The fee rule for Japan's TITP, so job orders' costs can be checked."""
    if FeeRule.objects.filter(country_id="JP", scheme=Scheme.TITP).exists():
        return 0
    planning.fee_rule_set(
        country=Country.objects.get(pk="JP"),
        scheme=Scheme.TITP,
        name="TITP: tanpa biaya penempatan, biaya di dalam negeri dibatasi",
        legal_basis=FEE_RULE_LEGAL_BASIS,
        valid_from=dt.date(today.year, 1, 1),
        acting_user=None,
        max_total_amount=FEE_RULE_CAP_IDR,
        currency=Currency.IDR,
        forbidden_kinds=(CostKind.PLACEMENT_FEE, CostKind.DEPOSIT),
    )
    return 1


# --- job orders -------------------------------------------------------------------------


@dataclass(frozen=True)
class JobOrderSpec:
    """One demo job order and the status it should reach."""

    partner: str
    host: str
    scheme: str
    occupation: str  # core.Occupation code
    title: str
    slots: int
    prefecture: str
    city: str
    wage: int  # yen per month
    status: str
    language: tuple[str, str, int | None] = ("jlpt", "N4", None)
    months: int = 36
    costs: bool = False


JOB_ORDERS: tuple[JobOrderSpec, ...] = (
    JobOrderSpec(IM_JAPAN, TOYAMA, Scheme.TITP, "TITP-S6-01-01", "Pemagang pengecoran besi", 12,
                 "Toyama", "Takaoka", 195_000, JobOrderStatus.OPEN, costs=True),
    JobOrderSpec(IM_JAPAN, "", Scheme.TITP, "TITP-S7-07-01", "Pemagang pengelasan manual", 20,
                 "Aichi", "Toyota", 205_000, JobOrderStatus.OPEN, costs=True),
    # No language test at entry (TITP requires none outside care work): the selection demo's
    # candidates have no language results, so this is the order they can be matched to.
    JobOrderSpec(IM_JAPAN, "", Scheme.TITP, "TITP-S1-01-01", "Pemagang hortikultura rumah kaca",
                 10, "Ibaraki", "Hokota", 192_000, JobOrderStatus.OPEN, ("", "", None)),
    JobOrderSpec(IM_JAPAN, "", Scheme.TITP, "TITP-S4-04-04", "Pemagang pengolahan makanan matang",
                 8, "Shizuoka", "Yaizu", 196_000, JobOrderStatus.OPEN, ("", "", None)),
    JobOrderSpec(WFG, "", Scheme.TITP, "TITP-S1-03-01", "Pemagang kehutanan dan penebangan", 30,
                 "Miyazaki", "Miyakonojo", 184_000, JobOrderStatus.OPEN),
    JobOrderSpec(WFG, "", Scheme.SSW, "SSW-15", "Pekerja kehutanan (SSW)", 15,
                 "Kochi", "Kami", 210_000, JobOrderStatus.APPROVED, ("jft_basic", "", 200), 60),
    JobOrderSpec(JCCI, OSAKA_CARE, Scheme.SSW, "SSW-01", "Perawat lansia (kaigo)", 8,
                 "Osaka", "Sakai", 215_000, JobOrderStatus.SUBMITTED, ("jft_basic", "", 200), 60),
    JobOrderSpec(JCCI, SAPPORO_FOODS, Scheme.TITP, "TITP-S4-08-01", "Pemagang produksi roti",
                 6, "Hokkaido", "Sapporo", 190_000, JobOrderStatus.DRAFT),
)  # fmt: skip
# The steps from draft to each status, in order.
STEPS_TO: dict[str, tuple[JobOrderAction, ...]] = {
    JobOrderStatus.DRAFT: (),
    JobOrderStatus.SUBMITTED: (JobOrderAction.SUBMIT,),
    JobOrderStatus.APPROVED: (JobOrderAction.SUBMIT, JobOrderAction.APPROVE),
    JobOrderStatus.OPEN: (JobOrderAction.SUBMIT, JobOrderAction.APPROVE, JobOrderAction.OPEN),
}
DUTIES = (
    "Pelatihan kerja di bawah pembimbing bersertifikat, mengikuti rencana pemagangan teknis "
    "yang disetujui OTIT. Pelajaran bahasa Jepang sekali seminggu."
)


def _fields(spec: JobOrderSpec, orgs: dict[str, Organisation], today: dt.date) -> dict[str, Any]:
    test, level, score = spec.language
    return {
        "partner": orgs[spec.partner],
        "host_company": orgs[spec.host] if spec.host else None,
        "country": Country.objects.get(pk="JP"),
        "scheme": spec.scheme,
        "occupation": Occupation.objects.get(
            code=spec.occupation, dataset__code__in=SCHEME_DATASETS[spec.scheme]
        ),
        "title": spec.title,
        "duties": DUTIES,
        "slots": spec.slots,
        "work_prefecture": spec.prefecture,
        "work_city": spec.city,
        "contract_months": spec.months,
        "wage_amount": Decimal(spec.wage),
        "wage_currency": Currency.JPY,
        "min_age": 18,
        "max_age": 30,
        "min_education": "sma",
        "language_test": test,
        "language_min_level": level,
        "language_min_score": score,
        "interview_dates": [today + dt.timedelta(days=45)],
    }


def _extra(spec: JobOrderSpec) -> JobOrderInput:
    medical = CostLine(
        CostKind.MEDICAL_CHECK,
        "Pemeriksaan kesehatan",
        Decimal(750_000),
        "IDR",
        "Klinik terakreditasi",
    )
    passport = CostLine(CostKind.DOCUMENTS, "Passport", Decimal(650_000), "IDR", "Kantor imigrasi")
    housing = AllowanceLine("Bantuan tempat tinggal", Decimal(15_000), Currency.JPY, "month")
    return JobOrderInput(
        allowances=[housing],
        costs=[medical, passport] if spec.costs else [],
        training_provinces=["33", "32"],
    )


def _ensure_job_orders(
    orgs: dict[str, Organisation], users: dict[str, User], today: dt.date
) -> int:
    made = 0
    for spec in JOB_ORDERS:
        partner = orgs[spec.partner]
        if JobOrder.objects.filter(partner=partner, title=spec.title).exists():
            continue
        poster = users["demo-partner"] if spec.partner == IM_JAPAN else users["demo-officer"]
        job_order = job_order_create(
            acting_user=poster, fields=_fields(spec, orgs, today), extra=_extra(spec)
        )
        for action in STEPS_TO[spec.status]:
            actor = poster if action != JobOrderAction.APPROVE else users["demo-officer"]
            job_order = job_order_transition(job_order=job_order, action=action, acting_user=actor)
        made += 1
    return made


# --- training ---------------------------------------------------------------------------

# Codes in the SKKNI form (X.000000.000.00); invented for the demo, titles realistic.
UNITS: tuple[tuple[str, str, str, str, int], ...] = (
    ("C.242000.001.01", "Menerapkan keselamatan dan kesehatan kerja (K3) di tempat kerja",
     "Apply occupational safety and health at work", "職場の安全衛生の実践", 16),
    ("C.242000.012.01", "Mengelas pelat baja karbon dengan proses las busur manual (SMAW)",
     "Weld carbon steel plate by shielded metal arc welding (SMAW)", "被覆アーク溶接", 180),
    ("C.242000.020.01", "Membaca gambar teknik dan simbol las",
     "Read technical drawings and welding symbols", "図面と溶接記号の読解", 24),
    ("P.854900.001.01", "Berkomunikasi dalam bahasa Jepang tingkat dasar",
     "Communicate in basic Japanese", "基礎日本語でのコミュニケーション", 420),
)  # fmt: skip
PROGRAMME_NAME = "Pengelasan SMAW untuk pemagangan Jepang (IM Japan)"
BATCH_CODE = "SMG-LAS-01"


def _ensure_units(admin: User) -> list[CompetencyUnit]:
    units = []
    for code, title_id, title_en, title_ja, hours in UNITS:
        found = CompetencyUnit.objects.filter(code=code).first()
        units.append(
            found
            or competency_unit_save(
                acting_user=admin,
                code=code,
                title_id=title_id,
                title_en=title_en,
                title_ja=title_ja,
                hours=hours,
            )
        )
    return units


def _programme_spec(units: list[CompetencyUnit]) -> ProgrammeSpec:
    return ProgrammeSpec(
        name=PROGRAMME_NAME,
        occupation=Occupation.objects.get(code="TITP-S7-07-01"),
        route=Route.IM_JAPAN,
        units=units,
        total_hours=640,
        language_hours=420,
        capacity=24,
        language_test="jlpt",
        jlpt_level="N4",
        japanese_on_certificate=True,
        phases=(
            PhaseSpec("Pelatihan di daerah", 400, BLK_SEMARANG),
            PhaseSpec("Pelatihan di pusat", 240, "BBPVP Bekasi"),
        ),
    )


def _ensure_training(orgs: dict[str, Organisation], users: dict[str, User], today: dt.date) -> int:
    operator, blk = users["demo-training"], orgs[BLK_SEMARANG]
    units = _ensure_units(users["demo-admin"])
    programme = Programme.objects.filter(organisation=blk, name=PROGRAMME_NAME).first()
    made = 0 if programme else 1
    programme = programme or programme_create(
        organisation=blk, spec=_programme_spec(units), acting_user=operator
    )
    if not Batch.objects.filter(programme=programme, code=BATCH_CODE).exists():
        starts = today + dt.timedelta(days=30)
        batch_create(
            programme=programme,
            code=BATCH_CODE,
            starts_on=starts,
            ends_on=starts + dt.timedelta(days=111),
            capacity=None,
            acting_user=operator,
        )
        made += 1
    return made


# --- entry point ------------------------------------------------------------------------


def seed_programme(*, today: dt.date, progress: Progress) -> int:
    """Create what is missing of the demand and training demo data; the rows made."""
    names = [IM_JAPAN, WFG, JCCI, TOYAMA, OSAKA_CARE, SAPPORO_FOODS, BLK_SEMARANG]
    orgs = {o.name: o for o in Organisation.objects.filter(name__in=names)}
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["demo-admin", "demo-officer", "demo-partner", "demo-training"]
        )
    }
    made = _ensure_targets(today.year, orgs) + _ensure_fee_rule(today)
    made += _ensure_job_orders(orgs, users, today)
    made += _ensure_training(orgs, users, today)
    progress(f"Demand and training demo data: {made} new rows.")
    return made
