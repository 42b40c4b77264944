#!/usr/bin/env python
"""Django's command-line utility; ``jembatan`` wraps the same commands."""

import sys

from jembatan.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
