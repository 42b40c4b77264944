"""What a status badge's colour means, per status field: one table for every app.

Tones: ``success`` (in force, done well: the record may act or has what it
needs), ``warning`` (waiting on someone: a decision, a confirmation, a run),
``danger`` (refused, revoked, failed, withdrawn: something went wrong or was
stopped), ``neutral`` (not yet started, or over without fault). A status not
listed is neutral. ``core/tests/test_tones.py`` checks every status of every
listed model has a tone, so a new status cannot slip in grey by accident.
"""

from __future__ import annotations

from typing import Any, Final

SUCCESS, WARNING, DANGER, NEUTRAL = "success", "warning", "danger", "neutral"

TONES: Final[dict[str, dict[str, str]]] = {
    "core.ImportJob": {"queued": WARNING, "running": WARNING, "done": SUCCESS, "failed": DANGER},
    "organisations.Licence": {
        "draft": NEUTRAL,
        "submitted": WARNING,
        "under_review": WARNING,
        "granted": SUCCESS,
        "active": SUCCESS,
        "renewal": WARNING,
        "expired": NEUTRAL,
        "suspended": WARNING,
        "revoked": DANGER,
        "rejected": DANGER,
    },
    "participants.Participant": {
        "registered": NEUTRAL,
        "verified": SUCCESS,
        "in_training": WARNING,
        "certified": SUCCESS,
        "in_selection": WARNING,
        "selected": SUCCESS,
        "matched": WARNING,
        "contracted": SUCCESS,
        "departed": SUCCESS,
        "in_placement": SUCCESS,
        "completed": SUCCESS,
        "returned_early": DANGER,
        "alumnus": NEUTRAL,
        "withdrawn": DANGER,
        "rejected": DANGER,
    },
    "participants.DuplicateFlag": {"open": WARNING, "merged": NEUTRAL, "dismissed": NEUTRAL},
    "documents.Document": {"pending": WARNING, "verified": SUCCESS, "rejected": DANGER},
    "demand.JobOrder": {
        "draft": NEUTRAL,
        "submitted": WARNING,
        "returned": DANGER,
        "approved": SUCCESS,
        "open": SUCCESS,
        "filled": NEUTRAL,
        "closed": NEUTRAL,
        "cancelled": DANGER,
    },
    "demand.Placement": {"proposed": WARNING, "confirmed": SUCCESS, "cancelled": DANGER},
    "training.Batch": {
        "planned": NEUTRAL,
        "running": WARNING,
        "completed": SUCCESS,
        "cancelled": DANGER,
    },
    "training.Enrolment": {
        "enrolled": WARNING,
        "certified": SUCCESS,
        "not_certified": DANGER,
        "withdrawn": NEUTRAL,
    },
    "selection.SelectionRound": {
        "draft": NEUTRAL,
        "open": WARNING,
        "closed": SUCCESS,
        "cancelled": DANGER,
    },
    "selection.Candidacy": {
        "active": WARNING,
        "failed": DANGER,
        "passed": SUCCESS,
        "withdrawn": NEUTRAL,
    },
    "privacy.RightsRequest": {
        "received": WARNING,
        "in_progress": WARNING,
        "done": SUCCESS,
        "refused": DANGER,
    },
    "matching.MatchingRun": {
        "queued": WARNING,
        "running": WARNING,
        "done": WARNING,
        "approving": WARNING,
        "failed": DANGER,
        "approved": SUCCESS,
        "discarded": NEUTRAL,
    },
    "deployment.Deployment": {
        "preparing": WARNING,
        "departed": SUCCESS,
        "in_placement": SUCCESS,
        "in_difficulty": DANGER,
        "missing": DANGER,
        "completed": SUCCESS,
        "returned_early": DANGER,
        "called_off": NEUTRAL,
    },
    "deployment.MonitoringAlert": {"raised": WARNING, "escalated": DANGER, "resolved": NEUTRAL},
    "protection.Case": {
        "reported": DANGER,
        "triaged": WARNING,
        "in_progress": WARNING,
        "referred": WARNING,
        "awaiting_reporter": NEUTRAL,
        "resolved": SUCCESS,
        "closed": NEUTRAL,
        "withdrawn": NEUTRAL,
    },
}


def tone_of(instance: Any) -> str:
    """The tone of ``instance.status`` (neutral when the model or status is not listed)."""
    label = getattr(getattr(instance, "_meta", None), "label", "")
    return TONES.get(label, {}).get(str(getattr(instance, "status", "")), NEUTRAL)
