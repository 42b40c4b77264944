"""The access middleware enforces each view's declaration, and refuses views that declare none.

This module is its own urlconf (``pytest.mark.urls``): its views exist only here.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views import View

from jembatan.accounts.models import User
from jembatan.core.access import access_of, allow, own_session, public, signed_in
from jembatan.core.models import AccessLog
from jembatan.core.roles import NATIONAL, Role

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("jembatan.core.tests.test_access_middleware"),
]


def undeclared_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("undeclared ran")


@public
def public_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("public ran")


@allow(NATIONAL, Role.AUDITOR)
def national_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("national ran")


@signed_in
def any_role_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("any role ran")


@own_session
@signed_in
def own_session_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("own session ran")


@allow(Role.PARTNER)
class PartnerView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse("partner ran")


class UndeclaredClassView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse("undeclared class ran")


urlpatterns = [
    path("akun/", include("jembatan.accounts.urls")),  # the login page redirects go to
    path("undeclared/", undeclared_view),
    path("undeclared-class/", UndeclaredClassView.as_view()),
    path("public/", public_view),
    path("national/", national_view),
    path("any-role/", any_role_view),
    path("own-session/", own_session_view),
    path("partner/", PartnerView.as_view()),
]


@pytest.mark.parametrize("url", ["/undeclared/", "/undeclared-class/"])
def test_a_view_that_declares_nothing_is_refused_even_to_the_national_admin(
    client_for, national_admin: User, url: str
) -> None:
    response = client_for(national_admin).get(url)
    assert response.status_code == 403
    assert b"ran" not in response.content


def test_a_view_that_declares_nothing_is_refused_to_anonymous_visitors(client_for) -> None:
    response = client_for(None).get("/undeclared/")
    assert response.status_code == 403


def test_a_public_view_works_without_signing_in(client_for) -> None:
    response = client_for(None).get("/public/")
    assert response.status_code == 200
    assert response.content == b"public ran"


def test_allow_admits_every_role_of_the_named_groups(client_for, users_by_role) -> None:
    answers = {role: client_for(users_by_role[role]).get("/national/").status_code for role in Role}
    assert answers == {role: 200 if role in NATIONAL | {Role.AUDITOR} else 403 for role in Role}


def test_allow_works_on_class_based_views(client_for, users_by_role) -> None:
    answers = {role: client_for(users_by_role[role]).get("/partner/").status_code for role in Role}
    assert answers == {role: 200 if role == Role.PARTNER else 403 for role in Role}


def test_an_anonymous_visitor_is_sent_to_the_login_page(client_for) -> None:
    response = client_for(None).get("/national/")
    assert response.status_code == 302
    assert response["Location"] == "/akun/masuk/?next=/national/"


def test_signed_in_admits_every_known_role(client_for, users_by_role) -> None:
    answers = {role: client_for(users_by_role[role]).get("/any-role/").status_code for role in Role}
    assert answers == dict.fromkeys(Role, 200)


def test_an_unknown_role_is_refused_even_where_any_role_may_go(client_for, ghost_user) -> None:
    assert client_for(ghost_user).get("/any-role/").status_code == 403
    assert client_for(ghost_user).get("/public/").status_code == 200


def test_an_inactive_account_is_treated_as_signed_out(client_for, inactive_user) -> None:
    response = client_for(inactive_user).get("/national/")
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/masuk/")


def test_auditor_reads_are_logged_even_on_public_pages(client_for, auditor: User) -> None:
    client = client_for(auditor)
    client.get("/national/")
    client.get("/public/")
    logged = AccessLog.objects.filter(actor=auditor).order_by("id")
    assert list(logged.values_list("purpose", "method", "path")) == [
        ("auditor_read", "GET", "/national/"),
        ("auditor_read", "GET", "/public/"),
    ]


@pytest.mark.parametrize("url", ["/national/", "/any-role/", "/public/"])
def test_auditor_may_not_post_to_a_view_it_may_read(client_for, auditor: User, url: str) -> None:
    response = client_for(auditor).post(url)
    assert response.status_code == 403
    assert not AccessLog.objects.filter(actor=auditor).exists()


def test_auditor_may_post_to_a_view_that_touches_only_its_own_session(
    client_for, auditor: User
) -> None:
    response = client_for(auditor).post("/own-session/")
    assert response.status_code == 200
    assert AccessLog.objects.filter(actor=auditor, method="POST").count() == 1


def test_own_session_needs_a_declaration_first() -> None:
    with pytest.raises(ImproperlyConfigured):
        own_session(undeclared_view)


def test_own_session_keeps_the_declared_audience() -> None:
    access = access_of(own_session_view)
    assert access is not None
    assert (access.any_role, access.own_session, access.public) == (True, True, False)
