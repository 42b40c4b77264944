"""Run every benchmark in bench/ and print their figures (``make bench``).

Usage::

    .venv/bin/python bench/run.py [--quick] [--only seed,matching]

Each ``bench/<name>.py`` (except this file) runs as its own subprocess with
its default sizes, or with ``--quick`` for a fast smoke run, so one
benchmark's memory never counts against another's. Their output is passed
through as it comes; a summary of durations and exit codes ends the run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


def scripts(only: set[str] | None = None) -> list[Path]:
    """The benchmark scripts present, in name order."""
    me = Path(__file__).name
    found = sorted(p for p in BENCH.glob("*.py") if p.name != me and not p.name.startswith("_"))
    return [p for p in found if only is None or p.stem in only]


def run(script: Path, quick: bool) -> tuple[int, float]:
    """Run one benchmark, streaming its output; return its exit code and duration."""
    command = [sys.executable, str(script), *(["--quick"] if quick else [])]
    print(f"\n== {script.relative_to(ROOT)} {'--quick' if quick else ''}".rstrip(), flush=True)
    started = time.perf_counter()
    code = subprocess.run(command, cwd=ROOT, check=False).returncode
    return code, time.perf_counter() - started


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="small sizes only (smoke run)")
    parser.add_argument("--only", default="", help="comma-separated names, e.g. seed,matching")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    only = {name.strip() for name in args.only.split(",") if name.strip()} or None
    chosen = scripts(only)
    if not chosen:
        print("No benchmark scripts found.", file=sys.stderr)
        return 1
    results = [(script, *run(script, args.quick)) for script in chosen]
    print("\n== summary")
    for script, code, seconds in results:
        outcome = "ok" if code == 0 else f"FAILED ({code})"
        print(f"  {script.name:<16} {outcome:<12} {seconds:7.1f} s")
    return max(code != 0 for _script, code, _seconds in results)


if __name__ == "__main__":
    sys.exit(main())
