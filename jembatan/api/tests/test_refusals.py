"""A service's refusal as the API's HTTP error: 403, 409 for a refused state, else 400."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from ninja.errors import HttpError

from jembatan.api.refusals import http_status, service_refusals


class Refused(ValidationError):
    """A refused state, known by its class."""


def _answer(error: Exception, *conflicts: type[ValidationError] | str) -> tuple[int, str]:
    with pytest.raises(HttpError) as answered, service_refusals(*conflicts):
        raise error
    return answered.value.status_code, str(answered.value)


def test_a_permission_refusal_is_403_with_its_message() -> None:
    assert _answer(PermissionDenied("Not yours.")) == (403, "Not yours.")


def test_a_refused_state_is_409_by_class_or_by_code_and_bad_input_400() -> None:
    assert _answer(Refused("Already approved."), Refused) == (409, "Already approved.")
    assert _answer(ValidationError("Stale.", code="stale"), "stale") == (409, "Stale.")
    assert _answer(ValidationError("Stale.", code="stale")) == (400, "Stale.")
    assert _answer(ValidationError({"note": ["Say why."]}), "stale") == (400, "Say why.")


def test_codes_are_read_from_field_errors_too() -> None:
    keyed = ValidationError({"rank": [ValidationError("Tied.", code="tied")]})
    assert http_status(keyed, ["tied"]) == 409
