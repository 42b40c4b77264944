"""How a page shows a service's refusal: one way for every app.

Services refuse with ``ValidationError`` (keyed by field where they can, with a
code from their app's ``errors.py`` enum) or ``PermissionDenied``. A view runs the
service through :func:`attempt`: on a refusal it puts each message beside the
field it names and the rest above the form, or, for a page without a form (a
button), in the messages shown at the top of the next page, and returns ``None``.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpRequest

T = TypeVar("T")


class ErrorCode(StrEnum):
    """Base of every app's refusal codes (``<app>/errors.py``); values are stable strings."""


def add_errors(form: Any, error: ValidationError) -> None:
    """Show a service's refusal on the form, on the field it names when there is one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        known = name in form.fields and name != NON_FIELD_ERRORS
        form.add_error(name if known else None, errors)


def attempt(request: HttpRequest, form: Any | None, action: Callable[[], T]) -> T | None:
    """Run a service; show its refusal on ``form`` (or in the messages) and return None."""
    try:
        return action()
    except ValidationError as error:
        if form is not None:
            add_errors(form, error)
        else:
            for message in error.messages:
                messages.error(request, message)
    except PermissionDenied as denied:
        if form is not None:
            form.add_error(None, str(denied))
        else:
            messages.error(request, str(denied))
    return None
