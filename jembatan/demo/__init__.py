"""Demo data at any scale: fast, deterministic and believable (``jembatan seed``).

Above every other app in the order of ``docs/architecture.md``: it seeds through
their services and models, and nothing imports it.
"""
