"""The selection-stage documents a candidate must have verified before being put forward.

A route's checklist (``documents.DocumentRequirement``, ``needed_for=selection``)
names the papers that cannot be missing once selection is passed: on IM Japan
the medical check result (the round's medical stage produces it); on the LPK
route also the police record (SKCK), the language certificate and the BNSP
competency certificate. Selection reads them where a selected candidate is put
forward to a partner: a shortlist skips each ranked candidate who still owes
one, and says how many and why (``services.shortlists``). Enrolment does not
read them: on IM Japan the medical check is itself a stage of the round.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jembatan.documents.models import Stage
from jembatan.documents.rules import DocumentGap, document_gaps
from jembatan.selection.models import Candidacy


@dataclass(frozen=True)
class Undocumented:
    """A ranked candidate left off a shortlist: selection-stage documents not verified."""

    candidacy: Candidacy
    gaps: list[DocumentGap]

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form for the change record: the candidacy and the document kinds."""
        return {
            "candidacy": self.candidacy.pk,
            "documents": [g.requirement.kind for g in self.gaps],
        }

    @property
    def problems(self) -> list[str]:
        """Each missing or unverified document, as ``document_gaps`` words it."""
        return [gap.problem for gap in self.gaps]


def selection_gaps(candidacy: Candidacy) -> Undocumented | None:
    """What ``candidacy``'s participant still owes for selection, or None if nothing."""
    gaps = document_gaps(candidacy.participant, Stage.SELECTION)
    return Undocumented(candidacy=candidacy, gaps=gaps) if gaps else None


def undocumented_text(skipped: Sequence[Undocumented], limit: int = 20) -> str:
    """``Budi Santoso (rank 3): Medical check result has not been uploaded.; …``"""
    rank = _("rank")
    parts = [
        f"{u.candidacy.participant.full_name} ({rank} {u.candidacy.rank}): " + " ".join(u.problems)
        for u in skipped[:limit]
    ]
    more = len(skipped) - limit
    if more > 0:
        parts.append(_("and %(n)d more") % {"n": more})
    return "; ".join(parts)


def skipped_message(skipped: Sequence[Undocumented]) -> str:
    """How many ranked candidates a shortlist skipped for their documents, and why."""
    if not skipped:
        return ""
    return ngettext(
        "%(count)d ranked candidate was skipped because their selection documents are "
        "not verified: %(who)s",
        "%(count)d ranked candidates were skipped because their selection documents are "
        "not verified: %(who)s",
        len(skipped),
    ) % {"count": len(skipped), "who": undocumented_text(skipped)}
