"""What the benchmark scripts share: a child's settings and its peak memory.

Not a benchmark itself (``run.py`` skips files starting with ``_``); the scripts
import it as ``_support`` because each runs as ``python bench/<name>.py``.
"""

from __future__ import annotations

import contextlib
import os
import resource
from pathlib import Path


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
