"""Demo data: fast, deterministic and believable; no Django models here."""
