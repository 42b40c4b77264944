"""The demo programme: organisations, their licences and one login per role.

Everything here is idempotent: organisations are found by name and kind,
licences are written only for an organisation that has none, users only when
the username is free. Running ``jembatan seed`` twice changes nothing.

The cast follows domain.md: the partners abroad named in the articles (IM
Japan, World Forest Group, JCCI and some of its member companies), partners in
Korea, Qatar and Australia, the associations IKAPEKSI and APPI, the
cooperation partners JICA, KOICA and ILO, public training centres (BLK/BBPVP)
and private institutes (LPK) in several provinces. Indonesian and Japanese
company names are invented; e-mail addresses use the reserved ``.example``
domain so no demo notification can reach a real mailbox.

Licence numbers follow one invented format, ``KEP.<nnn>/LATTAS/<yyyy>``: a
three-digit serial of Kemnaker's decision (*keputusan*), the issuing unit
(Binalattas, the directorate's former name, still used on licences) and the
year of the decision. Applications (draft, submitted, under review, rejected)
have no number yet. Validity is five years.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.text import slugify

from jembatan.accounts.models import User
from jembatan.accounts.services import user_create
from jembatan.core.audit import record_change
from jembatan.core.models import Region
from jembatan.core.roles import Role
from jembatan.demo.identity import IdentityFactory, load_regencies
from jembatan.organisations.models import Licence, LicenceStatus, Organisation
from jembatan.organisations.models import OrganisationKind as Kind
from jembatan.organisations.rules import ensure_can_act
from jembatan.participants.models import Education, JourneyStatus, Participant

# A published password, so `jembatan seed` refuses to run when DEBUG is off.
DEFAULT_PASSWORD = "jembatan-demo"  # noqa: S105
PASSWORD_ENV = "JEMBATAN_DEMO_PASSWORD"  # noqa: S105
ACTOR = "system:seed"
LICENCE_YEARS_DAYS = 5 * 365 + 1
Progress = Callable[[str], None]


@dataclass(frozen=True)
class OrgSpec:
    """One demo organisation; ``where`` is a regency code at home or a town abroad."""

    name: str
    kind: Kind
    where: str
    phone: str
    country: str = "ID"
    street: str = ""
    parent: str = ""


IM_JAPAN = "IM Japan"
JCCI = "Japan Chamber of Commerce and Industry (JCCI)"
BLK_SEMARANG = "BLK Semarang"
LPK_DEMO_SENDER = "LPK Sakura Mandiri"
LPK_DEMO_SENDER_2 = "LPK Hikari Nusantara"

ABROAD: tuple[OrgSpec, ...] = (
    OrgSpec(IM_JAPAN, Kind.PARTNER, "Chiyoda-ku, Tokyo", "+81352250111", "JP"),
    OrgSpec("World Forest Group", Kind.PARTNER, "Minato-ku, Tokyo", "+81364530220", "JP"),
    OrgSpec(JCCI, Kind.PARTNER, "Chiyoda-ku, Tokyo", "+81332833400", "JP"),
    OrgSpec(
        "HRD Korea (Human Resources Development Service of Korea)",
        Kind.PARTNER,
        "Ulsan",
        "+82527140114",
        "KR",
    ),
    OrgSpec("Doha Technical Apprenticeship Centre", Kind.PARTNER, "Doha", "+97444125500", "QA"),
    OrgSpec("Pacific Skills Australia Pty Ltd", Kind.PARTNER, "Brisbane", "+61730014200", "AU"),
    OrgSpec(
        "Toyama Precision Casting Co., Ltd.", Kind.HOST_COMPANY, "Takaoka, Toyama",
        "+81766221040", "JP", parent=JCCI,
    ),
    OrgSpec(
        "Aichi Auto Parts Kogyo Co., Ltd.", Kind.HOST_COMPANY, "Toyota, Aichi",
        "+81565281120", "JP", parent=JCCI,
    ),
    OrgSpec(
        "Sapporo Fresh Foods Co., Ltd.", Kind.HOST_COMPANY, "Sapporo, Hokkaido",
        "+81117720335", "JP", parent=JCCI,
    ),
    OrgSpec(
        "Hamamatsu Kensetsu Kogyo Co., Ltd.", Kind.HOST_COMPANY, "Hamamatsu, Shizuoka",
        "+81534560781", "JP", parent=JCCI,
    ),
    OrgSpec(
        "Kumamoto Green Agri Co., Ltd.", Kind.HOST_COMPANY, "Kikuchi, Kumamoto",
        "+81968250912", "JP", parent=JCCI,
    ),
    OrgSpec(
        "Osaka Hidamari Care Co., Ltd.", Kind.HOST_COMPANY, "Sakai, Osaka",
        "+81722330456", "JP", parent=JCCI,
    ),
    OrgSpec(
        "Setouchi Zosen Kogyo Co., Ltd.", Kind.HOST_COMPANY, "Imabari, Ehime",
        "+81898321177", "JP", parent=JCCI,
    ),
    OrgSpec(
        "Japan International Cooperation Agency (JICA)", Kind.COOPERATION,
        "Chiyoda-ku, Tokyo", "+81352265000", "JP",
    ),
    OrgSpec(
        "Korea International Cooperation Agency (KOICA)", Kind.COOPERATION,
        "Seongnam, Gyeonggi-do", "+82317400114", "KR",
    ),
    OrgSpec("International Labour Organization (ILO)", Kind.COOPERATION, "Geneva",
            "+41227996111", "CH"),
)  # fmt: skip

BLK, LPK, ASSOC, COMPANY = Kind.BLK, Kind.LPK, Kind.ASSOCIATION, Kind.SENDING_COMPANY
# (name, kind, regency code, phone, street)
_HOME_TABLE: tuple[tuple[str, Kind, str, str, str], ...] = (
    ("Ikatan Pengusaha Kenshuusei Indonesia (IKAPEKSI)", ASSOC, "31.74", "+62217945512",
     "Jl. Warung Buncit Raya No. 17"),
    ("Asosiasi Penyelenggara Pemagangan Indonesia (APPI)", ASSOC, "31.75", "+62218564420",
     "Jl. Pemuda No. 64"),
    (BLK_SEMARANG, BLK, "33.74", "+62246710531", "Jl. Brigjen Sudiarto No. 118"),
    ("BBPVP Bekasi", BLK, "32.75", "+62218841620", "Jl. Guntur No. 1"),
    ("BBPVP Bandung", BLK, "32.73", "+62227312564", "Jl. Gatot Subroto No. 170"),
    ("BBPVP Serang", BLK, "36.73", "+62254200345", "Jl. Raya Pandeglang Km. 3"),
    ("BBPVP Medan", BLK, "12.71", "+62618453321", "Jl. Gatot Subroto Km. 7,8"),
    ("BBPVP Makassar", BLK, "73.71", "+62411871234", "Jl. Taman Makam Pahlawan No. 4"),
    ("BLK Surabaya", BLK, "35.78", "+62318290456", "Jl. Dukuh Menanggal No. 29"),
    ("UPT BLK Wonojati Malang", BLK, "35.07", "+62341426789", "Jl. Raya Wonojati No. 2"),
    ("UPT BLK Kendal", BLK, "33.24", "+62294381122", "Jl. Soekarno-Hatta No. 45"),
    ("UPTD BLK Banda Aceh", BLK, "11.71", "+62651755321", "Jl. Tgk. Abu Lam U No. 9"),
    ("UPT BLK Lombok Timur", BLK, "52.03", "+62376631245", "Jl. Prof. M. Yamin No. 12"),
    ("UPTD BLK Kupang", BLK, "53.71", "+62380833412", "Jl. Frans Seda No. 3"),
    (LPK_DEMO_SENDER, LPK, "33.24", "+62294382456", "Jl. Raya Kaliwungu No. 88"),
    (LPK_DEMO_SENDER_2, LPK, "32.73", "+62227207789", "Jl. Cihampelas No. 214"),
    ("LPK Fuji Bina Prestasi", LPK, "33.01", "+62282534120", "Jl. Gatot Subroto No. 21"),
    ("LPK Midori Karya Utama", LPK, "33.02", "+62281635871", "Jl. Overste Isdiman No. 5"),
    ("LPK Yamato Bangsa", LPK, "35.07", "+62341396654", "Jl. Raya Kepanjen No. 101"),
    ("LPK Kaizen Mitra Utama", LPK, "32.75", "+62218867312", "Jl. Ahmad Yani No. 9"),
    ("LPK Mirai Jaya", LPK, "32.15", "+62267402215", "Jl. Tuparev No. 310"),
    ("LPK Hoshi Cendekia", LPK, "33.10", "+62272321908", "Jl. Pemuda No. 77"),
    ("LPK Kokoro Insan Mandiri", LPK, "34.71", "+62274515632", "Jl. Kaliurang Km. 5"),
    ("LPK Ganbatte Lampung", LPK, "18.71", "+62721774410", "Jl. Teuku Umar No. 30"),
    ("LPK Asahi Dewata", LPK, "51.03", "+62361427713", "Jl. Raya Kerobokan No. 56"),
    ("LPK Kizuna Celebes", LPK, "73.71", "+62411452278", "Jl. Perintis Kemerdekaan No. 12"),
    ("LPK Taiyo Minang", LPK, "13.71", "+62751445190", "Jl. Khatib Sulaiman No. 44"),
    ("LPK Hanami Cirebon", LPK, "32.09", "+62231483326", "Jl. Raya Sumber No. 15"),
    ("LPK Tsubasa Rinjani", LPK, "52.71", "+62370633218", "Jl. Pejanggik No. 23"),
    ("LPK Nozomi Sejahtera", LPK, "35.15", "+62318921145", "Jl. Raya Gedangan No. 8"),
    ("LPK Sora Bina Insani", LPK, "12.71", "+62614567721", "Jl. Sisingamangaraja No. 140"),
    ("LPK Hanguk Karya Mandiri", LPK, "32.12", "+62234275509", "Jl. Jenderal Sudirman No. 61"),
    ("LPK Bintang Timur Nippon", LPK, "35.04", "+62355321876", "Jl. Panglima Sudirman No. 19"),
    ("LPK Sakura Jaya Abadi", LPK, "36.03", "+62215981234", "Jl. Raya Serang Km. 12"),
    ("LPK Tokyo Karya Prima", LPK, "31.75", "+62218709932", "Jl. Raya Bogor Km. 20"),
    ("LPK Mawar Nihon", LPK, "33.14", "+62271891245", "Jl. Raya Sukowati No. 33"),
    ("PT Mitra Magang Global", COMPANY, "31.74", "+62215213388", "Jl. H.R. Rasuna Said Kav. 10"),
    ("PT Bina Tenaga Internasional", COMPANY, "35.78", "+62315678123", "Jl. Raya Darmo No. 75"),
)  # fmt: skip
AT_HOME = tuple(
    OrgSpec(name, kind, where, phone, street=street)
    for name, kind, where, phone, street in _HOME_TABLE
)

A, R, X = LicenceStatus.ACTIVE, LicenceStatus.RENEWAL, LicenceStatus.EXPIRED
# (organisation, status, days from today to valid_from, an expired licence before it?)
LICENCES: tuple[tuple[str, LicenceStatus, int | None, bool], ...] = (
    (LPK_DEMO_SENDER, A, -420, True),
    (LPK_DEMO_SENDER_2, A, -250, False),
    ("LPK Fuji Bina Prestasi", A, -1100, True),
    ("LPK Midori Karya Utama", A, -640, False),
    ("LPK Yamato Bangsa", A, -900, True),
    ("LPK Kaizen Mitra Utama", A, -130, False),
    ("LPK Mirai Jaya", A, -1300, False),
    ("LPK Hoshi Cendekia", A, -760, False),
    ("LPK Kokoro Insan Mandiri", A, -500, False),
    ("LPK Ganbatte Lampung", A, -300, False),
    ("LPK Asahi Dewata", A, -980, False),
    ("LPK Kizuna Celebes", A, -60, False),
    ("PT Mitra Magang Global", A, -1200, True),
    ("PT Bina Tenaga Internasional", A, -820, False),
    ("LPK Taiyo Minang", R, -LICENCE_YEARS_DAYS + 35, False),
    ("LPK Hanami Cirebon", R, -LICENCE_YEARS_DAYS + 58, True),
    ("LPK Tsubasa Rinjani", LicenceStatus.GRANTED, 14, False),
    ("LPK Nozomi Sejahtera", LicenceStatus.DRAFT, None, False),
    ("LPK Sora Bina Insani", LicenceStatus.SUBMITTED, None, False),
    ("LPK Hanguk Karya Mandiri", LicenceStatus.UNDER_REVIEW, None, False),
    ("LPK Bintang Timur Nippon", X, -LICENCE_YEARS_DAYS - 120, False),
    ("LPK Sakura Jaya Abadi", LicenceStatus.SUSPENDED, -700, False),
    ("LPK Tokyo Karya Prima", LicenceStatus.REVOKED, -1000, False),
    ("LPK Mawar Nihon", LicenceStatus.REJECTED, None, False),
)


@dataclass(frozen=True)
class DemoUser:
    """One demo login: its role, scope and the person behind it."""

    username: str
    role: Role
    full_name: str
    organisation: str = ""
    province: str = ""


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("demo-admin", Role.NATIONAL_ADMIN, "Dewi Anggraini"),
    DemoUser("demo-officer", Role.NATIONAL_OFFICER, "Rahmat Hidayat"),
    DemoUser("demo-province", Role.PROVINCIAL_OFFICER, "Sri Wahyuni", province="33"),
    DemoUser("demo-training", Role.TRAINING_OPERATOR, "Agus Setiawan", BLK_SEMARANG),
    DemoUser("demo-sender", Role.SENDER_OPERATOR, "Rina Marlina", LPK_DEMO_SENDER),
    DemoUser("demo-sender-2", Role.SENDER_OPERATOR, "Yusuf Maulana", LPK_DEMO_SENDER_2),
    DemoUser("demo-partner", Role.PARTNER, "Kenji Sato", IM_JAPAN),
    DemoUser("demo-participant", Role.PARTICIPANT, ""),
    DemoUser("demo-auditor", Role.AUDITOR, "Bambang Sutrisno"),
)
LPK_PARTICIPANT = "demo-lpk-participant"
# Logins the selection demo creates later (demo/selection.py), listed with the rest.
LATER_USERS: tuple[DemoUser, ...] = (
    DemoUser("demo-candidate", Role.PARTICIPANT, ""),
    DemoUser(LPK_PARTICIPANT, Role.PARTICIPANT, ""),  # demo/invitations.py
)
DEMO_PARTICIPANT_PROVINCE = "33"


@dataclass
class DemoResult:
    """What the demo step created, and the organisations the bulk step favours."""

    organisations: int = 0
    licences: int = 0
    users: int = 0
    participants: int = 0
    favoured: set[int] = field(default_factory=set)
    g2g_partner: int = 0


def seed_demo(*, seed: int, password: str, today: dt.date, progress: Progress) -> DemoResult:
    """Create whatever part of the demo programme is missing."""
    result = DemoResult()
    orgs = _ensure_organisations(result)
    progress(f"organisations: {len(orgs)} ({result.organisations} new)")
    for spec in LICENCES:
        _ensure_licences(orgs[spec[0]], spec, today, result)
    progress(f"licences: {result.licences} new")
    _ensure_users(orgs, seed=seed, password=password, today=today, result=result)
    progress(f"demo users: {result.users} new")
    result.favoured = {
        orgs[name].pk for name in (IM_JAPAN, BLK_SEMARANG, LPK_DEMO_SENDER, LPK_DEMO_SENDER_2)
    }
    result.g2g_partner = orgs[IM_JAPAN].pk
    return result


# --- organisations ----------------------------------------------------------


def _ensure_organisations(result: DemoResult) -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    for spec in ABROAD + AT_HOME:
        orgs[spec.name] = _ensure_organisation(spec, orgs.get(spec.parent), result)
    return orgs


def _ensure_organisation(
    spec: OrgSpec, parent: Organisation | None, result: DemoResult
) -> Organisation:
    found = Organisation.objects.filter(name=spec.name, kind=spec.kind).first()
    if found is not None:
        return found
    result.organisations += 1
    return Organisation.objects.create(
        name=spec.name, kind=spec.kind, parent=parent, phone=spec.phone, **_place(spec)
    )


def _place(spec: OrgSpec) -> dict[str, Any]:
    """Country, region, province, address and e-mail of a demo organisation."""
    email = f"info@{slugify(spec.name)[:50]}.example"
    if spec.country != "ID":
        return {"country_id": spec.country, "address": spec.where, "email": email}
    regency = Region.objects.select_related("parent").get(code=spec.where)
    province = regency.parent
    assert province is not None, f"regency {spec.where} has no province"
    return {
        "country_id": "ID",
        "region": regency,
        "province": province,
        "address": f"{spec.street}, {regency.name}, {province.name}",
        "email": email,
    }


# --- licences ---------------------------------------------------------------


def _ensure_licences(
    org: Organisation,
    spec: tuple[str, LicenceStatus, int | None, bool],
    today: dt.date,
    result: DemoResult,
) -> None:
    """Write the planned licences of ``org`` unless it already has any."""
    _name, status, start, had_expired = spec
    if org.licences.exists():
        return
    serial = 101 + 7 * [s[0] for s in LICENCES].index(org.name)
    if had_expired and start is not None:
        old_start = start - LICENCE_YEARS_DAYS - 30
        _licence(org, X, serial + 400, today, today + dt.timedelta(days=old_start))
        result.licences += 1
    valid_from = None if start is None else today + dt.timedelta(days=start)
    _licence(org, status, serial, today, valid_from)
    result.licences += 1


def _licence(
    org: Organisation, status: str, serial: int, today: dt.date, valid_from: dt.date | None
) -> Licence:
    if valid_from is None:
        return Licence.objects.create(organisation=org, status=status)
    decided = min(valid_from, today)
    return Licence.objects.create(
        organisation=org,
        status=status,
        number=f"KEP.{serial:03d}/LATTAS/{decided.year}",
        valid_from=valid_from,
        valid_to=valid_from + dt.timedelta(days=LICENCE_YEARS_DAYS),
    )


# --- users ------------------------------------------------------------------


def _ensure_users(
    orgs: dict[str, Organisation],
    *,
    seed: int,
    password: str,
    today: dt.date,
    result: DemoResult,
) -> None:
    taken = set(
        User.objects.filter(username__in=[u.username for u in DEMO_USERS]).values_list(
            "username", flat=True
        )
    )
    for spec in DEMO_USERS:
        if spec.username in taken:
            continue
        if spec.role == Role.PARTICIPANT:
            _demo_participant(orgs, spec, seed=seed, password=password, today=today)
            result.participants += 1
        else:
            _demo_official(orgs, spec, password)
        result.users += 1


def _demo_official(orgs: dict[str, Organisation], spec: DemoUser, password: str) -> User:
    user = user_create(
        username=spec.username,
        role=spec.role,
        password=password,
        acting_user=ACTOR,
        full_name=spec.full_name,
        email=f"{spec.username}@jembatan.example",
        organisation=orgs[spec.organisation] if spec.organisation else None,
        province=Region.objects.get(code=spec.province) if spec.province else None,
    )
    if spec.role == Role.NATIONAL_ADMIN:
        _make_superuser(user)
    return user


def _make_superuser(user: User) -> None:
    """The demo administrator may open the Django admin to fix data."""
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    record_change(
        acting_user=ACTOR,
        operation="core.seed",
        instance=user,
        action="update",
        changes={
            "is_staff": {"before": False, "after": True},
            "is_superuser": {"before": False, "after": True},
        },
        reason="Demo administrator may use the Django admin.",
    )


def _demo_participant(
    orgs: dict[str, Organisation], spec: DemoUser, *, seed: int, password: str, today: dt.date
) -> Participant:
    """A participant of Jawa Tengah in training, with her own login."""
    ensure_can_act(orgs[LPK_DEMO_SENDER])
    factory = IdentityFactory(random.Random(f"{seed}:demo-participant"), load_regencies(), today)
    person = factory.person(province_code=DEMO_PARTICIPANT_PROVINCE, sex="F", ages=(20, 24))
    while Participant.objects.filter(nik=person.nik).exists():
        person = factory.person(province_code=DEMO_PARTICIPANT_PROVINCE, sex="F", ages=(20, 24))
    user = user_create(
        username=spec.username,
        role=spec.role,
        password=password,
        acting_user=ACTOR,
        full_name=person.full_name,
        email=person.email,
    )
    return _participant_record(orgs, person, user, today)


def _participant_record(
    orgs: dict[str, Organisation], person: Any, user: User, today: dt.date
) -> Participant:
    registered = dt.datetime.combine(today - dt.timedelta(days=75), dt.time(9, 30), dt.UTC)
    return Participant.objects.create(
        nik=person.nik,
        full_name=person.full_name,
        sex=person.sex,
        birth_place=person.birth_place,
        birth_date=person.birth_date,
        regency_id=person.regency_code,
        province_id=person.regency_code[:2],
        address=f"Jl. Kenanga No. 14, RT 002/RW 005, {person.birth_place}",
        phone=person.phone,
        email=person.email,
        education=Education.SMK,
        status=JourneyStatus.IN_TRAINING,
        status_changed_at=registered + dt.timedelta(days=40),
        created_at=registered,
        sending_organisation=orgs[LPK_DEMO_SENDER],
        training_centre=orgs[BLK_SEMARANG],
        partner=orgs[IM_JAPAN],
        user=user,
    )


# --- what to show ------------------------------------------------------------


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role, scope) of every demo login that exists, in cast order."""
    specs = DEMO_USERS + LATER_USERS
    users = {
        u.username: u
        for u in User.objects.filter(username__in=[d.username for d in specs]).select_related(
            "organisation", "province"
        )
    }
    return [
        (spec.username, str(Role(spec.role).label), _scope(users[spec.username]))
        for spec in specs
        if spec.username in users
    ]


def _scope(user: User) -> str:
    if user.organisation is not None:
        return user.organisation.name
    if user.province is not None:
        return user.province.name
    if user.role == Role.PARTICIPANT:
        record = Participant.objects.filter(user=user).first()
        return f"own record ({record.full_name})" if record else "own record"
    return "national"
