"""The ``jembatan`` console command.

It wraps Django's management commands (``jembatan migrate``, ``jembatan seed``)
and adds short names operators expect: ``jembatan serve`` runs Django's
development server on 127.0.0.1:8000 (the demo's); ``jembatan web`` runs the
production server, gunicorn, with ``config/gunicorn_conf.py`` and the production
settings (its options pass through: ``jembatan web --workers 4 --bind 0.0.0.0:8000``).
``jembatan match`` runs the pure-Python matching engine and needs no database.
"""

from __future__ import annotations

import os
import sys

DEFAULT_SETTINGS = "config.settings.dev"
PRODUCTION_SETTINGS = "config.settings.prod"
ALIASES = {"serve": ["runserver", "--noreload"]}


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the process exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "match":
        from jembatan.matching.cli import main as match_main

        return match_main(args[1:])
    if args and args[0] == "web":
        return _web(args[1:])
    if args and args[0] in ALIASES:
        args = ALIASES[args[0]] + _serve_address(args[1:])
    return _run_django(args)


def _serve_address(rest: list[str]) -> list[str]:
    """Default ``serve`` to the loopback address so a demo is never exposed."""
    if any(not a.startswith("-") for a in rest):
        return rest
    return [*rest, "127.0.0.1:8000"]


def _web(rest: list[str]) -> int:
    """Replace this process with gunicorn serving Jembatan (production settings by default)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", PRODUCTION_SETTINGS)
    command = [sys.executable, "-m", "gunicorn", "-c", "python:config.gunicorn_conf"]
    os.execv(sys.executable, [*command, *rest, "config.wsgi:application"])  # noqa: S606
    return 1  # not reached: execv does not return


def _run_django(args: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["jembatan", *args])
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
