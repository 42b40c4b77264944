"""A service's refusal shown on the form that asked for it (every app's pages use this).

Services raise ``ValidationError`` keyed by field where they can; the page shows each
message beside the field it names, and the rest above the form.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def add_errors(form: Any, error: ValidationError) -> None:
    """Show a service's refusal on the form, on the field it names when there is one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        known = name in form.fields and name != NON_FIELD_ERRORS
        form.add_error(name if known else None, errors)
