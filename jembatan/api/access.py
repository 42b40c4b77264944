"""Who may call each API operation: deny by default, as for the pages.

Every operation is declared with :func:`roles` (or :func:`public`), which sets
both the ninja auth that enforces it and an ``x-jembatan-roles`` entry in the
OpenAPI schema that documents it. The API's default auth refuses everyone, so
an operation that declares nothing is closed. ``tests/test_api_access.py``
checks every operation in the schema against its declaration.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import SessionAuth

from jembatan.accounts.two_factor import pending
from jembatan.core.access import role_of
from jembatan.core.roles import Role

ROLES_KEY = "x-jembatan-roles"
TWO_FACTOR_REQUIRED = "two_factor_required"


class SecondFactorPending(Exception):
    """The session signed in with the password but owes the second factor (403)."""


class RoleSessionAuth(SessionAuth):
    """Django's session, limited to some roles (CSRF-checked like the pages)."""

    def __init__(self, allowed: frozenset[Role]):
        super().__init__()
        self.allowed = allowed

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not request.user.is_authenticated:
            return None
        role = role_of(request.user)
        if role is None or role not in self.allowed:
            raise HttpError(403, "Your role may not use this operation.")
        if pending(request):
            raise SecondFactorPending
        if role == Role.AUDITOR:
            _log_auditor_read(request)
        return request.user


def _log_auditor_read(request: HttpRequest) -> None:
    from jembatan.core.audit import record_access

    if request.method not in ("GET", "HEAD"):
        raise HttpError(403, "Auditors have read-only access.")
    record_access(acting_user=request.user, purpose="auditor_read", request=request)


class NobodyAuth(SessionAuth):
    """The API's default: an operation that declares nothing is refused."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        raise HttpError(403, "This operation declares no access rule.")


def roles(*groups: Role | Iterable[Role]) -> dict[str, Any]:
    """Keyword arguments for a ninja route decorator opening it to ``groups``."""
    allowed: set[Role] = set()
    for group in groups:
        allowed.update([group] if isinstance(group, Role) else group)
    return {
        "auth": RoleSessionAuth(frozenset(allowed)),
        "openapi_extra": {ROLES_KEY: sorted(r.value for r in allowed)},
    }


def public() -> dict[str, Any]:
    """Keyword arguments for an operation anyone may call (no personal data)."""
    return {"auth": None, "openapi_extra": {ROLES_KEY: ["public"]}}
