"""Models every app uses: reference data and the audit trail."""

from jembatan.core.models.audit import AccessLog, ChangeRecord
from jembatan.core.models.imports import ImportJob
from jembatan.core.models.reference import (
    Country,
    Occupation,
    ReferenceDataset,
    Region,
    RegionLevel,
)

__all__ = [
    "AccessLog",
    "ChangeRecord",
    "Country",
    "ImportJob",
    "Occupation",
    "ReferenceDataset",
    "Region",
    "RegionLevel",
]
