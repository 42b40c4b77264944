"""Benchmark of participant imports (jembatan.participants.importing).

Usage::

    .venv/bin/python bench/imports.py [--rows 100000] [--quick]

Generates N valid participants (every NIK consistent with the declared birth
date and sex, several sending organisations and regencies) as an xlsx file
(openpyxl write-only mode) and a semicolon CSV, then measures in the same run:

``baseline``  the least any import can do: calamine reads the xlsx, each row
              becomes a ``Participant`` without any check, ``bulk_create``
              (batches of 5,000) inserts them
``xlsx``      the full import of the xlsx file: content sniffing, zip checks,
              reading in the memory-capped child, every validation rule,
              duplicate checks against the registry, bulk insert, status
              history, consent (on signed forms), audit record and report
``csv``       the same for the CSV file

Each measurement runs in its own child process on its own copy of a freshly
migrated SQLite database in a temporary folder (``JEMBATAN_VAR_DIR`` and
``DATABASE_URL`` point there), so no measurement sees another's rows and the
project's own database is never touched.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _support import ROOT, call, child, environment, last_json, migrate

SEED = 20250817
LICENCES = [f"KEP.{n}/BENCH/2025" for n in range(1, 6)]
REGENCIES = ["33.74", "33.24", "35.78", "32.73", "31.71", "73.71", "12.71", "51.03"]
EDUCATION = ["SMA", "SMK", "D3", "S1", "SMP"]
HEADINGS = [
    "NIK",
    "Nama Lengkap",
    "Jenis Kelamin (L/P)",
    "Tempat Lahir",
    "Tanggal Lahir",
    "No HP/Telepon",
    "Email",
    "Alamat",
    "Kode Kabupaten/Kota",
    "Pendidikan",
    "Nomor Izin LPK",
]
STEPS = ("baseline", "xlsx", "csv")


# ------------------------------------------------------------ generation


def generate_rows(n: int) -> list[list[str]]:
    """N distinct, valid participants (deterministic)."""
    from jembatan.core.nik import encode_nik

    rng = random.Random(SEED)
    rows = []
    for i in range(n):
        birth = dt.date(1995, 1, 1) + dt.timedelta(days=rng.randrange(3650))
        sex = "L" if i % 2 else "P"
        regency = REGENCIES[i % len(REGENCIES)]
        serial = i // (99 * len(REGENCIES)) % 9999 + 1
        district = i // len(REGENCIES) % 99 + 1
        nik = encode_nik(
            regency_code=regency, district=district, birth_date=birth, sex=sex, serial=serial
        )
        rows.append(_row(i, nik, sex, birth, regency))
    return rows


def _letters(i: int) -> str:
    """A distinct letters-only name part per row (names are compared without digits)."""
    word = ""
    while True:
        i, rest = divmod(i, 26)
        word = chr(ord("a") + rest) + word
        if i == 0:
            return word.capitalize()


def _row(i: int, nik: str, sex: str, birth: dt.date, regency: str) -> list[str]:
    return [
        nik,
        f"Peserta {_letters(i)}",
        sex,
        "Semarang",
        birth.strftime("%d/%m/%Y"),
        f"0812{i:08d}",
        f"peserta{i}@contoh.id",
        f"Jl. Contoh No. {i % 500 + 1}",
        regency,
        EDUCATION[i % len(EDUCATION)],
        LICENCES[i % len(LICENCES)],
    ]


def write_files(rows: list[list[str]], folder: Path) -> tuple[Path, Path]:
    """The same rows as xlsx (write-only mode, NIK as text) and as a semicolon CSV."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Peserta")
    sheet.append(HEADINGS)
    for row in rows:
        sheet.append(row)
    xlsx = folder / "participants.xlsx"
    workbook.save(xlsx)
    csv_path = folder / "participants.csv"
    with csv_path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADINGS)
        writer.writerows(rows)
    return xlsx, csv_path


# ------------------------------------------------------------ database


def child_environment(folder: Path, database: Path) -> dict[str, str]:
    """Settings for a child process: its own var folder and SQLite file, the test settings."""
    return environment(folder / "var", f"sqlite:///{database}", settings="config.settings.test")


def make_template(folder: Path) -> Path:
    """A freshly migrated database (reference data included), made once per run."""
    database = folder / "template.sqlite3"
    migrate(child_environment(folder, database))
    return database


def setup_django() -> None:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()


def create_organisations() -> None:
    """One active licence per LPK named in the generated rows."""
    from django.utils import timezone

    from jembatan.organisations.models import Licence, LicenceStatus, Organisation

    today = timezone.localdate()
    for n, number in enumerate(LICENCES, start=1):
        organisation = Organisation.objects.create(
            name=f"LPK Bench {n}", kind="lpk", province_id="33", region_id="33.74"
        )
        Licence.objects.create(
            organisation=organisation,
            number=number,
            status=LicenceStatus.ACTIVE,
            valid_from=today - dt.timedelta(days=365),
            valid_to=today + dt.timedelta(days=365),
        )


# ------------------------------------------------------------ measured steps


def baseline(path: Path) -> int:
    """calamine read + bulk insert of the same rows, without a single check.

    It inserts with the import's own ``bulk_insert`` so that the difference
    between the two is exactly the checking (and the history and report).
    """
    import python_calamine
    from django.db import transaction
    from django.utils import timezone

    from jembatan.organisations.models import Licence
    from jembatan.participants.models import Participant
    from jembatan.participants.services.importing import bulk_insert

    organisations = dict(Licence.objects.values_list("number", "organisation_id"))
    now = timezone.now()
    with python_calamine.CalamineWorkbook.from_path(str(path)) as workbook:
        rows = workbook.get_sheet_by_index(0).to_python()[1:]
    records = [
        {
            "nik": str(r[0]),
            "full_name": str(r[1]),
            "sex": "M" if r[2] == "L" else "F",
            "birth_place": str(r[3]),
            "birth_date": dt.datetime.strptime(str(r[4]), "%d/%m/%Y").date(),
            "phone": str(r[5]),
            "email": str(r[6]),
            "address": str(r[7]),
            "regency_id": str(r[8]),
            "province_id": str(r[8])[:2],
            "education": str(r[9]).lower(),
            "sending_organisation_id": organisations[str(r[10])],
            "status_changed_at": now,
            "created_at": now,
        }
        for r in rows
    ]
    with transaction.atomic():
        bulk_insert(Participant, records)
    return Participant.objects.count()


def full_import(path: Path) -> int:
    """The real import, as ``jembatan import participants FILE`` runs it."""
    from jembatan.core.models import ImportJob
    from jembatan.participants.services import importing

    job = importing.import_create(
        acting_user=None,
        chunks=importing.file_chunks(path),
        file_name=path.name,
        authority=ImportJob.Authority.SIGNED_FORMS,
        run_now=True,
    )
    if job.rows_created != job.rows_total or job.error_count:
        raise SystemExit(f"import did not write every row: {job.outcome} {job.error_message}")
    return job.rows_created


def child_measure(step: str, path: Path) -> None:
    """Run one measured step in this (fresh) process and print its timing as JSON."""
    setup_django()
    create_organisations()
    started = time.perf_counter()
    count = baseline(path) if step == "baseline" else full_import(path)
    seconds = time.perf_counter() - started
    print(json.dumps({"step": step, "rows": count, "seconds": seconds}))


def measure(step: str, path: Path, folder: Path, template: Path) -> dict[str, Any]:
    database = folder / f"{step}.sqlite3"
    shutil.copyfile(template, database)
    env = child_environment(folder, database)
    measured: dict[str, Any] = last_json(call(child(__file__, step, str(path)), env, step))
    return measured


# ------------------------------------------------------------ report


def run(n: int) -> None:
    with tempfile.TemporaryDirectory(prefix="jembatan-bench-imports-") as tmp:
        folder = Path(tmp)
        setup_env_for_generation(folder)
        started = time.perf_counter()
        xlsx, csv_path = write_files(generate_rows(n), folder)
        print(f"imports: {n:,} rows generated in {time.perf_counter() - started:.1f} s")
        template = make_template(folder)
        files = {"baseline": xlsx, "xlsx": xlsx, "csv": csv_path}
        results = {step: measure(step, files[step], folder, template) for step in STEPS}
    print_results(n, results)


def setup_env_for_generation(folder: Path) -> None:
    """encode_nik needs Django's translation machinery only lazily; no database here."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ["JEMBATAN_VAR_DIR"] = str(folder / "var")
    sys.path.insert(0, str(ROOT))


def print_results(n: int, results: dict[str, dict[str, Any]]) -> None:
    base = results["baseline"]["rows"] / results["baseline"]["seconds"]
    print(f"{'step':<10} {'rows':>9} {'seconds':>8} {'rows/s':>10} {'vs baseline':>12}")
    for step in STEPS:
        r = results[step]
        rate = r["rows"] / r["seconds"]
        print(
            f"{step:<10} {r['rows']:>9,} {r['seconds']:>8.2f} {rate:>10,.0f} {rate / base:>11.2f}x"
        )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=100_000, help="participants per file")
    parser.add_argument("--quick", action="store_true", help="only 10,000 rows")
    parser.add_argument("--child", nargs=2, metavar=("STEP", "PATH"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        child_measure(args.child[0], Path(args.child[1]))
        return 0
    run(10_000 if args.quick else args.rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
