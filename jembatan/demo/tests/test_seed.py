"""``jembatan seed``: the demo programme, deterministic, idempotent and never in production."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.core.nik import check_nik
from jembatan.core.roles import Role
from jembatan.demand.models import FeeRule, JobOrder, JobOrderStatus, Target
from jembatan.demand.selectors import public_job_orders, review_queue
from jembatan.demo import bulk, cast
from jembatan.organisations.models import (
    ACTING_STATUSES,
    Licence,
    LicenceStatus,
    Organisation,
    OrganisationKind,
)
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.training.models import Batch, BatchStatus, Programme

FROM_TRAINING = {
    JourneyStatus.IN_TRAINING,
    JourneyStatus.CERTIFIED,
    JourneyStatus.IN_SELECTION,
    JourneyStatus.SELECTED,
    JourneyStatus.MATCHED,
    JourneyStatus.CONTRACTED,
    JourneyStatus.DEPARTED,
    JourneyStatus.IN_PLACEMENT,
    JourneyStatus.COMPLETED,
    JourneyStatus.RETURNED_EARLY,
    JourneyStatus.ALUMNUS,
}
FROM_MATCHING = FROM_TRAINING - {
    JourneyStatus.IN_TRAINING,
    JourneyStatus.CERTIFIED,
    JourneyStatus.IN_SELECTION,
    JourneyStatus.SELECTED,
}
EXPECTED_USERS = {
    "demo-admin": (Role.NATIONAL_ADMIN, None, None),
    "demo-officer": (Role.NATIONAL_OFFICER, None, None),
    "demo-province": (Role.PROVINCIAL_OFFICER, None, "33"),
    "demo-training": (Role.TRAINING_OPERATOR, "BLK Semarang", None),
    "demo-sender": (Role.SENDER_OPERATOR, "LPK Sakura Mandiri", None),
    "demo-sender-2": (Role.SENDER_OPERATOR, "LPK Hikari Nusantara", None),
    "demo-partner": (Role.PARTNER, "IM Japan", None),
    "demo-participant": (Role.PARTICIPANT, None, None),
    "demo-lpk-participant": (Role.PARTICIPANT, None, None),
    "demo-auditor": (Role.AUDITOR, None, None),
}


@pytest.fixture(autouse=True)
def debug_on(settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """Seeding is for development databases; the tests play one (files in a temporary place)."""
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.delenv(cast.PASSWORD_ENV, raising=False)


def seed(participants: int = 300, *args: str) -> str:
    out = io.StringIO()
    call_command(
        "seed", "--participants", str(participants), *args, stdout=out, stderr=io.StringIO()
    )
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "licences": Licence.objects.count(),
        "users": User.objects.count(),
        "participants": Participant.objects.count(),
    }


def demand_counts() -> dict[str, int]:
    return {
        "targets": Target.objects.count(),
        "fee_rules": FeeRule.objects.count(),
        "job_orders": JobOrder.objects.count(),
        "programmes": Programme.objects.count(),
        "batches": Batch.objects.count(),
    }


@pytest.mark.django_db
def test_seeding_300_participants_covers_every_journey_status() -> None:
    seed(300)

    assert Participant.objects.count() == 300
    statuses = set(Participant.objects.values_list("status", flat=True))
    assert statuses == {s.value for s in JourneyStatus}


@pytest.mark.django_db
def test_every_seeded_nik_is_valid_and_agrees_with_birth_date_and_sex() -> None:
    seed(300)

    today = timezone.localdate()
    rows = Participant.objects.values_list("nik", "birth_date", "sex", "regency_id")
    problems = [
        (nik, check.codes)
        for nik, birth_date, sex, regency in rows
        if not (
            check := check_nik(nik, declared_birth_date=birth_date, declared_sex=sex, today=today)
        ).ok
        or nik[:4] != regency.replace(".", "")
    ]
    assert problems == []


@pytest.mark.django_db
def test_participants_have_organisations_that_fit_their_stage() -> None:
    seed(300)

    # The demo participant (IM Japan's route: selection before training) is set by hand.
    for p in Participant.objects.filter(user=None):
        assert (p.training_centre_id is not None) <= (
            p.status in FROM_TRAINING | {JourneyStatus.WITHDRAWN, JourneyStatus.REJECTED}
        )
        assert (p.partner_id is not None) <= (p.status in FROM_MATCHING)
        assert p.province_id == p.regency_id[:2]
        assert p.created_at <= p.status_changed_at <= timezone.now()
    assert Participant.objects.filter(status=JourneyStatus.ALUMNUS, partner=None).count() == 0


@pytest.mark.django_db
def test_new_candidates_are_sent_only_by_organisations_that_may_act() -> None:
    seed(300)

    historical = {
        JourneyStatus.COMPLETED,
        JourneyStatus.RETURNED_EARLY,
        JourneyStatus.ALUMNUS,
        JourneyStatus.WITHDRAWN,
        JourneyStatus.REJECTED,
    }
    senders = set(
        Participant.objects.exclude(status__in=historical)
        .exclude(sending_organisation=None)
        .values_list("sending_organisation_id", flat=True)
    )
    acting = set(
        Licence.objects.filter(
            status__in=ACTING_STATUSES, valid_to__gte=timezone.localdate()
        ).values_list("organisation_id", flat=True)
    )
    assert senders
    assert senders <= acting


@pytest.mark.django_db
def test_licences_exist_in_every_status_with_consistent_dates() -> None:
    seed(300)

    today = timezone.localdate()
    licences = list(Licence.objects.all())
    assert {lic.status for lic in licences} == {s.value for s in LicenceStatus}
    for lic in licences:
        if lic.status in (LicenceStatus.EXPIRED,):
            assert lic.valid_to < today
        if lic.status in (LicenceStatus.ACTIVE, LicenceStatus.RENEWAL, LicenceStatus.SUSPENDED):
            assert lic.valid_from <= today < lic.valid_to
        if lic.status == LicenceStatus.GRANTED:
            assert lic.valid_from > today
        if lic.valid_from is None:
            assert lic.number == ""
        else:
            assert lic.number.startswith("KEP.") and "/LATTAS/" in lic.number


@pytest.mark.django_db
def test_demo_users_have_their_roles_and_scopes() -> None:
    seed(300)

    users = {u.username: u for u in User.objects.filter(username__startswith="demo-")}
    found = {
        name: (u.role, u.organisation.name if u.organisation else None, u.province_id)
        for name, u in users.items()
    }
    assert found == EXPECTED_USERS
    admin = users["demo-admin"]
    assert (admin.is_staff, admin.is_superuser) == (True, True)
    assert all(u.check_password(cast.DEFAULT_PASSWORD) for u in users.values())


@pytest.mark.django_db
def test_demo_participant_is_linked_to_her_record_in_jawa_tengah() -> None:
    seed(300)

    record = Participant.objects.select_related(
        "sending_organisation", "training_centre", "partner"
    ).get(user__username="demo-participant")
    assert record.province_id == "33"
    assert record.status == JourneyStatus.IN_TRAINING
    assert record.sending_organisation.name == "LPK Sakura Mandiri"
    assert record.training_centre.name == "BLK Semarang"
    assert record.partner.name == "IM Japan"


@pytest.mark.django_db
def test_scoped_demo_users_have_participants_to_see() -> None:
    seed(300)

    lpk = Organisation.objects.get(name="LPK Sakura Mandiri")
    blk = Organisation.objects.get(name="BLK Semarang")
    partner = Organisation.objects.get(name="IM Japan", kind=OrganisationKind.PARTNER)
    assert Participant.objects.filter(province_id="33").count() >= 10
    assert Participant.objects.filter(sending_organisation=lpk).count() >= 5
    assert (
        Participant.objects.filter(sending_organisation__name="LPK Hikari Nusantara").count() >= 5
    )
    assert Participant.objects.filter(training_centre=blk).count() >= 3
    assert Participant.objects.filter(partner=partner).count() >= 5


@pytest.mark.django_db
def test_running_twice_creates_no_duplicates() -> None:
    seed(300)
    first = counts()

    seed(300)

    assert counts() == first


@pytest.mark.django_db
def test_targets_are_set_for_this_year_nationally_and_for_im_japan_and_wfg() -> None:
    seed(50)

    year = timezone.localdate().year
    targets = {
        (t.partner.name if t.partner else None): t.number
        for t in Target.objects.filter(year=year, country=None).select_related("partner")
    }
    assert targets == {None: 100_000, "IM Japan": 10_000, "World Forest Group": 25_000}
    rule = FeeRule.objects.get(country_id="JP", scheme="titp")
    assert "biaya penempatan tidak boleh dibebankan" in rule.legal_basis  # in Indonesian
    assert set(rule.forbidden_kinds) == {"placement_fee", "deposit"}


@pytest.mark.django_db
def test_job_orders_are_open_on_the_public_list_and_one_waits_for_review() -> None:
    seed(50)

    statuses = sorted(JobOrder.objects.values_list("status", flat=True))
    assert statuses == sorted(
        ["open"] * 5 + ["approved", JobOrderStatus.SUBMITTED, JobOrderStatus.DRAFT]
    )
    assert public_job_orders().count() == 6
    officer = User.objects.get(username="demo-officer")
    waiting = list(review_queue(officer))
    assert len(waiting) == 1
    assert waiting[0].host_company.parent.name == cast.JCCI
    partners = set(JobOrder.objects.values_list("partner__name", flat=True))
    assert partners == {"IM Japan", "World Forest Group", cast.JCCI}


@pytest.mark.django_db
def test_the_demo_blk_has_a_programme_with_units_and_a_planned_batch() -> None:
    seed(50)

    programme = Programme.objects.get(organisation__name="BLK Semarang")
    assert programme.units.count() == 4
    batch = Batch.objects.get(programme=programme)
    assert batch.status == BatchStatus.PLANNED
    assert batch.starts_on > timezone.localdate()


@pytest.mark.django_db
def test_running_twice_creates_no_demand_or_training_duplicates() -> None:
    seed(50)
    first = demand_counts()

    seed(50)

    assert demand_counts() == first
    assert first == {
        "targets": 3,
        "fee_rules": 1,
        "job_orders": 8,
        "programmes": 1,
        "batches": 1,
    }


@pytest.mark.django_db
def test_a_larger_number_tops_participants_up() -> None:
    seed(300)

    seed(450)

    assert Participant.objects.count() == 450
    assert Organisation.objects.filter(name="IM Japan").count() == 1


@pytest.mark.django_db
def test_if_empty_does_nothing_when_participants_exist() -> None:
    seed(300, "--if-empty")
    first = counts()
    records = ChangeRecord.objects.count()

    out = seed(600, "--if-empty")

    assert counts() == first
    assert ChangeRecord.objects.count() == records
    assert "nothing seeded" in out
    assert "demo-sender" in out


@pytest.mark.django_db
def test_one_change_record_summarises_the_bulk_insert() -> None:
    seed(300)

    summaries = ChangeRecord.objects.filter(operation="core.seed", action="bulk")
    assert summaries.count() == 1
    changes = summaries.get().changes
    assert changes["participants"] == {"before": 0, "after": 300}
    assert changes["users"] == {"before": 0, "after": 10}  # the cast and demo-lpk-participant


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_niks_and_another_seed_others() -> None:
    def niks_of(*args: str) -> list[str]:
        savepoint = transaction.savepoint()
        seed(100, *args)
        niks = sorted(Participant.objects.values_list("nik", flat=True))
        transaction.savepoint_rollback(savepoint)
        return niks

    first, again, other = niks_of("--seed", "7"), niks_of("--seed", "7"), niks_of("--seed", "8")

    assert len(first) == 100
    assert first == again
    assert first != other


@pytest.mark.django_db
def test_the_demo_password_can_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(cast.PASSWORD_ENV, "another-secret-42")

    out = seed(50)

    user = User.objects.get(username="demo-officer")
    assert user.check_password("another-secret-42")
    assert not user.check_password(cast.DEFAULT_PASSWORD)
    assert "another-secret-42" not in out


@pytest.mark.django_db
def test_the_logins_are_printed_for_make_demo() -> None:
    out = seed(50)

    assert "Demo logins (password: jembatan-demo):" in out
    assert "Two-factor sign-in is off in the demo; production requires it" in out
    created = set(
        User.objects.filter(username__startswith="demo-").values_list("username", flat=True)
    )
    assert created >= set(EXPECTED_USERS) - {cast.LPK_PARTICIPANT}  # too few people to certify
    for username in created:
        assert f"  {username} " in out


@pytest.mark.django_db
def test_refuses_when_debug_is_off_without_force(settings: Any) -> None:
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG is off"):
        seed(50)

    assert counts() == {"organisations": 0, "licences": 0, "users": 0, "participants": 0}


@pytest.mark.django_db
def test_force_seeds_even_when_debug_is_off(settings: Any) -> None:
    settings.DEBUG = False

    seed(50, "--force")

    assert Participant.objects.count() == 50


@pytest.mark.django_db
def test_bulk_load_rebuilds_the_indexes_it_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    table = Participant._meta.db_table
    with connection.cursor() as cursor:
        before = set(connection.introspection.get_constraints(cursor, table))
    monkeypatch.setattr(bulk, "REBUILD_MIN_ROWS", 0)

    seed(120)

    with connection.cursor() as cursor:
        after = set(connection.introspection.get_constraints(cursor, table))
    assert after == before
    assert Participant.objects.count() == 120


@pytest.mark.django_db
def test_the_demo_has_issued_certificates_one_revoked_and_one_participant_not_certified() -> None:
    from jembatan.demo.certificates import BATCH_CODE
    from jembatan.training.models import Certificate, EnrolmentStatus

    seed(300)
    batch = Batch.objects.get(code=BATCH_CODE)
    assert batch.status == "completed"
    issued = Certificate.objects.filter(enrolment__batch=batch)
    # Four certified: the centre's training certificate each; an LSP's competency for three.
    assert issued.filter(kind="training", issuer__name="BLK Semarang").count() == 4
    competency = issued.filter(kind="competency")
    assert competency.count() == 3
    assert set(competency.values_list("issuer__kind", "issuer_licence_number")) == {
        ("lsp", "BNSP-LSP-1043-ID")
    }
    revoked = issued.filter(revoked_at__isnull=False)
    assert revoked.count() == 1 and revoked.get().revocation_reason
    assert batch.enrolments.filter(status=EnrolmentStatus.NOT_CERTIFIED).count() == 1
    seed(300)
    assert Certificate.objects.filter(enrolment__batch=batch).count() == 7


@pytest.mark.django_db
def test_every_demo_programme_has_the_hours_its_units_need() -> None:
    from django.db.models import Sum

    from jembatan.training.models import Programme

    seed(300)
    programmes = Programme.objects.annotate(unit_hours=Sum("units__hours"))
    assert programmes.count() == 2
    for programme in programmes:
        assert programme.unit_hours <= programme.total_hours, programme.name


@pytest.mark.django_db
def test_the_demo_has_an_lpk_registered_participant_who_signs_in_and_an_open_invitation() -> None:
    from django.test import Client

    from jembatan.participants.models import Invitation

    seed(300)
    account = User.objects.get(username=cast.LPK_PARTICIPANT)
    record = Participant.objects.get(user=account)
    assert record.sending_organisation is not None and record.certificates.exists()
    assert Invitation.objects.filter(participant=record, used_at__isnull=False).exists()
    waiting = Invitation.objects.filter(used_at__isnull=True, voided_at__isnull=True)
    assert waiting.count() == 1 and waiting.get().participant.user_id is None
    client = Client()
    assert client.login(username=cast.LPK_PARTICIPANT, password=cast.DEFAULT_PASSWORD)
    assert record.full_name in client.get("/peserta/saya/").content.decode()
    seed(300)  # a second run adds nothing
    assert Invitation.objects.count() == 2


@pytest.mark.django_db
def test_the_demo_has_identity_cards_waiting_in_the_verification_queue() -> None:
    from django.test import Client

    from jembatan.documents.models import Document

    seed(300)
    waiting = Document.objects.filter(status="pending", kind="id_card")
    assert waiting.count() == 3 and {d.content_type for d in waiting} == {"image/png"}
    client = Client()
    assert client.login(username="demo-officer", password=cast.DEFAULT_PASSWORD)
    queue = client.get("/dokumen/").content.decode()
    assert all(f'data-testid="review-{d.pk}"' in queue for d in waiting)
    # Beside them, only verified papers: the departure ready to confirm, and the selection
    # papers of the candidates the demo's shortlist puts forward.
    others = Document.objects.exclude(kind="id_card")
    assert {d.status for d in others} == {"verified"}
    assert {"passport", "apprenticeship_agreement", "medical"} <= {d.kind for d in others}
    assert {d.kind for d in others} <= {
        "passport",
        "apprenticeship_agreement",
        "medical",
        "police_record",
        "language_certificate",
        "competency_certificate",
    }
    held = Document.objects.count()
    seed(300)
    assert Document.objects.count() == held
