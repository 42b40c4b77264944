"""Models every app uses: reference data, the audit trail, imports and task workers."""

from jembatan.core.models.audit import AccessLog, AuditScrub, ChangeRecord
from jembatan.core.models.imports import ImportJob
from jembatan.core.models.reference import (
    Country,
    Occupation,
    ReferenceDataset,
    Region,
    RegionLevel,
)
from jembatan.core.models.tasks import TaskWorker

__all__ = [
    "AccessLog",
    "AuditScrub",
    "ChangeRecord",
    "Country",
    "ImportJob",
    "Occupation",
    "ReferenceDataset",
    "Region",
    "RegionLevel",
    "TaskWorker",
]
