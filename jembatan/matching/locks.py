"""Row locks of matching (house rule 5): one function per locked model.

The run's row is what serialises work on a run: the task that computes it, the
officer's approval or discard, the approval task and a resume each lock it
first (``SELECT … FOR UPDATE``, held until the caller's transaction ends;
PostgreSQL, SQLite serialises writers anyway) and then check its status.
"""

from __future__ import annotations

from jembatan.matching.models import MatchingRun


def lock_matching_run(pk: int, *, nowait: bool = False) -> MatchingRun:
    """The run, locked; with ``nowait`` a run locked elsewhere raises OperationalError at once.

    ``nowait`` (PostgreSQL) is for a person's click, which must not wait minutes
    behind the approval task placing everyone.
    """
    return MatchingRun.objects.select_for_update(nowait=nowait).get(pk=pk)


def lock_matching_run_with_decider(pk: int) -> MatchingRun:
    """The run, locked, read with the officer who decided it (whose row stays unlocked)."""
    return (
        MatchingRun.objects.select_for_update(of=("self",)).select_related("decided_by").get(pk=pk)
    )
