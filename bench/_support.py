"""What the benchmark scripts share: children's settings, peak memory, the bulk set-up.

Every measurement runs in a child (``call``, ``child``, ``last_json``). For the
scripts that need a database, the set-up runs in children too: a fresh database
migrated (and seeded, for some), then filled in bulk by the script's own set-up
step, then measured by its measuring step (``set_up``, ``Bench``, with the command
line every such script takes, plus its own options such as ``--jobs``).

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


def environment(
    folder: Path, database_url: str = "", settings: str = "config.settings.dev"
) -> dict[str, str]:
    """Settings that send every write of a child into ``folder`` (or the given database)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "JEMBATAN_VAR_DIR": str(folder),
        "DATABASE_URL": database_url or f"sqlite:///{folder / 'jembatan.sqlite3'}",
        "PYTHONWARNINGS": "ignore",
        # This checkout's code, whichever checkout the virtualenv was installed from.
        "PYTHONPATH": str(ROOT),
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


def call(command: list[str], env: dict[str, str] | None, what: str) -> str:
    """Run a child; its stdout, or exit with the end of its stderr.

    ``env`` None: the child inherits this process's environment.
    """
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{what} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def last_json(output: str) -> Any:
    """The figures a child printed last, as one line of JSON."""
    return json.loads(output.strip().splitlines()[-1])


def child(script: str, *args: str) -> list[str]:
    """The command line that runs ``script`` as a child doing one step."""
    return [sys.executable, script, "--child", *args]


def jembatan(*args: str) -> list[str]:
    """The command line of a ``jembatan`` console command (``migrate``, ``seed``)."""
    return [sys.executable, "-m", "jembatan.cli", *args]


def migrate(env: dict[str, str]) -> None:
    """Create and migrate the database ``env`` names (reference data included)."""
    call(jembatan("migrate", "--no-input", "-v0"), env, "jembatan migrate")


@dataclass(frozen=True)
class SetUp:
    """A fresh database filled by a script's set-up child, ready for its measuring child."""

    script: str
    env: dict[str, str]
    made: dict[str, Any]  # what the set-up child printed
    seconds: float  # migrate, seed and set-up together (not measured)

    def measure(self, what: str, *args: str) -> Any:
        """Run the script's measuring child (given ``args``); the figures it printed."""
        return last_json(call(child(self.script, "measure", *args), self.env, what))


@contextlib.contextmanager
def set_up(
    script: str,
    n: int,
    database_url: str,
    prefix: str,
    *,
    seed: int = 0,
    extra: tuple[int, ...] = (),
) -> Iterator[SetUp]:
    """A fresh database, migrated, then filled in bulk by ``script``'s set-up child.

    With ``seed``, ``jembatan seed --participants <seed>`` runs between the two;
    ``extra`` numbers follow ``n`` on the set-up child's command line. The database
    lives in a temporary folder removed on leaving (or is the given, empty one);
    the project's own database is never touched.
    """
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        env = environment(Path(tmp), database_url)
        started = time.perf_counter()
        migrate(env)
        if seed:
            call(jembatan("seed", "--participants", str(seed)), env, "jembatan seed")
        numbers = [str(number) for number in (n, *extra)]
        made = last_json(call(child(script, "setup", *numbers), env, "set-up"))
        yield SetUp(script, env, made, time.perf_counter() - started)


# ---------------------------------------------------------- the command line


def jobs_option(default: int) -> Callable[[argparse.ArgumentParser], None]:
    """A ``--jobs`` option (how many job orders the set-up makes), for ``Bench.options``."""

    def add(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--jobs", type=int, default=default, help=f"job orders ({default})")

    return add


@dataclass(frozen=True)
class Bench:
    """One benchmark script of the set-up-then-measure shape: its title and its steps."""

    doc: str | None  # the script's docstring (its first line describes --help)
    title: str  # printed before the sizes, formatted with the options ("{jobs} job orders")
    unit: str  # what a size counts, for --help
    setup: Callable[..., None]  # child: fill the database for size n (and extra numbers)
    measure: Callable[..., None]  # child: time the read or run (given words), print JSON
    run_size: Callable[[int, argparse.Namespace], None]  # parent: one size, fresh database
    quick_sizes: tuple[int, ...] = QUICK_SIZES
    default_sizes: tuple[int, ...] = DEFAULT_SIZES
    database_url: bool = True  # offers --database-url (an empty database instead of SQLite)
    options: Callable[[argparse.ArgumentParser], None] | None = None  # the script's own

    def parse_args(self, argv: list[str] | None) -> argparse.Namespace:
        """--sizes (comma-separated numbers of ``unit``), --quick, --database-url, --child."""
        doc, unit = self.doc, self.unit
        parser = argparse.ArgumentParser(description=doc.splitlines()[0] if doc else None)
        parser.add_argument("--sizes", default="", help=f"comma-separated numbers of {unit}")
        if self.options:
            self.options(parser)
        quick = f"only {self.quick_sizes[0]:,}"
        parser.add_argument("--quick", action="store_true", help=quick)
        if self.database_url:
            empty = "an empty database (default SQLite)"
            parser.add_argument("--database-url", default="", help=empty)
        parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
        return parser.parse_args(argv)

    def main(self, argv: list[str] | None = None) -> int:
        """A child's step, or every size asked for (``--quick``: the smallest)."""
        args = self.parse_args(argv)
        if args.child:
            step, *rest = args.child
            if step == "setup":
                self.setup(*(int(number) for number in rest))
            else:
                self.measure(*rest)
            return 0
        if args.sizes:
            sizes = tuple(int(s) for s in args.sizes.split(",") if s.strip())
        else:
            sizes = self.quick_sizes if args.quick else self.default_sizes
        print(self.title.format(**vars(args)))
        for n in sizes:
            self.run_size(n, args)
        return 0
