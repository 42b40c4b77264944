"""Shared fixtures: a small programme with one named person per role.

In the spirit of healthchecks' Alice, Bob and Charlie, every access test can
use the same cast:

=====================  ========  ===========================================
fixture                username  who
=====================  ========  ===========================================
national_admin         nadia     national administrator
national_officer       oki       national officer (Binalavotas)
provincial_officer     putri     provincial officer of Jawa Tengah (``33``)
other_provincial_...   joko      provincial officer of Jawa Timur (``35``)
training_operator      tono      operator of BLK Semarang
sender_operator        sari      operator of LPK A (licensed, Jawa Tengah)
other_sender_operator  bambang   operator of LPK B (licensed, Jawa Timur)
partner_user           hiroshi   partner user of IM Japan (partner, JP)
participant_user       siti      participant, linked to ``participant_jateng``
auditor                agus      auditor
ghost_user             ghost     signed in, but with a role Jembatan does not know
inactive_user          lama      a deactivated national administrator
=====================  ========  ===========================================

Sample participants: ``participant_jateng`` (Siti Rahayu, Kota Semarang,
registered by LPK A, trained at BLK Semarang, partner IM Japan, linked to
``participant_user``) and ``participant_jatim`` (Budi Santoso, Kota Surabaya,
registered by LPK B, no training centre or partner yet).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from jembatan.accounts.factories import UserFactory
from jembatan.accounts.models import User
from jembatan.core.models import Region
from jembatan.core.roles import Role
from jembatan.organisations.factories import LicenceFactory, OrganisationFactory
from jembatan.organisations.models import Organisation, OrganisationKind
from jembatan.participants.factories import ParticipantFactory
from jembatan.participants.models import Participant, Sex

# object_store and s3_storage: a real S3-compatible server for the tests that need one.
pytest_plugins = ["jembatan.core.tests.object_store"]

# --- places and organisations ----------------------------------------------


@pytest.fixture
def jateng(db: None) -> Region:
    """Jawa Tengah."""
    return Region.objects.get(code="33")


@pytest.fixture
def jatim(db: None) -> Region:
    """Jawa Timur."""
    return Region.objects.get(code="35")


@pytest.fixture
def lpk_a(db: None) -> Organisation:
    """LPK A: a licensed private training institute in Kota Semarang, Jawa Tengah."""
    lpk = OrganisationFactory(
        name="LPK A Sakura Semarang", kind=OrganisationKind.LPK, province_id="33", region_id="33.74"
    )
    LicenceFactory(organisation=lpk, number="KEP.101/LN/2024")
    return lpk


@pytest.fixture
def lpk_b(db: None) -> Organisation:
    """LPK B: a licensed private training institute in Kota Surabaya, Jawa Timur."""
    lpk = OrganisationFactory(
        name="LPK B Fuji Surabaya", kind=OrganisationKind.LPK, province_id="35", region_id="35.78"
    )
    LicenceFactory(organisation=lpk, number="KEP.102/LN/2024")
    return lpk


@pytest.fixture
def blk(db: None) -> Organisation:
    """BLK Semarang: a public training centre in Jawa Tengah."""
    return OrganisationFactory(
        name="BLK Semarang", kind=OrganisationKind.BLK, province_id="33", region_id="33.74"
    )


@pytest.fixture
def im_japan(db: None) -> Organisation:
    """IM Japan: the partner abroad of the government-to-government scheme."""
    return OrganisationFactory(name="IM Japan", partner=True)


# --- one named person per role -------------------------------------------


@pytest.fixture
def national_admin(db: None) -> User:
    return UserFactory(username="nadia", role=Role.NATIONAL_ADMIN, full_name="Nadia Kusuma")


@pytest.fixture
def national_officer(db: None) -> User:
    return UserFactory(username="oki", role=Role.NATIONAL_OFFICER, full_name="Oki Pratama")


@pytest.fixture
def provincial_officer(jateng: Region) -> User:
    return UserFactory(
        username="putri", role=Role.PROVINCIAL_OFFICER, province=jateng, full_name="Putri Lestari"
    )


@pytest.fixture
def other_provincial_officer(jatim: Region) -> User:
    return UserFactory(
        username="joko", role=Role.PROVINCIAL_OFFICER, province=jatim, full_name="Joko Susilo"
    )


@pytest.fixture
def training_operator(blk: Organisation) -> User:
    return UserFactory(
        username="tono", role=Role.TRAINING_OPERATOR, organisation=blk, full_name="Tono Wibowo"
    )


@pytest.fixture
def sender_operator(lpk_a: Organisation) -> User:
    return UserFactory(
        username="sari", role=Role.SENDER_OPERATOR, organisation=lpk_a, full_name="Sari Wulandari"
    )


@pytest.fixture
def other_sender_operator(lpk_b: Organisation) -> User:
    return UserFactory(
        username="bambang",
        role=Role.SENDER_OPERATOR,
        organisation=lpk_b,
        full_name="Bambang Hartono",
    )


@pytest.fixture
def partner_user(im_japan: Organisation) -> User:
    return UserFactory(
        username="hiroshi", role=Role.PARTNER, organisation=im_japan, full_name="Hiroshi Tanaka"
    )


@pytest.fixture
def participant_user(participant_jateng: Participant) -> User:
    """Siti, signed in as the participant ``participant_jateng``."""
    assert participant_jateng.user is not None
    return participant_jateng.user


@pytest.fixture
def auditor(db: None) -> User:
    return UserFactory(username="agus", role=Role.AUDITOR, full_name="Agus Setiawan")


@pytest.fixture
def ghost_user(db: None) -> User:
    """Signed in with a role value Jembatan does not know (e.g. a retired role)."""
    user = UserFactory(username="ghost", role=Role.NATIONAL_ADMIN)
    User.objects.filter(pk=user.pk).update(role="ghost")
    return User.objects.get(pk=user.pk)


@pytest.fixture
def inactive_user(db: None) -> User:
    """A national administrator whose account has been deactivated."""
    user = UserFactory(username="lama", role=Role.NATIONAL_ADMIN)
    User.objects.filter(pk=user.pk).update(is_active=False)
    return User.objects.get(pk=user.pk)


ROLE_FIXTURES = {
    Role.NATIONAL_ADMIN: "national_admin",
    Role.NATIONAL_OFFICER: "national_officer",
    Role.PROVINCIAL_OFFICER: "provincial_officer",
    Role.TRAINING_OPERATOR: "training_operator",
    Role.SENDER_OPERATOR: "sender_operator",
    Role.PARTNER: "partner_user",
    Role.PARTICIPANT: "participant_user",
    Role.AUDITOR: "auditor",
}


@pytest.fixture
def user_of(request: pytest.FixtureRequest) -> Callable[[Role], User]:
    """A function giving the named person of a role, created on first use."""

    def get(role: Role) -> User:
        user: User = request.getfixturevalue(ROLE_FIXTURES[Role(role)])
        return user

    return get


@pytest.fixture
def users_by_role(user_of: Callable[[Role], User]) -> dict[Role, User]:
    """The named person of each of the eight roles."""
    return {role: user_of(role) for role in Role}


# --- sample participants ------------------------------------------------------


@pytest.fixture
def participant_jateng(
    lpk_a: Organisation, blk: Organisation, im_japan: Organisation
) -> Participant:
    """Siti Rahayu of Kota Semarang: LPK A, BLK Semarang, IM Japan; she can sign in."""
    user = UserFactory(username="siti", role=Role.PARTICIPANT, full_name="Siti Rahayu")
    return ParticipantFactory(
        full_name="Siti Rahayu",
        sex=Sex.FEMALE,
        birth_place="Semarang",
        birth_date=dt.date(1999, 3, 12),
        regency_code="33.74",
        sending_organisation=lpk_a,
        training_centre=blk,
        partner=im_japan,
        user=user,
    )


@pytest.fixture
def participant_jatim(lpk_b: Organisation) -> Participant:
    """Budi Santoso of Kota Surabaya, registered by LPK B."""
    return ParticipantFactory(
        full_name="Budi Santoso",
        birth_place="Surabaya",
        birth_date=dt.date(2001, 11, 5),
        regency_code="35.78",
        sending_organisation=lpk_b,
    )


# --- clients ----------------------------------------------------------------


@pytest.fixture
def client_for(db: None):
    """A function giving a test client signed in as ``user`` (anonymous for None)."""

    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make
