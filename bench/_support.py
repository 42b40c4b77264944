"""What the benchmark scripts share: children's settings, peak memory, the bulk set-up.

The set-up runs in children: a fresh database migrated, then filled in bulk by the
script's own set-up step, then measured by its measuring step (``set_up``,
``Bench``, with the command line every such script takes).

Not a benchmark itself (``run.py`` skips files starting with ``_``); the scripts
import it as ``_support`` because each runs as ``python bench/<name>.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
QUICK_SIZES = (2_000,)
DEFAULT_SIZES = (100_000,)


def environment(folder: Path, database_url: str = "") -> dict[str, str]:
    """Settings that send every write of a child into ``folder`` (or the given database)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "JEMBATAN_VAR_DIR": str(folder),
        "DATABASE_URL": database_url or f"sqlite:///{folder / 'jembatan.sqlite3'}",
        "PYTHONWARNINGS": "ignore",
    }


def peak_rss_bytes() -> int:
    """Peak resident memory since the last reset (VmHWM), in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def reset_peak_rss() -> None:
    """Forget the peak so far (start-up, set-up) so only the measured step counts (Linux)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


# ---------------------------------------------------------- a set-up in children


def call(command: list[str], env: dict[str, str], what: str) -> str:
    """Run a child; its stdout, or exit with the end of its stderr."""
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{what} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def last_json(output: str) -> Any:
    """The figures a child printed last, as one line of JSON."""
    return json.loads(output.splitlines()[-1])


@dataclass(frozen=True)
class SetUp:
    """A fresh database filled by a script's set-up child, ready for its measuring child."""

    script: str
    env: dict[str, str]
    made: dict[str, Any]  # what the set-up child printed
    seconds: float  # migrate and set-up together (not measured)

    def measure(self, what: str) -> Any:
        """Run the script's measuring child; the figures it printed."""
        return last_json(call(child(self.script, "measure"), self.env, what))


def child(script: str, *args: str) -> list[str]:
    """The command line that runs ``script`` as a child doing one step."""
    return [sys.executable, script, "--child", *args]


@contextlib.contextmanager
def set_up(script: str, n: int, database_url: str, prefix: str) -> Iterator[SetUp]:
    """A fresh database, migrated, then filled in bulk by ``script``'s set-up child.

    The database lives in a temporary folder removed on leaving (or is the given,
    empty one); the project's own database is never touched.
    """
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        # This checkout's code, whichever checkout the virtualenv was installed from.
        env = environment(Path(tmp), database_url) | {"PYTHONPATH": str(ROOT)}
        started = time.perf_counter()
        call([sys.executable, "-m", "jembatan.cli", "migrate", "-v0"], env, "jembatan migrate")
        made = last_json(call(child(script, "setup", str(n)), env, "set-up"))
        yield SetUp(script, env, made, time.perf_counter() - started)


# ---------------------------------------------------------- the command line


def parse_args(argv: list[str] | None, doc: str | None, unit: str) -> argparse.Namespace:
    """--sizes (comma-separated numbers of ``unit``), --quick, --database-url, --child."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0] if doc else None)
    parser.add_argument("--sizes", default="", help=f"comma-separated numbers of {unit}")
    parser.add_argument("--quick", action="store_true", help=f"only {QUICK_SIZES[0]:,}")
    parser.add_argument("--database-url", default="", help="an empty database (default SQLite)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


@dataclass(frozen=True)
class Bench:
    """One benchmark script of the set-up-then-measure shape: its title and its steps."""

    doc: str | None  # the script's docstring (its first line describes --help)
    title: str  # printed before the sizes
    unit: str  # what a size counts, for --help
    setup: Callable[[int], None]  # child: fill the database for size n (not measured)
    measure: Callable[[], None]  # child: time the read or run, print its figures as JSON
    run_size: Callable[[int, str], None]  # parent: one size, on a fresh database

    def main(self, argv: list[str] | None = None) -> int:
        """A child's step, or every size asked for (``--quick``: the smallest)."""
        args = parse_args(argv, self.doc, self.unit)
        if args.child:
            step, *rest = args.child
            if step == "setup":
                self.setup(int(rest[0]))
            else:
                self.measure()
            return 0
        if args.sizes:
            sizes = tuple(int(s) for s in args.sizes.split(",") if s.strip())
        else:
            sizes = QUICK_SIZES if args.quick else DEFAULT_SIZES
        print(self.title)
        for n in sizes:
            self.run_size(n, args.database_url)
        return 0
