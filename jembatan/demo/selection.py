"""Selection and matching demo data: two IM Japan rounds, a shortlist and a finished run.

Runs after the participants are in (it enrols some of them), acting as the demo
logins through the real services, so every row has its change records:

* round 1, *closed*: five stages (administrative check, written test 40 %,
  physical test 20 %, the partner's interview 40 %, medical check), its impact
  assessment, up to 60 certified candidates (the first by id) with results drawn from
  a fixed random sequence (some stop at each stage) and the final ranking;
* round 2, *open*: the same stages, fewer candidates, results still missing
  from the written test on (the demo shows score entry);
* a shortlist of round 1 for the IM Japan job order without a language
  requirement, with a few of the partner's interview decisions;
* a *stable* matching run over round 1 and IM Japan's approved or open job
  orders, executed at once (not through the task queue) and left *done* for a
  demo officer to approve or discard.

Who does what: demo-officer sets up, enrols, marks the administrative check,
closes and runs; demo-training examines the written, physical and medical
stages; demo-partner interviews and decides on the shortlist.

Not seeded: candidates' own job-order rankings. ``preferences_save`` accepts
only the candidate's own account, and the bulk participants have none (the
demo participant is still in training, so she is in no round); the run uses
the documented default ranking.

Idempotent: each round by partner and name, the shortlist by round and job
order, the run by name. What exists is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from jembatan.accounts.models import User
from jembatan.accounts.services import user_create
from jembatan.core.audit import record_change
from jembatan.core.roles import Role
from jembatan.demand.models import JobOrder, Placement
from jembatan.demand.rules import meets_education
from jembatan.demand.services.placements import placement_confirm
from jembatan.demand.workflows import MATCHABLE
from jembatan.demo.cast import ACTOR, IM_JAPAN
from jembatan.demo.documents import stage_papers_verified
from jembatan.documents.models import Stage
from jembatan.documents.rules import document_gaps
from jembatan.matching.building import choices_for, free_slots, with_available_slots
from jembatan.matching.models import MatchingRun, Method, RunOutcome, RunStatus
from jembatan.matching.services.approval import execute_approval
from jembatan.matching.services.execution import execute_run
from jembatan.matching.services.runs import preferences_save, run_approve, run_create
from jembatan.organisations.models import Organisation, OrganisationKind
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.selection import selectors
from jembatan.selection.models import (
    Candidacy,
    CandidacyStatus,
    InterviewDecision,
    RoundStage,
    SelectionRound,
    Shortlist,
    StageType,
)
from jembatan.selection.services import ranking, rounds, scoring, shortlists
from jembatan.training.language_tests import age_on

Progress = Callable[[str], None]

FIRST_ROUND: Final = "Seleksi IM Japan {year} gelombang 1"
SECOND_ROUND: Final = "Seleksi IM Japan {year} gelombang 2"
RUN_NAME: Final = "IM Japan {year}: pencocokan gelombang 1"
SECOND_RUN_NAME: Final = "IM Japan {year}: pencocokan gelombang 1, tahap 2"
CANDIDATE_LOGIN: Final = "demo-candidate"
FIRST_SIZE: Final = 60
SECOND_SIZE: Final = 20
MIN_POOL: Final = 12  # fewer certified participants than this: no selection demo
RANDOM_SEED: Final = "jembatan-demo-selection"
# The IM Japan job order without a language requirement (programme.JOB_ORDERS).
SHORTLIST_JOB_ORDER: Final = "Pemagang hortikultura rumah kaca"
MIN_EDUCATION: Final = "sma"
MAX_AGE: Final = 30


@dataclass(frozen=True)
class StagePlan:
    """One stage of the demo rounds: its weight, its examiner and how results are drawn."""

    code: str
    weight: int
    examiner: str  # demo login who enters the results
    mean: float = 0.0  # scored stages: normal(mean, spread), clipped to 0..100
    spread: float = 0.0
    fail_share: float = 0.0  # pass/fail stages: the share that fails


STAGES: tuple[StagePlan, ...] = (
    StagePlan("administrative", 0, "demo-officer", fail_share=0.05),
    StagePlan("written", 40, "demo-training", mean=71, spread=12),
    StagePlan("physical", 20, "demo-training", mean=76, spread=10),
    StagePlan("interview", 40, "demo-partner", mean=73, spread=11),
    StagePlan("medical", 0, "demo-training", fail_share=0.08),
)
EXAMINED_BY_TRAINING: Final = ("written", "physical", "medical")
# How far the open round's candidates got: the first k stages have results, per candidate.
SECOND_ROUND_REACH: Final = (1, 1, 2, 2, 2, 3)

FAIL_NOTES: Final[dict[str, tuple[str, ...]]] = {
    "administrative": (
        "Surat keterangan catatan kepolisian (SKCK) belum dilampirkan.",
        "Surat izin orang tua/wali belum ditandatangani.",
    ),
    "written": ("Nilai matematika dasar dan kemampuan logika di bawah batas.",),
    "physical": ("Tidak menyelesaikan lari 1.600 m dalam batas waktu.",),
    "interview": ("Motivasi dan kesiapan tinggal tiga tahun di Jepang belum meyakinkan.",),
    "medical": (
        "Hasil rontgen toraks memerlukan pemeriksaan lanjutan.",
        "Buta warna parsial (tes Ishihara); tidak sesuai untuk pekerjaan ini.",
    ),
}
ADMIN_RULES_NOTE: Final = "Syarat IM Japan: pendidikan minimal SMA/SMK dan usia 18 sampai 30 tahun."

IMPACT_ASSESSMENT: Final[dict[str, str]] = {
    "purpose": (
        "Memilih calon pemagang yang paling siap untuk program pemagangan IM Japan secara adil "
        "dan dapat dijelaskan: setiap tahap dinilai dengan skala dan nilai batas yang diumumkan, "
        "nilai akhir dihitung dengan bobot yang sama untuk semua peserta, dan hasil pencocokan "
        "dengan lowongan dijelaskan kepada setiap peserta."
    ),
    "data_used": (
        "Identitas peserta (nama, NIK), pendidikan terakhir, tanggal lahir (untuk syarat usia), "
        "nilai tes tertulis, tes fisik dan wawancara, hasil pemeriksaan kesehatan (lulus/tidak "
        "lulus saja, tanpa diagnosis), hasil tes bahasa dan sertifikat kompetensi."
    ),
    "protected_attributes": (
        "Jenis kelamin, agama, suku, status perkawinan dan daerah asal tidak dipakai dalam "
        "penilaian maupun pencocokan. Jenis kelamin hanya dipakai bila lowongan mencantumkan "
        "syarat yang sah beserta alasannya. Laporan keadilan (aturan empat perlima) memantau "
        "tingkat kelulusan per jenis kelamin, provinsi dan kelompok usia."
    ),
    "risks": (
        "Penguji yang tidak konsisten antarsesi; data kesehatan yang sensitif; peserta dari "
        "daerah dengan akses pelatihan terbatas bisa tertinggal; kesalahan input nilai yang "
        "menggagalkan peserta tanpa disadari."
    ),
    "mitigations": (
        "Rubrik penilaian tertulis untuk setiap tahap; hanya hasil lulus/tidak lulus kesehatan "
        "yang dicatat; setiap koreksi nilai disimpan beserta alasannya; peserta melihat alasan "
        "berhenti di portal dan dapat mengajukan keberatan; laporan keadilan ditinjau sebelum "
        "pemeringkatan ditutup."
    ),
    "legal_basis": (
        "UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi (Pasal 34, penilaian dampak); "
        "UU No. 18 Tahun 2017 tentang Pelindungan Pekerja Migran Indonesia; nota kesepahaman "
        "Kemnaker dan IM Japan. Teks demo, bukan nasihat hukum."
    ),
}

INTERVIEW_DECISIONS: Final[tuple[tuple[str, str], ...]] = (
    (InterviewDecision.ACCEPTED, "Sangat termotivasi; pernah bekerja di kebun sayur keluarga."),
    (InterviewDecision.ACCEPTED, ""),
    (InterviewDecision.DECLINED, "Belum siap bekerja di rumah kaca dengan suhu tinggi."),
    (InterviewDecision.ACCEPTED, "Komunikasi baik, teliti."),
    (InterviewDecision.ABSENT, "Tidak hadir pada jadwal wawancara daring; tidak ada kabar."),
    (InterviewDecision.ACCEPTED, ""),
)


@dataclass(frozen=True)
class Cast:
    """The demo logins and the partner the selection demo acts with."""

    officer: User
    training: User
    partner_user: User
    partner: Organisation

    def by_login(self, username: str) -> User:
        """The demo login named ``username``."""
        return {
            "demo-officer": self.officer,
            "demo-training": self.training,
            "demo-partner": self.partner_user,
        }[username]


# --- rounds -------------------------------------------------------------------------------


def _set_up_round(name: str, cast: Cast) -> SelectionRound:
    """A round with the five stages, the examiners and the impact assessment, opened."""
    officer = cast.officer
    created = rounds.round_create(
        name=name, partner=cast.partner, programme=None, acting_user=officer
    )
    types = {t.code: t for t in StageType.objects.filter(code__in=[s.code for s in STAGES])}
    for plan in STAGES:
        stage = rounds.stage_add(
            selection_round=created,
            stage_type=types[plan.code],
            max_score=None,
            pass_mark=None,
            weight=Decimal(plan.weight),
            acting_user=officer,
        )
        if plan.code in EXAMINED_BY_TRAINING:
            rounds.stage_set_examiners(stage=stage, examiners=[cast.training], acting_user=officer)
    rounds.impact_assessment_save(
        selection_round=created, fields=IMPACT_ASSESSMENT, acting_user=officer
    )
    return rounds.round_open(selection_round=created, acting_user=officer)


def entry_pool(officer: User) -> list[Participant]:
    """Certified participants the officer may enrol, by id (the bulk seed's order).

    Certified only: a candidate who fails returns to their status before the
    round, and a return to *verified* re-runs the verification checks, which
    the bulk seed's verified participants (no uploaded KTP or diploma) fail.
    ``enrolment_candidates`` checks a round; an unsaved one with no candidacies
    stands in for the rounds not created yet.
    """
    probe = SelectionRound(pk=0)
    rows = selectors.enrolment_candidates(officer, probe).filter(status=JourneyStatus.CERTIFIED)
    return list(rows.order_by("pk"))


def _meets_admin_rules(person: Participant, today: dt.date) -> bool:
    return meets_education(person.education, MIN_EDUCATION) and (
        age_on(person.birth_date, today) <= MAX_AGE
    )


def _draw(plan: StagePlan, rng: random.Random) -> tuple[Decimal | None, bool | None]:
    """A result for one candidate at one stage: (score, None) or (None, passed)."""
    if plan.weight:
        value = min(100.0, max(0.0, rng.gauss(plan.mean, plan.spread)))
        return Decimal(f"{value:.1f}"), None
    return None, rng.random() >= plan.fail_share


def _note(
    plan: StagePlan,
    stage: RoundStage,
    drawn: tuple[Decimal | None, bool | None],
    rng: random.Random,
) -> str:
    """The examiner's note on a fail (none on a pass)."""
    value, passed = drawn
    failed = passed is False or (value is not None and value < (stage.pass_mark or 0))
    return rng.choice(FAIL_NOTES[plan.code]) if failed else ""


def _mark(
    candidacy: Candidacy,
    stage: RoundStage,
    plan: StagePlan,
    result: tuple[Decimal | None, bool | None, str],
    cast: Cast,
) -> None:
    value, passed, note = result
    scoring.score_record(
        candidacy=candidacy,
        stage=stage,
        value=value,
        passed=passed,
        note=note,
        correction_reason="",
        acting_user=cast.by_login(plan.examiner),
    )


def _result(
    plan: StagePlan, stage: RoundStage, person: Participant, today: dt.date, rng: random.Random
) -> tuple[Decimal | None, bool | None, str]:
    """The drawn result of ``plan`` for ``person``; the administrative check applies IM Japan's
    published rules (education, age) before the random share of incomplete files."""
    value, passed = _draw(plan, rng)
    if plan.code == "administrative" and not _meets_admin_rules(person, today):
        return None, False, ADMIN_RULES_NOTE
    return value, passed, _note(plan, stage, (value, passed), rng)


def _score_round(
    selection_round: SelectionRound,
    reach: Callable[[int], int],
    cast: Cast,
    today: dt.date,
    rng: random.Random,
) -> None:
    """Stage by stage, a result for each candidate still in and within its ``reach``."""
    stages = selectors.stages_of(selection_round)
    candidacies = list(selection_round.candidacies.select_related("participant").order_by("pk"))
    for index, (plan, stage) in enumerate(zip(STAGES, stages, strict=True)):
        for number, candidacy in enumerate(candidacies):
            candidacy.refresh_from_db(fields=["status"])
            if candidacy.status != CandidacyStatus.ACTIVE or index >= reach(number):
                continue
            _mark(
                candidacy,
                stage,
                plan,
                _result(plan, stage, candidacy.participant, today, rng),
                cast,
            )


def _enrol(selection_round: SelectionRound, people: Sequence[Participant], cast: Cast) -> None:
    rounds.candidacy_enrol(
        selection_round=selection_round, participants=people, acting_user=cast.officer
    )


def _first_round(name: str, people: Sequence[Participant], cast: Cast, today: dt.date) -> None:
    selection_round = _set_up_round(name, cast)
    _enrol(selection_round, people, cast)
    _score_round(selection_round, lambda _n: len(STAGES), cast, today, random.Random(RANDOM_SEED))
    ranking.round_close(
        round=selection_round, acting_user=cast.officer, reason="Semua tahap selesai."
    )


def _second_round(name: str, people: Sequence[Participant], cast: Cast, today: dt.date) -> None:
    selection_round = _set_up_round(name, cast)
    _enrol(selection_round, people, cast)

    def reach(number: int) -> int:
        return SECOND_ROUND_REACH[number % len(SECOND_ROUND_REACH)]

    _score_round(selection_round, reach, cast, today, random.Random(f"{RANDOM_SEED}:2"))


def _ensure_rounds(cast: Cast, today: dt.date) -> tuple[SelectionRound | None, int]:
    """Round 1 (closed) and round 2 (open) unless they exist; (round 1, rounds made)."""
    names = [n.format(year=today.year) for n in (FIRST_ROUND, SECOND_ROUND)]
    existing = {
        r.name: r for r in SelectionRound.objects.filter(partner=cast.partner, name__in=names)
    }
    missing = [name for name in names if name not in existing]
    pool = entry_pool(cast.officer) if missing else []
    if missing and len(pool) < MIN_POOL:
        return existing.get(names[0]), 0
    first = min(FIRST_SIZE, len(pool) - min(SECOND_SIZE, len(pool) // 3))
    made = 0
    if names[0] not in existing:
        _first_round(names[0], pool[:first], cast, today)
        made += 1
    if names[1] not in existing:
        _second_round(names[1], pool[first : first + SECOND_SIZE], cast, today)
        made += 1
    return SelectionRound.objects.filter(partner=cast.partner, name=names[0]).first(), made


# --- shortlist and matching ---------------------------------------------------------------


def _matchable_job_orders(partner: Organisation) -> list[JobOrder]:
    """The partner's approved or open job orders that still have a slot no one holds."""
    rows = with_available_slots(
        JobOrder.objects.filter(partner=partner, status__in=sorted(MATCHABLE))
    )
    return [row for row in rows.order_by("pk") if free_slots(row) > 0]


def _ensure_shortlist(selection_round: SelectionRound, cast: Cast) -> int:
    """A shortlist of the closed round for the IM Japan job order without a language test."""
    job_order = JobOrder.objects.filter(
        partner=cast.partner, title=SHORTLIST_JOB_ORDER, status__in=sorted(MATCHABLE)
    ).first()
    if job_order is None or Shortlist.objects.filter(round=selection_round).exists():
        return 0
    _papers_for_best(selection_round, wanted=3 * job_order.slots)
    shortlist = shortlists.shortlist_create(
        round=selection_round, job_order=job_order, per_vacancy=3, acting_user=cast.officer
    ).shortlist
    entries = shortlist.entries.select_related("candidacy__participant").order_by("position")
    for entry, (decision, note) in zip(entries, INTERVIEW_DECISIONS, strict=False):
        shortlists.interview_decide(
            entry=entry, decision=decision, note=note, acting_user=cast.partner_user
        )
    return 1


def _papers_for_best(selection_round: SelectionRound, wanted: int) -> None:
    """Selection papers handed in and verified for up to ``wanted`` of the best ranked."""
    ready = 0
    ranked = selection_round.candidacies.filter(
        status=CandidacyStatus.PASSED, rank__isnull=False
    ).select_related("participant__sending_organisation")
    for candidacy in ranked.order_by("rank"):
        if ready >= wanted:
            return
        person = candidacy.participant
        stage_papers_verified(person, Stage.SELECTION)
        ready += not document_gaps(person, Stage.SELECTION)


def _execute(run: MatchingRun) -> MatchingRun:
    finished = execute_run(run.pk)
    if finished.status != RunStatus.DONE:
        raise RuntimeError(f"The demo matching run did not finish: {finished.error}")
    return finished


def _ensure_runs(selection_round: SelectionRound, cast: Cast, password: str, today: dt.date) -> int:
    """Run 1 (greenhouse only) approved, then the demo candidate who reads why.

    The story a demo tells: run 1 filled the greenhouse order; the candidate just
    below its cutoff reads why (``demo-candidate``) and ranks the orders still open;
    run 2 over them (``seed_waiting_run``, once the departures hold their slots)
    waits for the officer's approval.
    """
    first_name = RUN_NAME.format(year=today.year)
    if MatchingRun.objects.filter(name=first_name).exists():
        return 0
    greenhouse = [j for j in _matchable_job_orders(cast.partner) if j.title == SHORTLIST_JOB_ORDER]
    first = _execute(
        run_create(
            name=first_name,
            method=Method.STABLE,
            rounds=[selection_round],
            job_orders=greenhouse,
            acting_user=cast.officer,
        )
    )
    run_approve(run=first, acting_user=cast.officer)
    approved = execute_approval(first.pk)
    if approved.status != RunStatus.APPROVED:
        raise RuntimeError(f"The demo matching run was not approved: {approved.approval_error}")
    _partner_decides(first, cast)
    _ensure_candidate(first, password, today)
    return 1


def seed_waiting_run(*, today: dt.date, progress: Progress) -> int:
    """Run 2 over IM Japan's open orders, left *done* for the officer to approve.

    Seeded after the departures: run on the slots they left, its approval is not
    refused as out of date (it was, when the departures took slots after it ran).
    """
    cast = _cast()
    names = [n.format(year=today.year) for n in (RUN_NAME, SECOND_RUN_NAME)]
    first = MatchingRun.objects.filter(name=names[0]).first()
    if cast is None or first is None or MatchingRun.objects.filter(name=names[1]).exists():
        return 0
    _execute(
        run_create(
            name=names[1],
            method=Method.OPTIMAL,
            rounds=list(first.rounds.all()),
            job_orders=_matchable_job_orders(cast.partner),
            acting_user=cast.officer,
        )
    )
    progress("Matching demo data: a second run waits for the officer's approval.")
    return 1


def _partner_decides(run: MatchingRun, cast: Cast) -> None:
    """IM Japan confirms the people run 1 offered it, all but the last, which waits for it."""
    offered = list(
        Placement.objects.filter(
            pk__in=RunOutcome.objects.filter(run=run, placement__isnull=False).values("placement")
        ).order_by("pk")
    )
    for placement in offered[:-1]:
        placement_confirm(placement=placement, acting_user=cast.partner_user)


def _ensure_candidate(run: MatchingRun, password: str, today: dt.date) -> None:
    """``demo-candidate``: the best-ranked candidate run 1 left out, with their own login."""
    if User.objects.filter(username=CANDIDATE_LOGIN).exists():
        return
    outcome = (
        RunOutcome.objects.filter(run=run, job_order__isnull=True, participant__user__isnull=True)
        .exclude(reason="no_eligible_job_order")
        .select_related("participant")
        .order_by("participant__candidacies__rank")
        .first()
    )
    if outcome is None:
        return
    person = outcome.participant
    user = user_create(
        username=CANDIDATE_LOGIN,
        role=Role.PARTICIPANT,
        password=password,
        acting_user=ACTOR,
        full_name=person.full_name,
        email=person.email,
    )
    # Demo set-up: the account is linked as self-registration links it, and recorded.
    Participant.objects.filter(pk=person.pk).update(user=user)
    person.user = user
    record_change(
        acting_user=ACTOR,
        operation="core.seed",
        instance=person,
        action="update",
        changes={"user": {"before": None, "after": user.pk}},
        reason="Demo login of a candidate who was not placed in the first matching run.",
    )
    eligible = [c.job_order for c in choices_for(person, on=today) if c.eligible]
    ranking = {job.pk: rank for rank, job in enumerate(reversed(eligible), start=1)}
    if ranking:
        preferences_save(participant=person, ranking=ranking, eligible=eligible, acting_user=user)


# --- entry point ----------------------------------------------------------------------------


def _cast() -> Cast | None:
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["demo-officer", "demo-training", "demo-partner"])
    }
    partner = Organisation.objects.filter(name=IM_JAPAN, kind=OrganisationKind.PARTNER).first()
    if len(users) < 3 or partner is None:
        return None
    return Cast(users["demo-officer"], users["demo-training"], users["demo-partner"], partner)


def seed_selection(*, today: dt.date, password: str, progress: Progress) -> int:
    """Create what is missing of the selection and matching demo data; the rows made."""
    cast = _cast()
    if cast is None:
        progress("Selection demo data skipped: the demo logins or IM Japan are missing.")
        return 0
    first, made = _ensure_rounds(cast, today)
    if first is None:
        progress("Selection demo data skipped: too few certified participants.")
        return 0
    made += _ensure_shortlist(first, cast)
    made += _ensure_runs(first, cast, password, today)
    progress(f"Selection and matching demo data: {made} new rounds, shortlists and runs.")
    return made
