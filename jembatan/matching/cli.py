"""``jembatan match INSTANCE.json --method optimal|stable [--out RESULT.json]``.

Reads an instance (see :mod:`jembatan.matching.engine`), solves it and writes
the result as JSON to stdout or, atomically, to ``--out``.

Exit codes: 0 success; 2 bad usage or bad instance (message on stderr,
nothing written); 1 the result could not be written.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import TextIO

from jembatan.matching.engine import (
    METHODS,
    Instance,
    InstanceError,
    parse_instance,
    solve,
)

PROG = "jembatan match"
EXIT_OK = 0
EXIT_WRITE_FAILED = 1
EXIT_BAD_INPUT = 2


def main(
    argv: list[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the command; streams are injectable so tests need no capsys."""
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    args = _parse_args(argv, out, err)
    if isinstance(args, int):
        return args
    try:
        instance = read_instance(args.instance)
    except InstanceError as exc:
        err.write(f"{PROG}: error: {exc}\n")
        return EXIT_BAD_INPUT
    text = render(solve(instance, args.method).to_dict())
    return _emit(text, args.out, out, err)


def _build_parser() -> argparse.ArgumentParser:
    """Argument parser; prog matches how users invoke it."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Match candidates to job orders (optimal or stable).",
    )
    parser.add_argument("instance", type=Path, help="instance JSON file")
    parser.add_argument("--method", required=True, choices=METHODS)
    parser.add_argument("--out", type=Path, help="write the result here instead of stdout")
    return parser


def _parse_args(argv: list[str] | None, out: TextIO, err: TextIO) -> argparse.Namespace | int:
    """Parse arguments, routing argparse's own output to our streams.

    argparse exits on --help and on usage errors; we turn that into a
    return code so ``main`` never raises SystemExit.
    """
    parser = _build_parser()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            return parser.parse_args(argv)
        except SystemExit as exc:
            return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT


def read_instance(path: Path) -> Instance:
    """Read and validate an instance file; every failure is an InstanceError."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InstanceError(f"{path}: cannot read file ({_describe(exc)})") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InstanceError(
            f"{path}: malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from exc
    return parse_instance(data)


def _describe(exc: BaseException) -> str:
    """Short human description of an I/O error (no traceback)."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)


def render(result: dict[str, object]) -> str:
    """Stable, readable JSON text for a result."""
    return json.dumps(result, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _emit(text: str, target: Path | None, out: TextIO, err: TextIO) -> int:
    """Write to stdout or atomically to the --out file."""
    if target is None:
        out.write(text)
        return EXIT_OK
    try:
        write_atomically(target, text)
    except OSError as exc:
        err.write(f"{PROG}: error: cannot write {target} ({_describe(exc)})\n")
        return EXIT_WRITE_FAILED
    return EXIT_OK


def write_atomically(target: Path, text: str) -> None:
    """Write via a temporary file in the same directory, then rename.

    Readers never see a half-written result, and a failure leaves any
    previous file untouched.
    """
    handle, temp_name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temp_name).replace(target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


if __name__ == "__main__":
    sys.exit(main())
