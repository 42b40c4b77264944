"""The public register of sending organisations: what anyone may know, and nothing personal.

A candidate looks up the organisation that offers to send them abroad and sees
whether it may do so today. The register shows the organisation's name, kind
and place, its licence number, status and validity, and the sanctions the
ministry published. It never shows operators, contact persons or attachments
that were not made public.

Paging is by keyset on (name, id), so page 100 costs what page 1 costs.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jembatan.organisations.models import (
    IN_FORCE_STATUSES,
    SENDING_KINDS,
    DecisionKind,
    Licence,
    LicenceDecision,
    LicenceStatus,
    Organisation,
)
from jembatan.organisations.rules import scope_text, suspension_is_partial

PAGE_SIZE = 50


@dataclass(frozen=True)
class PublicStatus:
    """A status as the public register names and explains it."""

    code: str
    label: str | Promise
    explanation: str | Promise
    may_send: bool
    # What the badge's colour means: success (may send), warning (may not, for now),
    # danger (withdrawn for good), neutral (no licence, or it ran out).
    tone: str = "neutral"


ACTIVE = PublicStatus(
    "active",
    _("Licensed"),
    _(
        "The organisation holds a valid licence from Kemnaker and may recruit, train and "
        "send apprentices abroad."
    ),
    True,
    "success",
)
RENEWING = PublicStatus(
    "renewal",
    _("Licensed (renewal in progress)"),
    _(
        "The licence is valid and the organisation has asked Kemnaker to renew it. It may "
        "send apprentices until the date shown."
    ),
    True,
    "success",
)
NOT_YET_VALID = PublicStatus(
    "granted",
    _("Licensed from a later date"),
    _(
        "Kemnaker has granted a licence, but it starts on the date shown. Until then the "
        "organisation may not recruit or send apprentices."
    ),
    False,
    "warning",
)
PARTLY_SUSPENDED = PublicStatus(
    "partly_suspended",
    _("Partly suspended"),
    _(
        "Kemnaker has suspended part of the licence (some activities or destination "
        "countries, shown below). The organisation may not do those things until the "
        "suspension is lifted."
    ),
    True,
    "warning",
)
SUSPENDED = PublicStatus(
    "suspended",
    _("Suspended"),
    _(
        "Kemnaker has suspended the licence. The organisation may not recruit or send "
        "apprentices until the suspension is lifted. Do not pay it any fee meanwhile."
    ),
    False,
    "warning",
)
REVOKED = PublicStatus(
    "revoked",
    _("Revoked"),
    _(
        "Kemnaker has withdrawn the licence for good. The organisation may not recruit or "
        "send apprentices. If it still offers to send you abroad, report it."
    ),
    False,
    "danger",
)
EXPIRED = PublicStatus(
    "expired",
    _("Expired"),
    _(
        "The licence has run out and was not renewed. The organisation may not recruit or "
        "send apprentices until it holds a new licence."
    ),
    False,
)
NOT_LICENSED = PublicStatus(
    "not_licensed",
    _("Not licensed"),
    _(
        "The organisation holds no licence to send apprentices abroad (it may have "
        "applied). It may not recruit or send apprentices."
    ),
    False,
)
ALL_STATUSES = (
    ACTIVE,
    RENEWING,
    NOT_YET_VALID,
    PARTLY_SUSPENDED,
    SUSPENDED,
    EXPIRED,
    REVOKED,
    NOT_LICENSED,
)


@dataclass
class RegisterRow:
    """One organisation as the public register shows it."""

    organisation: Organisation
    licence: Licence | None
    status: PublicStatus
    sanctions: list[LicenceDecision] = field(default_factory=list)
    suspension_scope: str = ""


@dataclass
class RegisterPage:
    """One page of the register and the cursor to the next page, if there is one."""

    rows: list[RegisterRow]
    next_cursor: str | None


def encode_cursor(organisation: Organisation) -> str:
    """An opaque cursor after ``organisation`` in (name, id) order."""
    raw = json.dumps([organisation.name, organisation.pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(value: str | None) -> tuple[str, int] | None:
    """The (name, id) in a cursor; anything malformed means page one."""
    if not value:
        return None
    try:
        name, pk = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
    except (ValueError, TypeError, binascii.Error):
        return None
    if not isinstance(name, str) or not isinstance(pk, int):
        return None
    return name, pk


def register_queryset(*, query: str = "", province: str = "") -> QuerySet[Organisation]:
    """Sending organisations matching a name or licence number and a province code."""
    rows = Organisation.objects.filter(
        kind__in=sorted(SENDING_KINDS), archived_at__isnull=True
    ).select_related("province", "region")
    query = query.strip()
    if query:
        numbers = Licence.objects.filter(number__icontains=query).values("organisation_id")
        rows = rows.filter(Q(name__icontains=query) | Q(pk__in=numbers))
    if province:
        rows = rows.filter(province_id=province)
    return rows.order_by("name", "pk")


def register_page(
    *, query: str = "", province: str = "", after: str | None = None, size: int = PAGE_SIZE
) -> RegisterPage:
    """One page of the register, alphabetical."""
    rows = register_queryset(query=query, province=province)
    cursor = decode_cursor(after)
    if cursor is not None:
        name, pk = cursor
        rows = rows.filter(Q(name__gt=name) | Q(name=name, pk__gt=pk))
    found = list(rows[: size + 1])
    items = found[:size]
    more = len(found) > size
    return RegisterPage(describe(items), encode_cursor(items[-1]) if more and items else None)


def register_all(*, query: str = "", province: str = "", chunk: int = 500) -> Iterator[RegisterRow]:
    """Every matching organisation, for the CSV download, in batches of ``chunk``."""
    after: str | None = None
    while True:
        page = register_page(query=query, province=province, after=after, size=chunk)
        yield from page.rows
        if page.next_cursor is None:
            return
        after = page.next_cursor


def _shown_licence(licences: list[Licence]) -> Licence | None:
    """The licence in force, else the latest that was ever granted; applications don't count."""
    for licence in licences:
        if licence.status in IN_FORCE_STATUSES:
            return licence
    decided = [
        lic for lic in licences if lic.status in (LicenceStatus.EXPIRED, LicenceStatus.REVOKED)
    ]
    return decided[0] if decided else None


def describe(organisations: list[Organisation], today: dt.date | None = None) -> list[RegisterRow]:
    """Register rows for ``organisations`` in three queries, whatever their number."""
    today = today or timezone.localdate()
    ids = [o.pk for o in organisations]
    licences: dict[int, list[Licence]] = defaultdict(list)
    for licence in Licence.objects.filter(organisation_id__in=ids).order_by("-id"):
        licences[licence.organisation_id].append(licence)
    sanctions: dict[int, list[LicenceDecision]] = defaultdict(list)
    published = (
        LicenceDecision.objects.filter(licence__organisation_id__in=ids, published=True)
        .select_related("licence")
        .prefetch_related("suspended_countries")
        .order_by("-decided_at", "-id")
    )
    for decision in published:
        sanctions[decision.licence.organisation_id].append(decision)
    return [_row(o, _shown_licence(licences[o.pk]), sanctions[o.pk], today) for o in organisations]


def _row(
    organisation: Organisation,
    licence: Licence | None,
    sanctions: list[LicenceDecision],
    today: dt.date,
) -> RegisterRow:
    status = public_status(licence, today)
    scope = ""
    if status is PARTLY_SUSPENDED and licence is not None:
        suspension = _latest_suspension(licence)
        scope = scope_text(suspension) if suspension else ""
    return RegisterRow(organisation, licence, status, sanctions, scope)


def _latest_suspension(licence: Licence) -> LicenceDecision | None:
    return (
        licence.decisions.filter(kind=DecisionKind.SUSPENSION)
        .prefetch_related("suspended_countries")
        .order_by("-decided_at", "-id")
        .first()
    )


def register_entry(organisation: Organisation, today: dt.date | None = None) -> RegisterRow:
    """What the public register shows for ``organisation``: every page that tells an
    officer or an operator "on the public register" asks this, so they cannot differ."""
    (row,) = describe([organisation], today)
    return row


def public_status(licence: Licence | None, today: dt.date) -> PublicStatus:
    """How the public register names the situation of ``licence`` today.

    An application (draft, submitted, under review, rejected) licenses nothing: it reads
    "not licensed", whatever its dates say.
    """
    if licence is None:
        return NOT_LICENSED
    if licence.status not in IN_FORCE_STATUSES | {LicenceStatus.EXPIRED, LicenceStatus.REVOKED}:
        return NOT_LICENSED
    if licence.status == LicenceStatus.REVOKED:
        return REVOKED
    if licence.status == LicenceStatus.EXPIRED or (licence.valid_to and licence.valid_to < today):
        return EXPIRED
    if licence.status == LicenceStatus.SUSPENDED:
        suspension = _latest_suspension(licence)
        return PARTLY_SUSPENDED if suspension and suspension_is_partial(suspension) else SUSPENDED
    if licence.status == LicenceStatus.GRANTED or (
        licence.valid_from and licence.valid_from > today
    ):
        return NOT_YET_VALID
    return RENEWING if licence.status == LicenceStatus.RENEWAL else ACTIVE


def reason_summary(decision: LicenceDecision, limit: int = 200) -> str:
    """The first ``limit`` characters of a decision's reason, on one line."""
    text = " ".join(decision.reason.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- CSV ---------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    """A cell value that Excel or LibreOffice will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_header() -> list[str]:
    """Column titles of the register download, in the reader's language."""
    return [
        str(_("Name")),
        str(_("Kind")),
        str(_("Province")),
        str(_("Regency/city")),
        str(_("Licence number")),
        str(_("Status")),
        str(_("Valid from")),
        str(_("Valid until")),
        str(_("Published sanctions")),
    ]


def sanction_line(decision: LicenceDecision) -> str:
    """``2025-03-01 Warning: reason…`` for the CSV download."""
    day = timezone.localdate(decision.decided_at).isoformat()
    return f"{day} {decision.get_kind_display()}: {reason_summary(decision)}"


def csv_row(row: RegisterRow) -> list[str]:
    """One organisation as escaped CSV cells."""
    licence = row.licence
    sanctions = "; ".join(sanction_line(d) for d in row.sanctions)
    cells = [
        row.organisation.name,
        row.organisation.get_kind_display(),
        row.organisation.province or "",
        row.organisation.region or "",
        licence.number if licence else "",
        row.status.label,
        licence.valid_from.isoformat() if licence and licence.valid_from else "",
        licence.valid_to.isoformat() if licence and licence.valid_to else "",
        sanctions,
    ]
    return [spreadsheet_safe(c) for c in cells]
