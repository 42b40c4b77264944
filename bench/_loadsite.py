"""Settings of the load benchmark's servers: the demo's, plus one baseline page.

Not a benchmark itself (``run.py`` skips files starting with ``_``). ``load_lists.py``
starts ``jembatan web`` with ``PYTHONPATH=bench`` and these settings.
"""

from config.settings.demo import *  # noqa: F403

ROOT_URLCONF = "_loadurls"
