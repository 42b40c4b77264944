"""Loading versioned reference tables from the data files shipped in ``core/data``.

Each table is a CSV file with a ``.meta.json`` (or a shared meta file) naming
its version, source and date of validity. Loading is idempotent: rows are
matched by code, so loading the same file twice changes nothing, and a newer
file updates names without breaking the records that point at the codes.

The loaders take the model classes as arguments so the initial data migration
can pass its historical models, and :func:`reference_data_load` (``jembatan
refdata load``) the current ones with a change record per table.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import transaction

from jembatan.core.audit import record_change
from jembatan.core.models import Country, Occupation, ReferenceDataset, Region

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
REGIONS_FILE = "regions-kemendagri-2025.csv"
COUNTRIES_FILE = "countries.csv"
STAGE_TYPES_FILE = "selection-stage-types.csv"
# Read where it is applied (privacy/schedule.py); loading records its version and checksum.
RETENTION_FILE = "retention-schedule.csv"
OCCUPATION_FILES = {
    "kbji-2014": "occupations-kbji-2014.csv",
    "jp-titp-2025": "occupations-jp-titp-2025.csv",
    "jp-ssw-2024": "occupations-jp-ssw-2024.csv",
    "jp-ssw-2026": "occupations-jp-ssw-2026.csv",
    "jp-esd-2027": "occupations-jp-esd-2027.csv",
}


@dataclass(frozen=True)
class DatasetInfo:
    """What a meta file says about one table."""

    code: str
    kind: str
    name: str
    version: str
    source: str
    valid_from: dt.date


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a UTF-8 CSV file (a BOM, if any, is ignored)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def checksum(path: Path) -> str:
    """SHA-256 of a file, kept with the dataset so a changed file is noticed."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _date(value: Any, default: str = "2025-01-01") -> dt.date:
    return dt.date.fromisoformat(str(value or default)[:10])


def _meta(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _table_info(
    csv_file: str, *, code: str, kind: str, name: str | None, version: str, source: str
) -> DatasetInfo:
    """One table's version and source from the meta file beside it (``name=None``: the
    meta file's name); the defaults stand where the meta file is silent."""
    meta = _meta(DATA_DIR / csv_file.replace(".csv", ".meta.json"))
    return DatasetInfo(
        code=code,
        kind=kind,
        name=name if name is not None else str(meta.get("name", code)),
        version=str(meta.get("version", version)),
        source=str(meta.get("source", source)),
        valid_from=_date(meta.get("valid_from")),
    )


def regions_info() -> DatasetInfo:
    """The regions table's version and source."""
    return _table_info(
        REGIONS_FILE,
        code="kemendagri-2025",
        kind="regions",
        name="Kode wilayah Kemendagri",
        version="2025",
        source="Kepmendagri 300.2.2-2138/2025",
    )


def countries_info() -> DatasetInfo:
    """The countries table's version and source."""
    return _table_info(
        COUNTRIES_FILE,
        code="iso-3166-1",
        kind="countries",
        name="ISO 3166-1",
        version="",
        source="ISO 3166-1",
    )


def occupation_infos() -> list[DatasetInfo]:
    """Each occupation table's version and source, from ``occupations.meta.json``."""
    meta = _meta(DATA_DIR / "occupations.meta.json")
    tables = {t.get("code") or t.get("file", "").removesuffix(".csv"): t for t in _tables(meta)}
    return [_occupation_info(code, tables) for code in OCCUPATION_FILES]


def _tables(meta: Any) -> list[dict[str, Any]]:
    if isinstance(meta, dict) and isinstance(meta.get("tables"), list):
        return [t for t in meta["tables"] if isinstance(t, dict)]
    if isinstance(meta, dict):
        return [dict(v, code=k) for k, v in meta.items() if isinstance(v, dict)]
    return []


def _occupation_info(code: str, tables: dict[str, dict[str, Any]]) -> DatasetInfo:
    file_stem = OCCUPATION_FILES[code].removesuffix(".csv")
    table = tables.get(code) or tables.get(file_stem) or {}
    return DatasetInfo(
        code=code,
        kind="occupations",
        name=str(table.get("name", code)),
        version=str(table.get("version", code.rsplit("-", 1)[-1])),
        source=str(table.get("source", "")),
        valid_from=_date(table.get("valid_from")),
    )


def upsert_dataset(dataset_model: Any, info: DatasetInfo, path: Path) -> Any:
    """Create or refresh the dataset row describing one file."""
    dataset, _ = dataset_model.objects.update_or_create(
        code=info.code,
        defaults={
            "kind": info.kind,
            "name": info.name,
            "version": info.version,
            "source": info.source,
            "valid_from": info.valid_from,
            "checksum": checksum(path),
        },
    )
    return dataset


def load_regions(*, dataset_model: Any, region_model: Any) -> int:
    """Load provinces first, then regencies and cities under them."""
    path = DATA_DIR / REGIONS_FILE
    info = regions_info()
    dataset = upsert_dataset(dataset_model, info, path)
    rows = sorted(read_rows(path), key=lambda r: (len(r["code"]), r["code"]))
    for row in rows:
        region_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "level": row["level"],
                "parent_id": row["parent_code"] or None,
                "dataset": dataset,
                "valid_from": info.valid_from,
            },
        )
    return len(rows)


def load_countries(*, dataset_model: Any, country_model: Any) -> int:
    """Load every ISO 3166-1 country."""
    path = DATA_DIR / COUNTRIES_FILE
    dataset = upsert_dataset(dataset_model, countries_info(), path)
    rows = read_rows(path)
    for row in rows:
        country_model.objects.update_or_create(
            alpha2=row["alpha2"],
            defaults={
                "alpha3": row["alpha3"],
                "numeric": row["numeric"],
                "name_en": row["name_en"],
                "name_id": row["name_id"] or row["name_en"],
                "dataset": dataset,
            },
        )
    return len(rows)


def load_occupations(*, dataset_model: Any, occupation_model: Any) -> int:
    """Load each occupation table; parents before children."""
    total = 0
    for info in occupation_infos():
        path = DATA_DIR / OCCUPATION_FILES[info.code]
        dataset = upsert_dataset(dataset_model, info, path)
        total += _load_occupation_rows(occupation_model, dataset, read_rows(path))
    return total


def _load_occupation_rows(model: Any, dataset: Any, rows: list[dict[str, str]]) -> int:
    ids: dict[str, int] = {}
    for row in rows:  # files list parents before their children
        obj, _ = model.objects.update_or_create(
            dataset=dataset,
            code=row["code"],
            defaults={
                "name_id": row["name_id"],
                "name_en": row["name_en"],
                "name_ja": row.get("name_ja", ""),
                "parent_id": ids.get(row.get("parent_code", "")),
            },
        )
        ids[row["code"]] = obj.pk
    return len(rows)


def stage_types_info() -> DatasetInfo:
    """The selection stage types' version and source."""
    return _table_info(
        STAGE_TYPES_FILE,
        code="selection-stage-types",
        kind="selection_stages",
        name=None,
        version="",
        source="",
    )


def retention_info() -> DatasetInfo:
    """The retention schedule's version and source."""
    return _table_info(
        RETENTION_FILE,
        code="retention-schedule",
        kind="retention",
        name=None,
        version="",
        source="",
    )


def load_retention_schedule(*, dataset_model: Any) -> int:
    """Record the schedule's version and checksum; its rows are read where they apply."""
    path = DATA_DIR / RETENTION_FILE
    upsert_dataset(dataset_model, retention_info(), path)
    return len(read_rows(path))


def _decimal(value: str) -> Decimal | None:
    return Decimal(value) if value else None


def load_stage_types(*, dataset_model: Any, stage_type_model: Any) -> int:
    """Load the selection stage types; a round copies what it uses, so edits never reach it."""
    path = DATA_DIR / STAGE_TYPES_FILE
    upsert_dataset(dataset_model, stage_types_info(), path)
    rows = read_rows(path)
    for row in rows:
        stage_type_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_id": row["name_id"],
                "name_en": row["name_en"],
                "scoring": row["scoring"],
                "default_max_score": _decimal(row["default_max_score"]),
                "default_pass_mark": _decimal(row["default_pass_mark"]),
                "entered_by": row["entered_by"],
                "position": int(row["position"]),
            },
        )
    return len(rows)


@transaction.atomic
def reference_data_load(*, acting_user: Any) -> dict[str, int]:
    """Load every reference table from ``core/data``; one change record per dataset.

    Returns the row count per table (for the command's report).
    """
    counts = {
        "regions": load_regions(dataset_model=ReferenceDataset, region_model=Region),
        "countries": load_countries(dataset_model=ReferenceDataset, country_model=Country),
        "occupations": load_occupations(
            dataset_model=ReferenceDataset, occupation_model=Occupation
        ),
        # Looked up by name: core does not import the apps built on it.
        "selection stage types": load_stage_types(
            dataset_model=ReferenceDataset,
            stage_type_model=apps.get_model("selection", "StageType"),
        ),
        "retention schedule": load_retention_schedule(dataset_model=ReferenceDataset),
    }
    for dataset in ReferenceDataset.objects.all():
        record_change(
            acting_user=acting_user,
            operation="core.refdata_load",
            instance=dataset,
            action="bulk",
            changes={"version": {"before": None, "after": dataset.version}},
        )
    return counts
