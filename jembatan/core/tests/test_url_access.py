"""Deny by default, checked: every URL, for every kind of visitor, against its declaration.

Modelled on manage.get.gov's ``test_url_auth.py``. The walk covers every URL
pattern of ``config.urls`` except the Django admin (tested on its own below),
static files and the namespaces whose views guard themselves (the JSON API,
see ``jembatan/api/tests/test_api_access.py``).

Adding a URL with path arguments means adding a sample value to ``SAMPLES``:
the walk fails, naming the URL, until it can fill them.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.static import serve

from jembatan.accounts.factories import DEFAULT_PASSWORD
from jembatan.accounts.models import User
from jembatan.core.access import DELEGATED_NAMESPACES, Access, access_of, role_of
from jembatan.core.models import AccessLog, ChangeRecord, Occupation
from jembatan.core.roles import Role
from jembatan.demand.tests.samples import SAMPLES as DEMAND_SAMPLES
from jembatan.deployment.tests.samples import SAMPLES as DEPLOYMENT_SAMPLES
from jembatan.matching.tests.samples import SAMPLES as MATCHING_SAMPLES
from jembatan.organisations.tests.samples import SAMPLES as ORGANISATION_SAMPLES
from jembatan.participants.models import Participant
from jembatan.privacy.tests.samples import SAMPLES as PRIVACY_SAMPLES
from jembatan.protection.tests.samples import SAMPLES as PROTECTION_SAMPLES
from jembatan.protection.tests.samples_public import SAMPLES as PROTECTION_PUBLIC_SAMPLES
from jembatan.selection.tests.samples import SAMPLES as SELECTION_SAMPLES
from jembatan.training.tests.samples import SAMPLES as TRAINING_SAMPLES

pytestmark = pytest.mark.django_db

SKIPPED_NAMESPACES = frozenset({"admin"}) | DELEGATED_NAMESPACES
OCCUPATION_DATASET = "jp-ssw-2024"
DOCUMENT_KIND = "id_card"


@dataclass(frozen=True)
class Route:
    """One URL pattern found by walking the resolver."""

    name: str
    namespace: str
    route: str
    callback: Callable[..., Any]
    kwarg_names: tuple[str, ...]
    positional: bool

    @property
    def access(self) -> Access | None:
        return access_of(self.callback)


def _walk(
    resolver: URLResolver, namespaces: tuple[str, ...] = (), prefix: str = ""
) -> Iterator[Route]:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            if not SKIPPED_NAMESPACES & set(inner):
                yield from _walk(entry, inner, route)
        elif isinstance(entry, URLPattern) and not _is_static(entry, route):
            yield _route(entry, namespaces, route)


def _is_static(entry: URLPattern, route: str) -> bool:
    return entry.callback is serve or route.lstrip("^/").startswith(settings.STATIC_URL.strip("/"))


def _route(entry: URLPattern, namespaces: tuple[str, ...], route: str) -> Route:
    regex = entry.pattern.regex
    return Route(
        name=":".join([*namespaces, entry.name or f"<unnamed {route}>"]),
        namespace=":".join(namespaces),
        route=route,
        callback=entry.callback,
        kwarg_names=tuple(regex.groupindex),
        positional=regex.groups > len(regex.groupindex),
    )


ROUTES = list(_walk(get_resolver()))


def _occupation(request: pytest.FixtureRequest) -> int:
    return Occupation.objects.filter(dataset__code=OCCUPATION_DATASET).order_by("code")[0].pk


def _fixture_pk(name: str) -> Callable[[pytest.FixtureRequest], Any]:
    return lambda request: request.getfixturevalue(name).pk


def _licence(request: pytest.FixtureRequest) -> int:
    """LPK A's active licence."""
    return request.getfixturevalue("lpk_a").licences.get().pk


def _requirement(request: pytest.FixtureRequest) -> int:
    from jembatan.documents.models import DocumentRequirement

    current = DocumentRequirement.objects.filter(valid_to__isnull=True, kind=DOCUMENT_KIND)
    return current.order_by("pk")[0].pk


def _document(request: pytest.FixtureRequest) -> int:
    """A pending ID-card scan of the sample participant, handed in by her LPK's operator."""
    from PIL import Image

    from jembatan.documents.models import DocumentRequirement
    from jembatan.documents.rules import route_of
    from jembatan.documents.services import document_upload

    request.getfixturevalue("settings").MEDIA_ROOT = request.getfixturevalue("tmp_path")
    participant = request.getfixturevalue("participant_jateng")
    requirement = DocumentRequirement.objects.get(
        valid_to__isnull=True, kind=DOCUMENT_KIND, route=route_of(participant)
    )
    image = io.BytesIO()
    Image.new("RGB", (16, 16), "white").save(image, "PNG")
    document = document_upload(
        participant=participant,
        requirement=requirement,
        chunks=[image.getvalue()],
        original_name="ktp.png",
        acting_user=request.getfixturevalue("sender_operator"),
    )
    return document.pk


def _invitation_token(request: pytest.FixtureRequest) -> str:
    """An open sign-in invitation for a person LPK A registered, made by its operator."""
    from jembatan.participants.factories import ParticipantFactory
    from jembatan.participants.services.invitations import invitation_create

    issued = invitation_create(
        participant=ParticipantFactory(sending_organisation=request.getfixturevalue("lpk_a")),
        send_email=False,
        acting_user=request.getfixturevalue("sender_operator"),
    )
    return issued.url.rstrip("/").rsplit("/", 1)[-1]


def _import_job(request: pytest.FixtureRequest) -> int:
    """A finished participant import by LPK A's operator (no report file: downloads 404)."""
    from jembatan.core.models import ImportJob

    operator = request.getfixturevalue("sender_operator")
    job = ImportJob.objects.create(
        kind=ImportJob.Kind.PARTICIPANTS,
        status=ImportJob.Status.DONE,
        created_by=operator,
        created_by_label=operator.username,
        organisation=operator.organisation,
        file_name="peserta.xlsx",
        sha256="0" * 64,
    )
    return job.pk


def _stale_task(request: pytest.FixtureRequest) -> str:
    """A daily licence run left running by a worker that died (resumable on the tasks page)."""
    from jembatan.core.tests.dead_workers import running_task
    from jembatan.organisations.tasks import expire_licences

    return str(running_task(expire_licences, worker_id="gone").pk)


# Path arguments by ``namespace:argument`` (or ``namespace:view:argument`` where one view's
# argument means something else), each pointing at an in-scope sample record. A new URL
# with an argument not listed here fails the walk until a sample is added.
SAMPLES: dict[str, Callable[[pytest.FixtureRequest], Any]] = {
    "participants:pk": _fixture_pk("participant_jateng"),
    "organisations:pk": _fixture_pk("lpk_a"),
    "core:pk": _occupation,
    "core:code": lambda request: OCCUPATION_DATASET,
    "core:programme": lambda request: "im_japan",
    "core:task_id": _stale_task,
    "documents:participant_pk": _fixture_pk("participant_jateng"),
    "documents:requirement_pk": _requirement,
    "documents:kind": lambda request: DOCUMENT_KIND,
    "documents:pk": _document,
    "personal_data:pk": _fixture_pk("participant_jateng"),
    "organisations:licence_pk": _licence,
    "register:pk": _fixture_pk("lpk_a"),
    "imports:pk": _import_job,
    "participants:token": _invitation_token,
    # A password-reset link that does not hold (the page says so; it is public).
    "accounts:uidb64": lambda request: "MQ",
    "accounts:token": lambda request: "not-a-token",
    "accounts:pk": _fixture_pk("participant_user"),
    **TRAINING_SAMPLES,  # programme_pk, batch_pk, enrolment_pk, unit_pk, certificate_pk, token
    **SELECTION_SAMPLES,  # round_pk, stage_pk, candidacy_pk, shortlist_pk, entry_pk
    **MATCHING_SAMPLES,  # pk (run), participant_pk
    **ORGANISATION_SAMPLES,  # contact_pk, decision_pk, action (organisations/tests/samples.py)
    **DEMAND_SAMPLES,  # demand:pk, demand:action, jobs:pk (demand/tests/samples.py)
    **DEPLOYMENT_SAMPLES,  # pk, stage_pk, placement_pk, kind, action, flight, date
    **PRIVACY_SAMPLES,  # request_pk, restriction_pk, breach_pk (privacy/tests/samples.py)
    **PROTECTION_PUBLIC_SAMPLES,  # report:code, risk:pk, risk:action, risk:decision_pk
    **PROTECTION_SAMPLES,  # code, referral pk, attachment pk, action (protection/tests/samples.py)
}


def _sample_key(route: Route, kwarg: str) -> str | None:
    for key in (f"{route.name}:{kwarg}", f"{route.namespace}:{kwarg}"):
        if key in SAMPLES:
            return key
    return None


def _missing_samples(route: Route) -> list[str]:
    if route.positional or route.name.endswith(">"):
        return ["<unnamed or positional arguments>"]
    return [k for k in route.kwarg_names if _sample_key(route, k) is None]


def _url(route: Route, request: pytest.FixtureRequest) -> str:
    missing = _missing_samples(route)
    if missing:
        pytest.fail(f"{route.name} ({route.route}): add sample values to SAMPLES for {missing}")
    kwargs = {k: SAMPLES[str(_sample_key(route, k))](request) for k in route.kwarg_names}
    return reverse(route.name, kwargs=kwargs)


# The walk below covers every route it can fill; the others fail the test just below.
WALKED = [r for r in ROUTES if not _missing_samples(r)]


# --- the declarations ------------------------------------------------------------


def test_the_walk_finds_the_pages_of_every_app() -> None:
    namespaces = {r.namespace for r in ROUTES}
    assert {"", "accounts", "participants", "organisations", "core"} <= namespaces
    assert "admin" not in namespaces
    assert "api" not in namespaces


def test_every_url_declares_an_access_rule() -> None:
    undeclared = [f"{r.name} ({r.route})" for r in ROUTES if r.access is None]
    assert undeclared == [], f"views that declare no access rule (use @allow/@public): {undeclared}"


def test_every_url_argument_has_a_sample_value() -> None:
    unfilled = {f"{r.name} ({r.route})": _missing_samples(r) for r in ROUTES if _missing_samples(r)}
    assert unfilled == {}, f"add sample values for these URLs to SAMPLES: {unfilled}"


def test_sensitive_pages_are_declared_for_the_right_roles() -> None:
    declared = {r.name: r.access for r in ROUTES}
    audit_readers = {Role.NATIONAL_ADMIN, Role.AUDITOR}
    assert {r for r in Role if declared["core:changes"].admits(r)} == audit_readers
    assert {r for r in Role if declared["core:access_log"].admits(r)} == audit_readers
    assert {r for r in Role if declared["core:occupation_edit"].admits(r)} == {Role.NATIONAL_ADMIN}
    assert {r for r in Role if declared["core:tasks"].admits(r)} == {Role.NATIONAL_ADMIN}
    assert {r for r in Role if declared["core:task_resume"].admits(r)} == {Role.NATIONAL_ADMIN}
    assert not declared["participants:list"].admits(Role.PARTICIPANT)
    assert not declared["participants:detail"].admits(Role.PARTICIPANT)
    assert {r for r in Role if declared["participants:mine"].admits(r)} == {Role.PARTICIPANT}


# Each grid (many rows saved at once) and the one-row page whose roles it takes.
GRIDS = {
    "training:attendance_grid": "training:attendance",
    "selection:score_grid": "selection:score_upload",
    "selection:decision_grid": "selection:decide",
}


@pytest.mark.parametrize(("grid", "single"), GRIDS.items())
def test_a_grid_admits_exactly_the_roles_of_its_one_row_page(grid: str, single: str) -> None:
    declared = {r.name: r.access for r in ROUTES}
    grid_access, single_access = declared[grid], declared[single]
    assert grid_access is not None and single_access is not None
    admitted = {r for r in Role if grid_access.admits(r)}
    assert admitted == {r for r in Role if single_access.admits(r)}
    assert Role.AUDITOR not in admitted and Role.PARTICIPANT not in admitted


# --- every URL × every visitor -----------------------------------------------------

SIGNED_OUT = ("anonymous", "inactive")  # an inactive account counts as signed out
VISITORS = [*(role.value for role in Role), "anonymous", "ghost", "inactive"]
POST_DATA = {
    "name_id": "Diubah",
    "name_en": "Changed",
    "name_ja": "",
    "language": "en",
    "next": "/",
    "username": "nadia",
    "password": DEFAULT_PASSWORD,
    "old_password": DEFAULT_PASSWORD,
    "new_password1": "Another-strong-pass-42",
    "new_password2": "Another-strong-pass-42",
}


def _visitor_role(visitor: str) -> Role | None:
    return Role(visitor) if visitor in Role.values else None


def _declared_for(route: Route, visitor: str) -> bool:
    """What the declaration promises ``visitor``, known before any user exists."""
    access = route.access
    if access is None:
        return False
    return access.public if visitor in SIGNED_OUT else access.admits(_visitor_role(visitor))


REFUSED = [
    pytest.param(route, visitor, id=f"{route.name}-{visitor}")
    for route in WALKED
    for visitor in VISITORS
    if not _declared_for(route, visitor)
]


@pytest.fixture
def visitor_user(visitor: str, user_of: Callable[[Role], User], request) -> User | None:
    """The named person of the visitor's role, the ghost, the inactive user, or None."""
    role = _visitor_role(visitor)
    if role is not None:
        return user_of(role)
    extra = {"ghost": "ghost_user", "inactive": "inactive_user"}.get(visitor)
    return request.getfixturevalue(extra) if extra else None


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _is_login_redirect(response: HttpResponse, url: str) -> bool:
    expected = redirect_to_login(url)["Location"]
    return response.status_code == 302 and response["Location"] == expected


def _assert_refused(response: HttpResponse, visitor: str, url: str, sample: Participant) -> None:
    if visitor in SIGNED_OUT:
        assert _is_login_redirect(response, url), (url, visitor, response.status_code)
    else:
        assert response.status_code in (403, 404), (url, visitor, response.status_code)
    assert sample.nik.encode() not in response.content
    assert sample.full_name.encode() not in response.content


def _world_state() -> list[Any]:
    """What a refused request must leave exactly as it was."""
    return [
        ChangeRecord.objects.count(),
        list(User.objects.order_by("pk").values_list("password", "role", "preferred_language")),
        list(Participant.objects.order_by("pk").values()),
        list(Occupation.objects.order_by("pk").values_list("name_id", "name_en", "name_ja")),
    ]


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("route", WALKED, ids=lambda r: r.name)
def test_get_answers_exactly_the_declared_visitors(
    route: Route,
    visitor: str,
    visitor_user: User | None,
    request: pytest.FixtureRequest,
    participant_jateng: Participant,
) -> None:
    url = _url(route, request)
    response = _client(visitor_user).get(url)
    if _declared_for(route, visitor):
        assert response.status_code != 403, (url, visitor)
        assert not _is_login_redirect(response, url), (url, visitor)
    else:
        _assert_refused(response, visitor, url, participant_jateng)


@pytest.mark.parametrize(("route", "visitor"), REFUSED)
def test_post_by_a_refused_visitor_is_refused_and_changes_nothing(
    route: Route,
    visitor: str,
    visitor_user: User | None,
    request: pytest.FixtureRequest,
    participant_jateng: Participant,
) -> None:
    url = _url(route, request)
    before = _world_state()
    response = _client(visitor_user).post(url, POST_DATA)
    _assert_refused(response, visitor, url, participant_jateng)
    assert _world_state() == before


def test_the_declarations_agree_with_the_roles_of_the_named_users(
    user_of: Callable[[Role], User],
) -> None:
    assert {role: role_of(user_of(role)) for role in Role} == {role: role for role in Role}


# --- the auditor reads everything and changes nothing ------------------------------


def _auditor_may_post(route: Route) -> bool:
    """Signing out, one's password, second factor and language: views marked ``@own_session``."""
    access = route.access
    return access is not None and access.own_session


@pytest.mark.parametrize(
    "route", [r for r in WALKED if not _auditor_may_post(r)], ids=lambda r: r.name
)
def test_auditor_post_is_refused_and_changes_nothing(
    route: Route, auditor: User, request: pytest.FixtureRequest
) -> None:
    url = _url(route, request)
    before = _world_state()
    response = _client(auditor).post(url, POST_DATA)
    assert response.status_code == 403, url
    assert _world_state() == before


def test_auditor_may_post_only_to_session_and_language_pages() -> None:
    assert sorted(r.name for r in ROUTES if _auditor_may_post(r)) == [
        "accounts:logout",
        "accounts:password_change",
        "accounts:recovery_codes_new",
        "accounts:set_language",
        "accounts:two_factor",
        "accounts:two_factor_enrol",
        "accounts:two_factor_off",
        "accounts:two_factor_verify",
    ]


@pytest.mark.parametrize(
    "route", [r for r in WALKED if _declared_for(r, Role.AUDITOR.value)], ids=lambda r: r.name
)
def test_every_auditor_get_is_logged(
    route: Route, auditor: User, request: pytest.FixtureRequest
) -> None:
    url = _url(route, request)
    _client(auditor).get(url)
    log = AccessLog.objects.filter(actor=auditor, purpose="auditor_read")
    assert list(log.values_list("method", "path", "actor_role")) == [("GET", url, "auditor")]


# --- the Django admin ------------------------------------------------------------


@pytest.mark.parametrize("visitor", list(VISITORS))
@pytest.mark.parametrize("path", ["/admin/", "/admin/accounts/user/", "/admin/login/"])
def test_admin_is_for_superusers_only(path: str, visitor: str, visitor_user: User | None) -> None:
    response = _client(visitor_user).get(path)
    if visitor not in SIGNED_OUT:
        assert response.status_code == 403
    elif path == "/admin/login/":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"] == f"/admin/login/?next={path}"


def test_superuser_reaches_the_admin(db: None) -> None:
    superuser = User.objects.create_superuser(
        "root", "root@example.id", DEFAULT_PASSWORD, role=Role.NATIONAL_ADMIN
    )
    assert _client(superuser).get("/admin/").status_code == 200
