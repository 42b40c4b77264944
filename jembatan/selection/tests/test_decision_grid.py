"""The decision grid: every shortlisted candidate's interview decision, saved at once or not."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jembatan.accounts.factories import UserFactory
from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.core.roles import Role
from jembatan.demand.factories import JobOrderFactory
from jembatan.organisations.factories import OrganisationFactory
from jembatan.organisations.models import Organisation
from jembatan.selection.models import InterviewDecision, Shortlist, ShortlistEntry
from jembatan.selection.services.ranking import round_close
from jembatan.selection.services.shortlists import shortlist_create
from jembatan.selection.tests import factories_ranking as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def shortlist(im_japan: Organisation, national_admin: User) -> Shortlist:
    """Three ranked candidates of a closed IM Japan round put forward for one vacancy."""
    selection_round = f.open_round(im_japan)
    for i, name in enumerate(("Ani Wijaya", "Bayu Saputra", "Citra Dewi")):
        f.passed(selection_round, str(95 - 5 * i), "40", acting_user=national_admin, full_name=name)
    round_close(round=selection_round, acting_user=national_admin)
    job_order = JobOrderFactory(partner=im_japan, approved=True, slots=1)
    return shortlist_create(
        round=selection_round, job_order=job_order, per_vacancy=3, acting_user=national_admin
    ).shortlist


def _entries(shortlist: Shortlist) -> list[ShortlistEntry]:
    return list(shortlist.entries.order_by("position"))


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(shortlist: Shortlist) -> str:
    return reverse("selection:decision_grid", args=[shortlist.pk])


def _row(entry: ShortlistEntry, decision: str, note: str = "") -> dict[str, Any]:
    prefix = f"r{entry.pk}"
    return {
        f"{prefix}-decision": decision,
        f"{prefix}-note": note,
        f"{prefix}-seen": entry.decision,
    }


def _decisions(shortlist: Shortlist) -> list[tuple[str, str]]:
    return [(e.decision, e.decision_note) for e in _entries(shortlist)]


def _errors(page: str, key: int) -> list[str]:
    start = page.index(f'data-testid="row-{key}"')
    row = page[start : page.index("</tr>", start)]
    return [part.split("</p>")[0] for part in row.split('role="alert">')[1:]]


def test_the_partner_records_several_decisions_at_once(
    shortlist: Shortlist, partner_user: User
) -> None:
    ani, bayu, citra = _entries(shortlist)
    client = _client(partner_user)
    page = client.get(_url(shortlist)).content.decode()
    assert '<div class="table-scroll"><table class="grid">' in page
    response = client.post(
        _url(shortlist),
        _row(ani, "accepted") | _row(bayu, "declined", "Weak Japanese") | _row(citra, ""),
    )
    assert response.status_code == 302
    assert _decisions(shortlist) == [
        ("accepted", ""),
        ("declined", "Weak Japanese"),
        ("pending", ""),
    ]
    assert ChangeRecord.objects.filter(operation="selection.interview_decide").count() == 2


def test_one_refused_row_saves_nothing_and_shows_its_refusal_beside_it(
    shortlist: Shortlist, partner_user: User
) -> None:
    ani, bayu, citra = _entries(shortlist)
    response = _client(partner_user).post(
        _url(shortlist),
        _row(ani, "accepted", "Strong welder") | _row(bayu, "absent") | _row(citra, ""),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert _errors(page, bayu.pk) == [
        "Say why the candidate was declined or absent; the note stays with the decision."
    ]
    assert _errors(page, ani.pk) == [] and _errors(page, citra.pk) == []
    assert 'value="Strong welder"' in page
    assert '<option value="absent" selected>' in page
    assert _decisions(shortlist) == [("pending", ""), ("pending", ""), ("pending", "")]
    assert not ChangeRecord.objects.filter(operation="selection.interview_decide").exists()


def test_the_same_grid_sent_twice_records_once(shortlist: Shortlist, partner_user: User) -> None:
    ani, bayu, _citra = _entries(shortlist)
    client = _client(partner_user)
    data = _row(ani, "accepted") | _row(bayu, "declined", "Weak Japanese")
    client.post(_url(shortlist), data)
    second = client.post(_url(shortlist), data, follow=True)
    assert "Decisions saved: 0 recorded, 2 unchanged." in second.content.decode()
    assert ChangeRecord.objects.filter(operation="selection.interview_decide").count() == 2


def test_changing_a_decision_needs_a_note_on_its_row(
    shortlist: Shortlist, partner_user: User
) -> None:
    ani, _bayu, _citra = _entries(shortlist)
    client = _client(partner_user)
    client.post(_url(shortlist), _row(ani, "accepted"))
    ani.refresh_from_db()
    response = client.post(_url(shortlist), _row(ani, "declined"))
    assert _errors(response.content.decode(), ani.pk) == [
        "Say why the candidate was declined or absent; the note stays with the decision."
    ]
    client.post(_url(shortlist), _row(ani, "declined", "Failed the medical abroad"))
    assert _decisions(shortlist)[0] == ("declined", "Failed the medical abroad")


def test_a_decision_made_meanwhile_refuses_the_stale_row(
    shortlist: Shortlist, partner_user: User, national_officer: User
) -> None:
    ani, bayu, _citra = _entries(shortlist)
    stale = _row(ani, "accepted") | _row(bayu, "accepted")
    _client(national_officer).post(_url(shortlist), _row(bayu, "absent", "Did not come"))
    response = _client(partner_user).post(_url(shortlist), stale)
    assert _errors(response.content.decode(), bayu.pk)[0].startswith(
        "Someone recorded “Did not attend” for Bayu Saputra while you were deciding."
    )
    assert _decisions(shortlist)[:2] == [("pending", ""), ("absent", "Did not come")]


# --- who may use the grid ---------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.AUDITOR, Role.SENDER_OPERATOR, Role.TRAINING_OPERATOR, Role.PROVINCIAL_OFFICER]
)
def test_roles_that_do_not_decide_are_refused(
    shortlist: Shortlist, users_by_role: dict[Role, User], role: Role
) -> None:
    client = _client(users_by_role[role])
    assert client.get(_url(shortlist)).status_code == 403
    ani = _entries(shortlist)[0]
    assert client.post(_url(shortlist), _row(ani, "accepted")).status_code == 403
    assert _decisions(shortlist)[0] == ("pending", "")


def test_another_partners_user_finds_no_shortlist(shortlist: Shortlist) -> None:
    stranger = UserFactory(role=Role.PARTNER, organisation=OrganisationFactory(partner=True))
    client = _client(stranger)
    ani = _entries(shortlist)[0]
    assert client.get(_url(shortlist)).status_code == 404
    assert client.post(_url(shortlist), _row(ani, "accepted")).status_code == 404
    assert _decisions(shortlist)[0] == ("pending", "")


def test_the_shortlist_page_links_to_the_grid(shortlist: Shortlist, partner_user: User) -> None:
    page = _client(partner_user).get(reverse("selection:shortlist", args=[shortlist.pk]))
    assert _url(shortlist) in page.content.decode()


def test_the_grid_is_recorded_as_a_read_of_the_shortlist(
    shortlist: Shortlist, partner_user: User
) -> None:
    from jembatan.core.models import AccessLog

    _client(partner_user).get(_url(shortlist))
    assert AccessLog.objects.filter(actor=partner_user, purpose="selection.shortlist").count() == 1


def test_every_decision_of_the_grid_is_one_the_service_knows() -> None:
    from jembatan.selection.report_forms import DecisionRowForm

    field = DecisionRowForm().fields["decision"]
    offered = {value for value, _label in field.choices if value}  # type: ignore[attr-defined]
    assert offered == {
        InterviewDecision.ACCEPTED,
        InterviewDecision.DECLINED,
        InterviewDecision.ABSENT,
    }


def test_a_grid_left_all_blank_saves_nothing_and_says_so(
    shortlist: Shortlist, partner_user: User
) -> None:
    data: dict[str, Any] = {}
    for entry in _entries(shortlist):
        data |= _row(entry, "")
    response = _client(partner_user).post(_url(shortlist), data)
    assert "Choose a decision for at least one candidate." in response.content.decode()
    assert not ChangeRecord.objects.filter(operation="selection.interview_decide").exists()


def test_a_tampered_hidden_field_is_named_in_its_row(
    shortlist: Shortlist, partner_user: User
) -> None:
    ani = _entries(shortlist)[0]
    data = _row(ani, "accepted") | {f"r{ani.pk}-seen": "hired"}
    response = _client(partner_user).post(_url(shortlist), data)
    assert _errors(response.content.decode(), ani.pk) == [
        "Select a valid choice. hired is not one of the available choices."
    ]
    assert _decisions(shortlist)[0] == ("pending", "")
