"""The programme's legal frame as reference data: regulations, regimes, organisers, sanctions.

Four sourced files in ``core/data`` (each with its ``.meta.json``):

- ``legal-basis.csv``: the regulations the programme rests on, with their status;
- ``scheme-legal-frame.csv``: under which regime each programme runs (apprenticeship
  under UU 13/2003 art. 25 and PER.08/MEN/V/2008, or the placement of migrant workers
  under UU 18/2017) and which licence type may send under it;
- ``organiser-types.csv``: the organisers of apprenticeship abroad (private LPK,
  company, government agency, education institution) and what each needs;
- ``licence-sanctions.csv``: the sanctions on a licence in Indonesian terms, each with
  where it comes from.

The licence rule (:func:`jembatan.organisations.rules.ensure_can_act`) reads the
scheme's licence type from here, so a wrong licence is refused naming its source.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

DATA = Path(__file__).resolve().parent / "data"

# Licence types a scheme may ask for; ``government`` is held by no private organisation.
APPRENTICESHIP = "apprenticeship"
REGISTRATION = "registration"
P3MI = "p3mi"
GOVERNMENT = "government"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _indonesian() -> bool:
    return (get_language() or "id").startswith("id")


@dataclass(frozen=True)
class Regulation:
    """One regulation of the legal basis, with its status as far as it was checked."""

    code: str
    citation: str
    title: str
    title_id: str
    regime: str
    issued: str
    status: str
    note: str

    @property
    def label(self) -> str:
        """The full title in the reader's language."""
        return self.title_id if _indonesian() else self.title


@dataclass(frozen=True)
class SchemeFrame:
    """Under which regime a programme runs and which licence type may send under it."""

    scheme: str
    name: str
    name_id: str
    regime: str
    licence_type: str
    basis: str
    note: str

    @property
    def label(self) -> str:
        """The programme's name in the reader's language."""
        return self.name_id if _indonesian() else self.name


@dataclass(frozen=True)
class OrganiserType:
    """A kind of organiser of apprenticeship abroad: what it holds and needs."""

    kind: str
    name: str
    name_id: str
    holds: str
    needs_en: tuple[str, ...]
    needs_id: tuple[str, ...]
    basis: str

    @property
    def label(self) -> str:
        """The organiser type in the reader's language."""
        return self.name_id if _indonesian() else self.name

    @property
    def needs(self) -> tuple[str, ...]:
        """What the organiser needs, in the reader's language."""
        return self.needs_id if _indonesian() else self.needs_en


@dataclass(frozen=True)
class Sanction:
    """A sanction on a licence, in Indonesian terms, with where it comes from."""

    kind: str
    name: str
    name_id: str
    basis: str
    note: str


def _parts(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(";") if part.strip())


@cache
def regulations() -> dict[str, Regulation]:
    """The legal basis, by code."""
    return {row["code"]: Regulation(**row) for row in _rows("legal-basis.csv")}


@cache
def scheme_frames() -> dict[str, SchemeFrame]:
    """Each programme's regime and licence type, by scheme code."""
    return {row["scheme"]: SchemeFrame(**row) for row in _rows("scheme-legal-frame.csv")}


@cache
def organiser_types() -> dict[str, OrganiserType]:
    """The organiser types, by organisation kind."""
    return {
        row["kind"]: OrganiserType(
            kind=row["kind"],
            name=row["name"],
            name_id=row["name_id"],
            holds=row["holds"],
            needs_en=_parts(row["needs"]),
            needs_id=_parts(row["needs_id"]),
            basis=row["basis"],
        )
        for row in _rows("organiser-types.csv")
    }


@cache
def sanctions() -> dict[str, Sanction]:
    """The sanctions on a licence, by decision kind."""
    return {row["kind"]: Sanction(**row) for row in _rows("licence-sanctions.csv")}


def frame_for(scheme: str) -> SchemeFrame | None:
    """The frame of ``scheme`` (``None`` for a scheme the file does not know)."""
    return scheme_frames().get(scheme)


def licence_type_for_kind(kind: str) -> str | None:
    """The licence type an organisation of ``kind`` holds (``None``: it holds none)."""
    organiser = organiser_types().get(kind)
    return organiser.holds if organiser else None
