"""Deny by default: every view declares who may use it.

A view is decorated with :func:`allow` (named roles), :func:`signed_in` (any
signed-in person with a known role) or :func:`public` (no login). The
:class:`AccessMiddleware` refuses any view that declares nothing, so a new page
is closed until someone decides who it is for. Auditors may only read: the
sole views they may POST to are marked :func:`own_session` (signing out, one's
password, one's language, one's second factor). A signed-in person who still
owes the second factor of the sign-in reaches only public views and those marked
:func:`before_second_factor` (``jembatan.accounts.two_factor``). ``tests/test_url_access.py``
walks every URL for every role against these declarations.

The JSON API (namespace ``api``) is guarded by django-ninja's per-operation
auth instead; see :mod:`jembatan.api.access`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest, HttpResponse

from jembatan.core.roles import Role

logger = logging.getLogger(__name__)
V = TypeVar("V", bound=Callable[..., Any])
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
DELEGATED_NAMESPACES = frozenset({"api"})


@dataclass(frozen=True)
class Access:
    """Who may use one view."""

    roles: frozenset[Role] = frozenset()
    public: bool = False
    any_role: bool = False
    own_session: bool = False
    before_second_factor: bool = False

    def admits(self, role: Role | None) -> bool:
        """True if a signed-in person with ``role`` may use the view."""
        if self.public:
            return True
        return role is not None and (self.any_role or role in self.roles)


def _declare(access: Access) -> Callable[[V], V]:
    def decorate(view: V) -> V:
        view.jembatan_access = access  # type: ignore[attr-defined]
        return view

    return decorate


def allow(*roles: Role | Iterable[Role]) -> Callable[[V], V]:
    """Open a view to the named roles (single roles or groups of them)."""
    flat: set[Role] = set()
    for item in roles:
        flat.update([item] if isinstance(item, Role) else item)
    return _declare(Access(roles=frozenset(flat)))


def public(view: V) -> V:
    """Open a view to everyone, signed in or not. It must show no personal data."""
    return _declare(Access(public=True))(view)


def signed_in(view: V) -> V:
    """Open a view to any signed-in person with a known role (e.g. logout)."""
    return _declare(Access(any_role=True))(view)


def own_session(view: V) -> V:
    """Mark a declared view that changes only the caller's own session or account.

    Auditors may POST to such views (and to no others): signing out, changing
    one's password or language changes nothing in the programme's records.
    """
    access = access_of(view)
    if access is None:
        raise ImproperlyConfigured("Declare who may use the view before @own_session.")
    return _declare(replace(access, own_session=True))(view)


def before_second_factor(view: V) -> V:
    """Mark a declared view usable while the second factor of the sign-in is still owed.

    Only the two-factor pages themselves and signing out: everything else waits
    for the code (``jembatan.accounts.two_factor.TwoFactorMiddleware``). Public
    views need no mark.
    """
    access = access_of(view)
    if access is None:
        raise ImproperlyConfigured("Declare who may use the view before @before_second_factor.")
    return _declare(replace(access, before_second_factor=True))(view)


def access_of(view: Callable[..., Any]) -> Access | None:
    """The declaration of a function view or class-based view, if any."""
    found = getattr(view, "jembatan_access", None)
    if found is None:
        found = getattr(getattr(view, "view_class", None), "jembatan_access", None)
    return found


def role_of(user: Any) -> Role | None:
    """The role of an active signed-in user, or None for anyone else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        return Role(user.role)
    except ValueError:
        return None


class AccessMiddleware:
    """Enforce each view's declaration before the view runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        match = request.resolver_match
        namespaces = set(match.namespaces) if match else set()
        if "admin" in namespaces:
            return self._admin_site(request)
        if namespaces & DELEGATED_NAMESPACES:
            return None
        access = access_of(view_func)
        if access is None:
            logger.error("View %s declares no access rule; refused.", view_func)
            raise PermissionDenied
        return self._check(request, access)

    def _check(self, request: HttpRequest, access: Access) -> HttpResponse | None:
        role = role_of(request.user)
        if not access.public:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not access.admits(role):
                raise PermissionDenied
        if role == Role.AUDITOR:  # on public pages too: every auditor read is logged
            return self._auditor(request, access)
        return None

    def _auditor(self, request: HttpRequest, access: Access) -> HttpResponse | None:
        """Auditors read everything and change nothing; every read is logged."""
        if request.method not in SAFE_METHODS and not access.own_session:
            raise PermissionDenied
        from jembatan.core.audit import record_access

        record_access(acting_user=request.user, purpose="auditor_read", request=request)
        return None

    def _admin_site(self, request: HttpRequest) -> HttpResponse | None:
        """The Django admin is for superusers fixing data, nobody else."""
        user = request.user
        if user.is_authenticated and not user.is_superuser:
            raise PermissionDenied
        return None
