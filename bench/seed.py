"""Benchmark of ``jembatan seed`` (demo data in bulk) on a fresh SQLite database.

Usage::

    .venv/bin/python bench/seed.py [--sizes 100000,1000000] [--quick]

For each size N a temporary folder gets its own database (``JEMBATAN_VAR_DIR``
and ``DATABASE_URL`` point there, so the project's database is never touched);
``jembatan migrate`` prepares it, then ``jembatan seed --participants N`` runs
in a child process with development settings. Reported per size: wall time,
participants per second, the child's CPU time and its peak resident memory
(``ru_maxrss`` of that one child, from ``os.wait4``), and the database size.
The time includes the demo logins (password hashing, about a second).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from _support import environment

PROGRESS = re.compile(r"participants: [\d,]+ / [\d,]+ \(([\d,]+) rows/s")
ROOT = Path(__file__).resolve().parent.parent
QUICK_SIZES = (10_000,)
DEFAULT_SIZES = (100_000, 1_000_000)


@dataclass(frozen=True)
class Figures:
    """What one seeding run cost."""

    participants: int
    seconds: float
    cpu_seconds: float
    peak_rss_kib: int
    database_bytes: int
    insert_rate: float

    def line(self) -> str:
        rate = self.participants / self.seconds if self.seconds else 0.0
        return (
            f"seed n={self.participants:>9,}  {self.seconds:7.1f} s  {rate:>8,.0f} rows/s  "
            f"(bulk step {self.insert_rate:>8,.0f} rows/s)  "
            f"cpu {self.cpu_seconds:6.1f} s  peak {self.peak_rss_kib / 1024:6.0f} MiB  "
            f"db {self.database_bytes / 2**20:6.0f} MiB"
        )


def jembatan(*args: str) -> list[str]:
    return [sys.executable, "-m", "jembatan.cli", *args]


def measure(n: int) -> Figures:
    """Migrate a fresh database, then time seeding ``n`` participants in a child."""
    with tempfile.TemporaryDirectory(prefix="jembatan-bench-seed-") as tmp:
        folder = Path(tmp)
        env = environment(folder)
        migrated = subprocess.run(
            jembatan("migrate", "-v0"), env=env, cwd=ROOT, capture_output=True, text=True
        )
        if migrated.returncode:
            raise SystemExit(f"jembatan migrate failed:\n{migrated.stderr[-2000:]}")
        log = folder / "seed.log"
        with log.open("w") as stderr:
            started = time.perf_counter()
            child = subprocess.Popen(
                jembatan("seed", "--participants", str(n)),
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
            # wait4 reaps this one child and returns its own resource usage.
            _pid, status, usage = os.wait4(child.pid, 0)
            seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode:
            raise SystemExit(f"jembatan seed failed:\n{log.read_text()[-2000:]}")
        return Figures(
            participants=n,
            seconds=seconds,
            cpu_seconds=usage.ru_utime + usage.ru_stime,
            peak_rss_kib=usage.ru_maxrss,
            database_bytes=sum(f.stat().st_size for f in folder.glob("jembatan.sqlite3*")),
            insert_rate=_insert_rate(log.read_text()),
        )


def _insert_rate(log: str) -> float:
    """The bulk step's own rate, from the command's last progress line."""
    found = PROGRESS.findall(log)
    return float(found[-1].replace(",", "")) if found else 0.0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default=",".join(str(n) for n in DEFAULT_SIZES))
    parser.add_argument("--quick", action="store_true", help="only 10,000 participants")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = QUICK_SIZES if args.quick else tuple(int(s) for s in args.sizes.split(",") if s)
    print(f"# jembatan seed into a fresh SQLite database, {os.cpu_count()} CPUs", flush=True)
    for n in sizes:
        print(measure(n).line(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
