"""Every read of a person's data by staff leaves a row in the access log.

The walk reuses ``test_url_access.py``'s routes and sample records: every page,
download and API read operation is opened by each staff role it is declared
for (the participant reading her own record and the auditor, whose reads the
middleware logs, are not staff readers here). When the answer shows the sample
participant (Siti Rahayu) by name or NIK, in the HTML or JSON body or inside a
downloaded spreadsheet or PDF, the request must have written an ``AccessLog``
row naming its path. A new page that shows a person without calling
``record_access`` fails here, whatever its app.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from typing import Any

import pypdfium2 as pdfium
import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from jembatan.accounts.models import User
from jembatan.api.access import ROLES_KEY
from jembatan.api.urls import api
from jembatan.core.models import AccessLog
from jembatan.core.roles import Role
from jembatan.core.tests.test_url_access import SAMPLES, WALKED, Route, _url
from jembatan.participants.models import Participant

pytestmark = pytest.mark.django_db

# Roles whose reads of someone else's record must be logged by the page itself.
STAFF = [r for r in Role if r not in (Role.PARTICIPANT, Role.AUDITOR)]

# Pages and operations that show the person to anyone, signed in or not, on purpose.
PUBLIC_READS = {
    "verify:certificate": (
        "the public verification of a certificate shows its holder's name so that an "
        "employer holding the paper can check it; the token printed on it is the key"
    ),
    "/api/v1/certificates/verify/{token}": "the same verification, as JSON",
}


def _text_of(response: HttpResponse) -> str:
    """What a person reading the answer sees: the page, the JSON, the file's text."""
    body = (
        b"".join(response.streaming_content)  # type: ignore[attr-defined]
        if response.streaming
        else response.content
    )
    kind = response.get("Content-Type", "")
    if body.startswith(b"%PDF"):
        try:
            pdf = pdfium.PdfDocument(body)
        except pdfium.PdfiumError:  # a sample attachment that is not a whole PDF
            return body.decode(errors="replace")
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    if body.startswith(b"PK") or "spreadsheetml" in kind:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(
                archive.read(name).decode()
                for name in archive.namelist()
                if name.startswith("xl/") and name.endswith(".xml")
            )
    return body.decode(errors="replace")


def _shows(text: str, person: Participant) -> bool:
    return person.full_name in text or person.nik in text


def _logged(user: User, path: str) -> bool:
    return AccessLog.objects.filter(actor=user, path=path).exclude(purpose="auditor_read").exists()


def _reads_unlogged(
    url_of: Callable[[], str],
    roles: list[Role],
    user_of: Callable[[Role], User],
    person: Participant,
) -> list[str]:
    unlogged = []
    for role in roles:
        user = user_of(role)
        client = Client()
        client.force_login(user)
        url = url_of()
        response = client.get(url)
        shown = response.status_code == 200 and _shows(_text_of(response), person)
        if shown and not _logged(user, url):
            unlogged.append(f"{role.value} {url}")
    return unlogged


def test_the_sample_person_is_found_in_what_a_reader_sees(
    participant_jateng: Participant, national_officer: User, request: pytest.FixtureRequest
) -> None:
    """The detector itself: it must see Siti on her record page, or the walk proves nothing."""
    client = Client()
    client.force_login(national_officer)
    url = reverse("participants:detail", kwargs={"pk": participant_jateng.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert _shows(_text_of(response), participant_jateng)
    assert _logged(national_officer, url)
    assert not _shows("Nobody in particular", participant_jateng)


def _staff_roles(route: Route) -> list[Role]:
    access = route.access
    return [r for r in STAFF if access is not None and access.admits(r)]


@pytest.mark.parametrize(
    "route",
    [r for r in WALKED if _staff_roles(r) and r.name not in PUBLIC_READS],
    ids=lambda r: r.name,
)
def test_every_page_showing_a_person_logs_the_read(
    route: Route,
    user_of: Callable[[Role], User],
    participant_jateng: Participant,
    request: pytest.FixtureRequest,
) -> None:
    url = _url(route, request)
    unlogged = _reads_unlogged(lambda: url, _staff_roles(route), user_of, participant_jateng)
    assert unlogged == [], f"shows {participant_jateng.full_name} without record_access: {unlogged}"


def test_the_public_reads_are_public() -> None:
    """An exception is only for what anyone may open without signing in."""
    public_pages = {r.name for r in WALKED if r.access is not None and r.access.public}
    public_operations = {p for p, _m, roles in _api_reads() if "public" in roles}
    assert set(PUBLIC_READS) <= public_pages | public_operations


# --- the JSON API ----------------------------------------------------------------

PATH_PARAM = re.compile(r"\{(\w+)\}")

# The sample behind each path argument of an API read, by path.
API_SAMPLES: dict[str, Callable[[pytest.FixtureRequest], Any]] = {
    "/api/v1/participants/{pk}": SAMPLES["participants:pk"],
    "/api/v1/selection/rounds/{pk}": SAMPLES["selection:round_pk"],
    "/api/v1/selection/rounds/{pk}/ranking": SAMPLES["selection:round_pk"],
    "/api/v1/matching/runs/{pk}": SAMPLES["matching:pk"],
    "/api/v1/matching/runs/{pk}/outcomes": SAMPLES["matching:pk"],
    "/api/v1/certificates/verify/{token}": SAMPLES["verify:token"],
    "/api/v1/deployments/{pk}": SAMPLES["deployment:pk"],
    "/api/v1/protection/cases/{code}": SAMPLES["protection:code"],
}


def _api_reads() -> list[tuple[str, str, list[str]]]:
    schema = api.get_openapi_schema()
    return [
        (path, method.upper(), operation.get(ROLES_KEY) or [])
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if method.upper() == "GET"
    ]


def test_every_api_read_with_arguments_has_a_sample() -> None:
    unfilled = [p for p, _m, _r in _api_reads() if PATH_PARAM.search(p) and p not in API_SAMPLES]
    assert unfilled == [], f"add these API paths to API_SAMPLES: {unfilled}"


@pytest.mark.parametrize(
    ("path", "roles"),
    [(p, r) for p, _m, r in _api_reads() if p not in PUBLIC_READS],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_every_api_read_showing_a_person_logs_the_read(
    path: str,
    roles: list[str],
    user_of: Callable[[Role], User],
    participant_jateng: Participant,
    request: pytest.FixtureRequest,
) -> None:
    sample = API_SAMPLES.get(path)
    value = sample(request) if sample else None
    url = PATH_PARAM.sub(lambda _m: str(value), path)
    admitted = [r for r in STAFF if "public" in roles or r.value in roles]
    unlogged = _reads_unlogged(lambda: url, admitted, user_of, participant_jateng)
    assert unlogged == [], f"shows {participant_jateng.full_name} without record_access: {unlogged}"
