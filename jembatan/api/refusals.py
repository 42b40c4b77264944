"""How the API answers a service's refusal: the same way in every module.

``PermissionDenied`` is 403. A ``ValidationError`` is 409 when it refuses a state
(one of the ``conflicts``: an exception class, or an error code the service
raises), otherwise 400 (bad input). The body's ``detail`` is the service's own
message, in the caller's language.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from ninja.errors import HttpError

Conflict = type[ValidationError] | str


def error_codes(error: ValidationError) -> set[str | None]:
    """Every code a ValidationError carries, whether it is keyed by field or not."""
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def http_status(error: ValidationError, conflicts: Collection[Conflict]) -> int:
    """409 for a refused state (see the module docstring), 400 for anything else."""
    codes = error_codes(error)
    for conflict in conflicts:
        if isinstance(conflict, str) and conflict in codes:
            return 409
        if isinstance(conflict, type) and isinstance(error, conflict):
            return 409
    return 400


@contextmanager
def service_refusals(*conflicts: Conflict) -> Iterator[None]:
    """Turn the refusals of the services called inside into the API's HTTP errors."""
    try:
        yield
    except PermissionDenied as denied:
        raise HttpError(403, str(denied)) from denied
    except ValidationError as invalid:
        raise HttpError(http_status(invalid, conflicts), " ".join(invalid.messages)) from invalid
