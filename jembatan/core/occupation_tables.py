"""What the occupation tables' meta file says beyond names: which TITP operations stop at stage 2.

Technical intern training runs in three stages: (i) the first year, (ii) years 2-3 and
(iii) years 4-5. Not every operation may move on to stage 3; OTIT marks them
"※3号に移行することはできません" and ``core/data/occupations.meta.json`` lists them as
``operations_not_eligible_for_stage3`` of the ``jp-titp-2025`` table. This module reads
that list straight from the file (no database), so every rule that needs it sees the
same version.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
TITP_TABLE = "jp-titp-2025"
# A TITP stay longer than stages (i) and (ii) together (3 years) includes stage 3.
STAGE3_AFTER_MONTHS = 36


@cache
def _tables() -> dict[str, dict[str, Any]]:
    meta = json.loads((DATA_DIR / "occupations.meta.json").read_text(encoding="utf-8"))
    return {table["code"]: table for table in meta["tables"]}


def table_meta(code: str) -> dict[str, Any]:
    """The meta file's entry for one occupation table (empty if it has none)."""
    return _tables().get(code, {})


def operations_not_eligible_for_stage3() -> frozenset[str]:
    """TITP operation codes whose interns may not move on to stage 3."""
    return frozenset(table_meta(TITP_TABLE).get("operations_not_eligible_for_stage3", []))


def stage3_source() -> str:
    """Where the list of operations not eligible for stage 3 comes from, in the file's words."""
    rule = table_meta(TITP_TABLE).get("stage3_rule", {})
    return str(rule.get("source") or table_meta(TITP_TABLE).get("source", ""))


def eligible_for_stage3(code: str, operation_codes: list[str] | None = None) -> bool:
    """Whether a TITP operation, or an occupation with these operations, may reach stage 3.

    An operation is eligible unless listed; an occupation is not eligible when every
    one of its operations (``operation_codes``) is listed. A sector says too little to
    judge and counts as eligible; the operation is checked when the plan names it.
    """
    listed = operations_not_eligible_for_stage3()
    if code in listed:
        return False
    if operation_codes:
        return not all(op in listed for op in operation_codes)
    return True
