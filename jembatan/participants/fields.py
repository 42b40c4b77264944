"""A participant's own details, declared once: :class:`ParticipantDetails`.

What a person declares about themselves is one typed record, in the order the
forms show it. Every other list of those fields derives from it, so that a
detail added here reaches each path that takes details:

* :data:`DETAILS`, all of them: the registration and edit forms
  (``forms.ParticipantForm``), the API's ``ParticipantIn`` and the registry's
  services;
* :data:`IDENTITY`: what the identity card proves, which only an officer changes
  once verified (the service's rule and the edit form's locked fields);
* :data:`SELF_REGISTERED`: what the public self-registration form asks;
* :data:`IMPORTED`: what a registration spreadsheet carries (its columns are
  ``import_checks.columns.COLUMNS``; an import writes and compares these);
* :data:`OPTIONAL`: what a record may lack, which a merge fills from the merged
  record (``services/duplicates.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import MISSING, dataclass, fields
from typing import Any

from jembatan.core.models import Region
from jembatan.participants.models import Participant
from jembatan.participants.validation import regency_contradiction

# Not details of the person: the confirmation that goes with a regency other than the NIK's,
# and the reason given for a NIK that disagrees with the birth date or sex (the service
# records it, with who confirmed it, in the record's nik_mismatch_* fields).
CONFIRMATION = "regency_confirmed"
MISMATCH_REASON = "nik_mismatch_reason"
CONFIRMATIONS = frozenset({CONFIRMATION, MISMATCH_REASON})


@dataclass(frozen=True)
class ParticipantDetails:
    """What a person declares about themselves: the editable part of the record."""

    nik: str
    full_name: str
    sex: str
    birth_place: str
    birth_date: dt.date
    regency: Region
    district: str = ""
    village: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    education: str = ""
    emergency_contact_name: str = ""
    emergency_contact_relation: str = ""
    emergency_contact_phone: str = ""
    passport_number: str = ""
    passport_expiry: dt.date | None = None
    # The person lives elsewhere than their NIK says, and whoever registers confirms it.
    regency_confirmed: bool = False
    # Why the NIK may disagree with the birth date or sex (a NIK is never reissued).
    nik_mismatch_reason: str = ""

    @classmethod
    def from_cleaned(cls, data: Mapping[str, Any]) -> ParticipantDetails:
        """Pick the details out of a form's ``cleaned_data`` (other keys are ignored)."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names and v is not None})

    @classmethod
    def of(cls, participant: Participant) -> ParticipantDetails:
        """The details currently on record (a regency that differs from the NIK's was
        accepted when it was recorded, so it counts as confirmed; so does the reason
        recorded for a NIK that disagrees)."""
        values = {name: getattr(participant, name) for name in DETAILS}
        moved = regency_contradiction(participant.nik, participant.regency_id) is not None
        return cls(
            **values,
            regency_confirmed=moved,
            nik_mismatch_reason=participant.nik_mismatch_reason,
        )

    def values(self) -> dict[str, Any]:
        """Field name to value, ready to set on a :class:`Participant`."""
        return {name: getattr(self, name) for name in DETAILS}


# Every detail, as the name of the Participant field that holds it.
DETAILS: tuple[str, ...] = tuple(
    f.name for f in fields(ParticipantDetails) if f.name not in CONFIRMATIONS
)
# A detail without a default is required on every record; the others may be empty.
OPTIONAL: tuple[str, ...] = tuple(
    f.name for f in fields(ParticipantDetails) if f.name in DETAILS and f.default is not MISSING
)
# Proven by the identity card (KTP): once an officer verified them, only an officer changes them.
IDENTITY: tuple[str, ...] = ("nik", "full_name", "sex", "birth_date")
PASSPORT: tuple[str, ...] = ("passport_number", "passport_expiry")
# The public form asks no passport details; staff add them to the record later.
SELF_REGISTERED: tuple[str, ...] = tuple(name for name in DETAILS if name not in PASSPORT)
# A registration spreadsheet has no columns for the district and village, the emergency
# contact or the passport: those are completed on the record afterwards.
NOT_IMPORTED = frozenset(
    {
        "district",
        "village",
        "emergency_contact_name",
        "emergency_contact_relation",
        "emergency_contact_phone",
        *PASSPORT,
    }
)
IMPORTED: tuple[str, ...] = tuple(name for name in DETAILS if name not in NOT_IMPORTED)


def attnames(names: Iterable[str]) -> tuple[str, ...]:
    """The database attribute of each field: ``regency_id`` for ``regency``."""
    return tuple(Participant._meta.get_field(name).attname for name in names)  # type: ignore[union-attr]
