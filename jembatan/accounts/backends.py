"""The password backend: Django's, with the user of each request read by a statement compiled once.

Every signed-in request loads its user after its session. Django's backend builds
and compiles ``User.objects.get(pk=…)`` each time (about 0.2 ms of Python); this
one asks the same through :class:`jembatan.core.compiled.CompiledLookup`, then
applies Django's own rule (an inactive account is nobody). Signing in, passwords
and permissions are Django's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from jembatan.accounts.models import User
from jembatan.core.compiled import CompiledLookup

_BY_ID = CompiledLookup(User, "pk")


class AccountBackend(ModelBackend):
    """``django.contrib.auth.backends.ModelBackend`` with a compiled ``get_user``."""

    def get_user(self, user_id: Any) -> User | None:
        user = _BY_ID.first(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
