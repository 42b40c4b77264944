"""Participants in bulk: a believable funnel of apprentices, fast enough for a million.

Identities come from :class:`IdentityFactory` (valid, unique NIKs). Each
participant is placed on the journey by a fixed funnel (many registered,
verified or in training; fewer abroad; some alumni; a few withdrawn, rejected
or returned early), sent by an organisation whose licence lets it act (or, for
finished journeys, by one that has since lost its licence), trained from the
training stage on and placed with a partner abroad from matching on. A quarter
follow the government-to-government route with IM Japan: no sending
organisation, training at a BLK.

Speed: rows are plain tuples written with ``executemany`` in chunks of
:data:`CHUNK` inside the caller's transaction; organisations are looked up
once; identities are streamed. A million rows take a few minutes on SQLite.
Inserts skip rows whose NIK already exists (another seed, an import) and the
loop draws more until the target is reached.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time
from bisect import bisect
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, Generic, TypeVar

from django.db import connection
from django.db.models import Count
from django.db.models.constants import OnConflict
from django.utils import timezone

from jembatan.demo.identity import IdentityFactory, load_regencies
from jembatan.organisations.models import (
    ACTING_STATUSES,
    SENDING_KINDS,
    LicenceStatus,
    Organisation,
    OrganisationKind,
)
from jembatan.organisations.rules import LicenceRequired, ensure_can_act
from jembatan.participants.models import Education, JourneyStatus, Participant

CHUNK = 20_000
REBUILD_MIN_ROWS = 50_000
SQLITE_CACHE_KIB = int(os.environ.get("JEMBATAN_SEED_CACHE_KIB", 256 * 1024))
T = TypeVar("T")
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Stage:
    """How a status shows up in the demo funnel."""

    status: JourneyStatus
    weight: float
    days_ago: tuple[int, int]  # registration this many days ago
    ages: tuple[int, int]  # age today
    trained: float  # share with a training centre
    placed: float  # share with a partner abroad
    historical: bool = False  # the sender may have lost its licence since


FUNNEL: tuple[Stage, ...] = (
    Stage(JourneyStatus.REGISTERED, 16, (0, 60), (18, 30), 0, 0),
    Stage(JourneyStatus.VERIFIED, 12, (7, 120), (18, 30), 0, 0),
    Stage(JourneyStatus.IN_TRAINING, 14, (30, 210), (18, 30), 1, 0),
    Stage(JourneyStatus.CERTIFIED, 7, (120, 300), (19, 31), 1, 0),
    Stage(JourneyStatus.IN_SELECTION, 7, (150, 330), (19, 31), 1, 0),
    Stage(JourneyStatus.SELECTED, 4, (180, 360), (19, 31), 1, 0),
    Stage(JourneyStatus.MATCHED, 4, (200, 400), (19, 31), 1, 1),
    Stage(JourneyStatus.CONTRACTED, 3, (230, 430), (19, 31), 1, 1),
    Stage(JourneyStatus.DEPARTED, 2, (260, 450), (19, 31), 1, 1),
    Stage(JourneyStatus.IN_PLACEMENT, 12, (300, 1500), (20, 34), 1, 1),
    Stage(JourneyStatus.COMPLETED, 6, (1200, 2200), (23, 38), 1, 1, historical=True),
    Stage(JourneyStatus.RETURNED_EARLY, 1.5, (300, 1400), (20, 35), 1, 1, historical=True),
    Stage(JourneyStatus.ALUMNUS, 6, (1300, 3600), (25, 45), 1, 1, historical=True),
    Stage(JourneyStatus.WITHDRAWN, 3, (10, 800), (18, 32), 0.5, 0, historical=True),
    Stage(JourneyStatus.REJECTED, 2.5, (10, 600), (18, 32), 0.4, 0, historical=True),
)
EDUCATION = (
    (Education.SD, 1), (Education.SMP, 11), (Education.SMA, 30), (Education.SMK, 41),
    (Education.D1, 3), (Education.D2, 2), (Education.D3, 6), (Education.S1, 5.8),
    (Education.S2, 0.2),
)  # fmt: skip
STREETS = (
    "Jl. Merdeka", "Jl. Diponegoro", "Jl. Sudirman", "Jl. Ahmad Yani", "Jl. Gatot Subroto",
    "Jl. Pemuda", "Jl. Pahlawan", "Jl. Veteran", "Jl. Kartini", "Jl. Imam Bonjol",
    "Jl. Pattimura", "Jl. Hasanuddin", "Jl. Sisingamangaraja", "Jl. Cut Nyak Dhien",
    "Jl. Raya Pasar", "Jl. Masjid", "Jl. Melati", "Jl. Kenanga", "Jl. Anggrek",
    "Jl. Flamboyan", "Gg. Mawar", "Gg. Dahlia", "Gg. Sawo", "Jl. Nangka", "Jl. Rambutan",
    "Jl. Kauman", "Jl. Bhayangkara", "Jl. Teuku Umar", "Jl. Kapten Tendean", "Jl. Kampung Baru",
)  # fmt: skip
G2G_SHARE = 0.25  # government-to-government route with IM Japan
LOCAL_SENDER_SHARE = 0.6  # candidates usually join an LPK of their own province
OWN_TRAINING_SHARE = 0.6  # an LPK usually trains its own candidates
FAVOURED_WEIGHT = 4.0  # the demo users' organisations get more records to look at
HISTORICAL_SHARE = 0.15


class Weighted(Generic[T]):
    """Draw items by weight with one random number and a bisect."""

    def __init__(self, items: Sequence[tuple[T, float]]) -> None:
        self.items = [item for item, _w in items]
        self.cum = list(accumulate(w for _item, w in items))

    def draw(self, rng: random.Random) -> T:
        """One item, each with probability proportional to its weight."""
        index = bisect(self.cum, rng.random() * self.cum[-1])
        return self.items[min(index, len(self.items) - 1)]


@dataclass(frozen=True)
class Pools:
    """Organisation ids to draw from, looked up once."""

    senders: Weighted[int]
    senders_by_province: dict[str, Weighted[int]]
    lpk_senders: frozenset[int]
    historical: Weighted[int] | None
    blks: Weighted[int]
    blks_by_province: dict[str, Weighted[int]]
    partners: Weighted[int]
    g2g_partner: int


def top_up(
    *,
    target: int,
    seed: int,
    now: dt.datetime,
    favoured: set[int],
    g2g_partner: int,
    progress: Progress,
) -> int:
    """Add participants until there are ``target``; return how many were added.

    ``favoured`` organisations (the demo users' own) get more participants;
    ``g2g_partner`` (IM Japan) places the government-to-government route.
    """
    existing = Participant.objects.count()
    if existing >= target:
        return 0
    pools = build_pools(favoured=favoured, g2g_partner=g2g_partner)
    rng = random.Random(f"{seed}:participants:{existing}")
    factory = IdentityFactory(rng, load_regencies(), timezone.localdate(now))
    writer = _Writer(progress, target - existing, now)
    rows = participant_rows(factory, rng, pools, now)
    rebuild = writer.wanted >= max(REBUILD_MIN_ROWS, 2 * existing)
    with _bigger_sqlite_cache(), _indexes_built_after(rebuild, progress):
        while writer.added < writer.wanted:
            writer.write([next(rows) for _ in range(min(CHUNK, writer.wanted - writer.added))])
    return writer.added


@contextmanager
def _indexes_built_after(rebuild: bool, progress: Progress) -> Iterator[None]:
    """Drop the table's non-unique indexes while loading and build them once at the end.

    Keeping a dozen B-trees up to date row by row costs more than the rows
    themselves; building an index from sorted data is several times faster.
    Unique indexes stay, so duplicate NIKs are still skipped. All of it runs
    inside the caller's transaction (DDL is transactional in SQLite and
    PostgreSQL), so a failure restores the indexes with everything else.
    """
    if not rebuild:
        yield
        return
    table = Participant._meta.db_table
    with connection.cursor() as cursor:
        indexes = _secondary_indexes(cursor, table)
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for _name, sql in indexes:
            cursor.execute(sql)
    progress(f"indexes: {len(indexes)} rebuilt in {time.perf_counter() - started:.1f} s")


def _secondary_indexes(cursor: Any, table: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of every non-unique index on ``table``."""
    if connection.vendor == "sqlite":
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
            "AND sql IS NOT NULL",
            [table],
        )
    elif connection.vendor == "postgresql":
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename = %s AND schemaname = current_schema()",
            [table],
        )
    else:
        return []
    return [(name, sql) for name, sql in cursor.fetchall() if " UNIQUE " not in sql.upper()]


@contextmanager
def _bigger_sqlite_cache() -> Iterator[None]:
    """SQLite's default 2 MB page cache makes index inserts re-read pages; lend it more."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def participant_rows(
    factory: IdentityFactory, rng: random.Random, pools: Pools, now: dt.datetime
) -> Iterator[tuple[Any, ...]]:
    """An endless stream of participant rows in :data:`COLUMNS` order."""
    education = Weighted([(level.value, weight) for level, weight in EDUCATION])
    for stage in _stages(rng):
        person = factory.person(ages=stage.ages)
        province = person.regency_code[:2]
        created = _registered_at(rng, stage, person.birth_date, now)
        changed = (
            created if stage.status == JourneyStatus.REGISTERED else _changed_at(rng, created, now)
        )
        sender, trainer, partner = _organisations(rng, pools, stage, province)
        yield (
            person.nik, person.full_name, person.sex, person.birth_place, person.birth_date,
            person.regency_code, province, _address(rng, person), person.phone, person.email,
            education.draw(rng), stage.status.value, changed, sender, trainer, partner, created,
        )  # fmt: skip


def _stages(rng: random.Random) -> Iterator[Stage]:
    """Every stage once (so even a small demo shows the whole journey), then the funnel."""
    yield from FUNNEL
    stages = Weighted([(stage, stage.weight) for stage in FUNNEL])
    while True:
        yield stages.draw(rng)


COLUMNS = (
    "nik", "full_name", "sex", "birth_place", "birth_date", "regency_id", "province_id",
    "address", "phone", "email", "education", "status", "status_changed_at",
    "sending_organisation_id", "training_centre_id", "partner_id", "created_at",
)  # fmt: skip


def _registered_at(
    rng: random.Random, stage: Stage, birth_date: dt.date, now: dt.datetime
) -> dt.datetime:
    """A registration moment in the stage's window, never before the 18th birthday."""
    low, high = stage.days_ago
    adult_for = (now.date() - birth_date).days - 18 * 365 - 5
    days = min(low + rng.random() * (high - low), max(adult_for, 0))
    return now - dt.timedelta(days=days, seconds=int(rng.random() * 36_000))


def _changed_at(rng: random.Random, created: dt.datetime, now: dt.datetime) -> dt.datetime:
    return created + (now - created) * (0.5 + 0.5 * rng.random())


def _address(rng: random.Random, person: Any) -> str:
    kind = "Kota" if int(person.regency_code[3:]) >= 71 else "Kab."
    street = STREETS[int(rng.random() * len(STREETS))]
    number, rt, rw = (
        1 + int(rng.random() * 150),
        1 + int(rng.random() * 12),
        1 + int(rng.random() * 9),
    )
    return f"{street} No. {number}, RT {rt:03d}/RW {rw:03d}, {kind} {person.birth_place}"


def _organisations(
    rng: random.Random, pools: Pools, stage: Stage, province: str
) -> tuple[int | None, int | None, int | None]:
    """Sending organisation, training centre and partner of one participant."""
    if rng.random() < G2G_SHARE:
        trainer = _blk(rng, pools, province) if rng.random() < stage.trained else None
        partner = pools.g2g_partner if rng.random() < stage.placed else None
        return None, trainer, partner
    sender = _sender(rng, pools, stage, province)
    trainer = None
    if rng.random() < stage.trained:
        own = sender in pools.lpk_senders and rng.random() < OWN_TRAINING_SHARE
        trainer = sender if own else _blk(rng, pools, province)
    partner = pools.partners.draw(rng) if rng.random() < stage.placed else None
    return sender, trainer, partner


def _sender(rng: random.Random, pools: Pools, stage: Stage, province: str) -> int:
    if stage.historical and pools.historical and rng.random() < HISTORICAL_SHARE:
        return pools.historical.draw(rng)
    local = pools.senders_by_province.get(province)
    if local is not None and rng.random() < LOCAL_SENDER_SHARE:
        return local.draw(rng)
    return pools.senders.draw(rng)


def _blk(rng: random.Random, pools: Pools, province: str) -> int:
    local = pools.blks_by_province.get(province)
    if local is not None and rng.random() < LOCAL_SENDER_SHARE:
        return local.draw(rng)
    return pools.blks.draw(rng)


# --- organisations to draw from -------------------------------------------------


def build_pools(*, favoured: set[int], g2g_partner: int) -> Pools:
    """Look every organisation up once; only acting licences may send new candidates."""
    senders = _acting_senders()
    if not senders:
        raise LicenceRequired("No sending organisation has an active licence to seed with.")
    blks = list(Organisation.objects.filter(kind=OrganisationKind.BLK, archived_at=None))
    partners = Organisation.objects.filter(
        kind__in=[OrganisationKind.PARTNER, OrganisationKind.HOST_COMPANY], archived_at=None
    ).exclude(pk=g2g_partner)
    historical = _former_senders(exclude={o.pk for o in senders})

    def weigh(orgs: Sequence[Organisation]) -> Weighted[int]:
        return Weighted([(o.pk, FAVOURED_WEIGHT if o.pk in favoured else 1.0) for o in orgs])

    return Pools(
        senders=weigh(senders),
        senders_by_province={p: weigh(os) for p, os in _by_province(senders).items()},
        lpk_senders=frozenset(o.pk for o in senders if o.kind == OrganisationKind.LPK),
        historical=weigh(historical) if historical else None,
        blks=weigh(blks),
        blks_by_province={p: weigh(os) for p, os in _by_province(blks).items()},
        partners=weigh(list(partners)),
        g2g_partner=g2g_partner,
    )


def _acting_senders() -> list[Organisation]:
    """Sending organisations that pass the licence rule today (ensure_can_act)."""
    candidates = Organisation.objects.filter(
        kind__in=sorted(SENDING_KINDS),
        archived_at=None,
        licences__status__in=sorted(ACTING_STATUSES),
    ).distinct()
    acting = []
    for org in candidates:
        try:
            ensure_can_act(org)
        except LicenceRequired:
            continue
        acting.append(org)
    return acting


def _former_senders(*, exclude: set[int]) -> list[Organisation]:
    """Organisations that once sent apprentices and may no longer (expired, suspended...)."""
    lost = [LicenceStatus.EXPIRED, LicenceStatus.SUSPENDED, LicenceStatus.REVOKED]
    return list(
        Organisation.objects.filter(kind__in=sorted(SENDING_KINDS), licences__status__in=lost)
        .exclude(pk__in=exclude)
        .distinct()
    )


def _by_province(orgs: Sequence[Organisation]) -> dict[str, list[Organisation]]:
    grouped: dict[str, list[Organisation]] = {}
    for org in orgs:
        if org.province_id:
            grouped.setdefault(org.province_id, []).append(org)
    return grouped


# --- writing ----------------------------------------------------------------------


class _Writer:
    """Inserts chunks of rows, skipping NIKs that exist, and reports progress."""

    def __init__(self, progress: Progress, wanted: int, now: dt.datetime) -> None:
        self.progress = progress
        self.wanted = wanted
        self.added = 0
        self.started = time.perf_counter()
        self.writing = 0.0
        self.sql, self.tail = _insert_sql(now)
        self.adapt_date, self.adapt_dt = _adapters()

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        """Insert one chunk; count what the database really added."""
        adapt_dt, adapt_date, tail = self.adapt_dt, self.adapt_date, self.tail
        params = [
            (*r[:4], adapt_date(r[4]), *r[5:12], adapt_dt(r[12]), *r[13:16], adapt_dt(r[16]), *tail)
            for r in rows
        ]
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, params)
            # rowcount leaves out NIKs skipped as duplicates; -1 means the driver cannot tell.
            self.added += cursor.rowcount if cursor.rowcount >= 0 else len(rows)
            _check_deferred_constraints(cursor)
        self.writing += time.perf_counter() - started
        elapsed = time.perf_counter() - self.started
        self.progress(
            f"participants: {self.added:,} / {self.wanted:,} "
            f"({self.added / elapsed:,.0f} rows/s, {self.writing / elapsed:.0%} of it writing)"
        )


def _check_deferred_constraints(cursor: Any) -> None:
    """Run PostgreSQL's deferred foreign-key checks now, chunk by chunk.

    Django declares foreign keys DEFERRABLE INITIALLY DEFERRED, so a million
    inserts would queue a million checks until commit, and CREATE INDEX
    refuses to run on a table with checks pending.
    """
    if connection.vendor == "postgresql":
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _adapters() -> tuple[Callable[[dt.date], Any], Callable[[dt.datetime], Any]]:
    """Turn dates and UTC datetimes into what the backend stores, cheaply.

    SQLite keeps text: Django writes ``str()`` of the date and of the naive
    UTC datetime, which is what these do without Django's per-value checks.
    Other backends get Django's own adaptation.
    """
    if connection.vendor == "sqlite":
        return str, lambda value: str(value.replace(tzinfo=None))
    ops = connection.ops
    return ops.adapt_datefield_value, ops.adapt_datetimefield_value


def _insert_sql(now: dt.datetime) -> tuple[str, tuple[Any, ...]]:
    """INSERT that skips existing NIKs; columns the seed does not fill get their defaults.

    Built from the model so that a field added later (with a default) is still
    written correctly.
    """
    meta = Participant._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    rest = [f for f in meta.concrete_fields if f.attname not in COLUMNS and not f.primary_key]
    tail = tuple(f.get_db_prep_save(_default(f, now), connection) for f in rest)
    names = [by_attname[c].column for c in COLUMNS] + [f.column for f in rest]
    ops = connection.ops
    sql = "{} {} ({}) VALUES ({}) {}".format(
        ops.insert_statement(on_conflict=OnConflict.IGNORE),
        ops.quote_name(meta.db_table),
        ", ".join(ops.quote_name(n) for n in names),
        ", ".join(["%s"] * len(names)),
        ops.on_conflict_suffix_sql([], OnConflict.IGNORE, [], []),
    )
    return sql.strip(), tail


def _default(field: Any, now: dt.datetime) -> Any:
    """What ``Model.save()`` would write for a field the seed leaves alone."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    return field.get_default()


def status_counts() -> dict[str, int]:
    """Participants per journey status (one grouped query)."""
    rows = Participant.objects.order_by().values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}
