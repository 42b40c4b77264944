"""Check (or with --compile, build) the Indonesian translation.

Fails when a message in the .po file has no translation or is fuzzy, or when the
committed .mo file is not the compiled form of the .po file. Babel compiles, so
GNU gettext is needed only to extract messages (``make messages``).
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "jembatan" / "locale"
LANGUAGES = ("id",)


def compiled(po_path: Path) -> tuple[bytes, list[str]]:
    """The .mo bytes for a .po file, and the msgids still lacking a translation."""
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    missing = [str(m.id) for m in catalog if m.id and (not m.string or m.fuzzy)]
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue(), missing


def check(language: str, *, write: bool) -> list[str]:
    """Problems with one language's catalog (empty when all is well)."""
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    po_path, mo_path = folder / "django.po", folder / "django.mo"
    if not po_path.exists():
        return [f"{po_path} is missing"]
    data, missing = compiled(po_path)
    problems = [f"{language}: no translation for {msgid!r}" for msgid in missing]
    if write:
        mo_path.write_bytes(data)
    elif not mo_path.exists() or mo_path.read_bytes() != data:
        problems.append(f"{mo_path} is out of date: run `make messages`")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--compile", action="store_true", help="write the .mo files")
    args = parser.parse_args()
    problems = [p for lang in LANGUAGES for p in check(lang, write=args.compile)]
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
