"""The Django admin never goes around the records: it writes nothing and logs its reads.

The walk covers every ModelAdmin on ``admin.site``. For each it makes one record
(``MAKERS``, built with the apps' factories and samples), then, signed in as a
superuser: the list and the change page answer 200 and leave the access-log rows
the admin promises; a change POSTed to the change page (one a writable admin
would have saved) is refused and changes nothing; the add page, the delete page
and the "delete selected" action are refused.

Registering a model means adding a maker here: the walk fails, naming the
model, until it can make one. Registering it without ``ReadOnlyAdmin`` fails
the walk and the site check.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import models
from django.http import HttpRequest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from jembatan.accounts.factories import DEFAULT_PASSWORD, UserFactory
from jembatan.accounts.models import User
from jembatan.core.admin import ReadOnlyAdmin, ReadOnlyInline, check_admin_site, unrecorded_admins
from jembatan.core.audit import snapshot
from jembatan.core.models import AccessLog, ChangeRecord
from jembatan.core.roles import Role
from jembatan.demand.factories import FeeRuleFactory, JobOrderFactory, PlacementFactory
from jembatan.deployment.models import (
    Contract,
    Deployment,
    DeploymentEvent,
    MonitoringAlert,
    MonitoringReport,
    PreDepartureStep,
    StayStage,
)
from jembatan.deployment.tests.samples import deployment_world
from jembatan.matching.factories import CandidatePreferenceFactory
from jembatan.matching.models import MatchingRun, RunOutcome
from jembatan.matching.tests.samples import finished_run_pk
from jembatan.organisations.tests.samples import contact_pk, decision_pk
from jembatan.participants.models import Consent, Participant
from jembatan.protection.models import Case, CaseAttachment, CaseEvent, Referral
from jembatan.protection.tests.samples import protection_world
from jembatan.selection.models import ImpactAssessment, Score, Shortlist, ShortlistEntry
from jembatan.selection.tests.samples import _shortlist_world
from jembatan.selection.tests.samples import _world as selection_world
from jembatan.training.tests.samples import _world as training_world

pytestmark = pytest.mark.django_db

Maker = Callable[[pytest.FixtureRequest], models.Model]


def _fixture(name: str) -> Maker:
    return lambda request: request.getfixturevalue(name)


def _first(model_label: str) -> Maker:
    """The first record of reference data the migrations load."""

    def make(request: pytest.FixtureRequest) -> models.Model:
        from django.apps import apps

        found = apps.get_model(model_label).objects.order_by("pk").first()
        assert found is not None, f"the migrations load no {model_label}"
        return found

    return make


def _by_pk(model_label: str, pk_of: Callable[[pytest.FixtureRequest], int]) -> Maker:
    def make(request: pytest.FixtureRequest) -> models.Model:
        from django.apps import apps

        return apps.get_model(model_label).objects.get(pk=pk_of(request))

    return make


def _from_world(
    model_label: str, world: Callable[[pytest.FixtureRequest], dict[str, Any]], key: str
) -> Maker:
    return _by_pk(model_label, lambda request: world(request)[key])


def _licence_reminder(request: pytest.FixtureRequest) -> models.Model:
    from jembatan.organisations.models import LicenceReminder

    licence = request.getfixturevalue("lpk_a").licences.get()
    return LicenceReminder.objects.create(
        licence=licence, days_before=90, valid_to=licence.valid_to, recipients=["a@example.id"]
    )


def _status_change(request: pytest.FixtureRequest) -> models.Model:
    from jembatan.participants.models import JourneyStatus, ParticipantStatusChange

    return ParticipantStatusChange.objects.create(
        participant=request.getfixturevalue("participant_jateng"),
        from_status=JourneyStatus.REGISTERED,
        to_status=JourneyStatus.VERIFIED,
        at=timezone.now(),
        by_label="oki",
    )


def _consent(request: pytest.FixtureRequest) -> models.Model:
    from jembatan.participants.models import Consent, ConsentPurpose, ConsentText

    text = ConsentText.objects.filter(purpose=ConsentPurpose.PRIVACY_NOTICE).first()
    assert text is not None
    return Consent.objects.create(
        participant=request.getfixturevalue("participant_jateng"),
        purpose=ConsentPurpose.PRIVACY_NOTICE,
        text=text,
        language="id",
        agreed_at=timezone.now(),
    )


def _duplicate_flag(request: pytest.FixtureRequest) -> models.Model:
    from jembatan.participants.models import DuplicateFlag

    return DuplicateFlag.objects.create(
        participant=request.getfixturevalue("participant_jateng"),
        candidate=request.getfixturevalue("participant_jatim"),
        reason="same_name_and_birth_date",
        created_at=timezone.now(),
    )


def _document(request: pytest.FixtureRequest) -> models.Model:
    from jembatan.documents.models import Document, DocumentKind, DocumentRequirement

    request.getfixturevalue("settings").MEDIA_ROOT = request.getfixturevalue("tmp_path")
    content = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    requirement = DocumentRequirement.objects.filter(kind=DocumentKind.ID_CARD).first()
    assert requirement is not None
    return Document.objects.create(
        participant=request.getfixturevalue("participant_jateng"),
        requirement=requirement,
        kind=DocumentKind.ID_CARD,
        file=ContentFile(content, name="ktp.pdf"),
        original_name="ktp.pdf",
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        content_type="application/pdf",
        uploaded_by=request.getfixturevalue("sender_operator"),
        uploaded_at=timezone.now(),
    )


def _personal_data_export(request: pytest.FixtureRequest) -> models.Model:
    from jembatan.documents.models import PersonalDataExport

    return PersonalDataExport.objects.create(
        participant=request.getfixturevalue("participant_jateng"),
        requested_by=request.getfixturevalue("national_officer"),
        reason="Request of the data subject.",
        format="json",
        language="id",
        sha256="0" * 64,
        at=timezone.now(),
    )


def _target(request: pytest.FixtureRequest) -> models.Model:
    from jembatan.demand.models import Target

    return Target.objects.create(
        year=2026, partner=request.getfixturevalue("im_japan"), number=120, stage="departed"
    )


def _score(request: pytest.FixtureRequest) -> models.Model:
    world = selection_world(request)
    return Score.objects.create(
        candidacy_id=world["candidacy_pk"],
        stage_id=world["stage_pk"],
        value=80,
        passed=True,
        source="page",
        entered_by=request.getfixturevalue("national_officer"),
        entered_at=timezone.now(),
    )


def _certificate_series(request: pytest.FixtureRequest) -> models.Model:
    from jembatan.training.models import CertificateSeries

    training_world(request)  # issuing the sample certificate opens this year's series
    found = CertificateSeries.objects.first()
    assert found is not None
    return found


def _task_result(request: pytest.FixtureRequest) -> models.Model:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {"job_id": 1}},
        task_path="jembatan.participants.tasks.run_import",
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    )


def _abroad(request: pytest.FixtureRequest) -> Deployment:
    return Deployment.objects.get(pk=deployment_world(request)["pk"])


def _report(request: pytest.FixtureRequest) -> models.Model:
    deployment = _abroad(request)
    return MonitoringReport.objects.create(
        deployment=deployment,
        kind="sender",
        period=1,
        covers_until=timezone.localdate(),
        wellbeing="well",
        submitted_at=timezone.now(),
        submitted_by=request.getfixturevalue("sender_operator"),
    )


def _alert(request: pytest.FixtureRequest) -> models.Model:
    return MonitoringAlert.objects.create(
        deployment=_abroad(request),
        kind="sender",
        due_on=timezone.localdate() - dt.timedelta(days=10),
        raised_at=timezone.now(),
        raised_on=timezone.localdate(),
    )


def _event(request: pytest.FixtureRequest) -> models.Model:
    officer = request.getfixturevalue("national_officer")
    return DeploymentEvent.objects.create(
        deployment=_abroad(request),
        action="arrive",
        from_status="departed",
        to_status="in_placement",
        happened_on=timezone.localdate(),
        recorded_at=timezone.now(),
        by=officer,
        by_label=officer.username,
    )


def _case_event(request: pytest.FixtureRequest) -> CaseEvent:
    case = Case.objects.get(code=protection_world(request)["code"])
    return CaseEvent.objects.create(
        case=case, kind="note", at=timezone.now(), message="Called the partner.", by_label="oki"
    )


MAKERS: dict[str, Maker] = {
    "deployment.Deployment": _abroad,
    "deployment.Contract": lambda request: Contract.objects.get(deployment=_abroad(request)),
    "deployment.PreDepartureStep": lambda request: PreDepartureStep.objects.filter(
        deployment=_abroad(request)
    ).first(),
    "deployment.StayStage": lambda request: StayStage.objects.get(
        pk=deployment_world(request)["stage_pk"]
    ),
    "deployment.MonitoringReport": _report,
    "deployment.MonitoringAlert": _alert,
    "deployment.DeploymentEvent": _event,
    "protection.Case": lambda request: Case.objects.get(code=protection_world(request)["code"]),
    "protection.CaseEvent": _case_event,
    "protection.Referral": lambda request: Referral.objects.get(
        pk=protection_world(request)["referral_pk"]
    ),
    "protection.CaseAttachment": lambda request: CaseAttachment.objects.get(
        pk=protection_world(request)["attachment_pk"]
    ),
    "django_tasks_database.DBTaskResult": _task_result,
    "organisations.Organisation": _fixture("lpk_a"),
    "organisations.ContactPerson": _by_pk("organisations.ContactPerson", contact_pk),
    "organisations.Licence": lambda request: request.getfixturevalue("lpk_a").licences.get(),
    "organisations.LicenceDecision": _by_pk("organisations.LicenceDecision", decision_pk),
    "organisations.LicenceReminder": _licence_reminder,
    "participants.Participant": _fixture("participant_jateng"),
    "participants.ConsentText": _first("participants.ConsentText"),
    "participants.ParticipantStatusChange": _status_change,
    "participants.Consent": _consent,
    "participants.DuplicateFlag": _duplicate_flag,
    "documents.DocumentRequirement": _first("documents.DocumentRequirement"),
    "documents.Document": _document,
    "documents.PersonalDataExport": _personal_data_export,
    "demand.JobOrder": lambda request: JobOrderFactory(partner=request.getfixturevalue("im_japan")),
    "demand.Placement": lambda request: PlacementFactory(
        participant=request.getfixturevalue("participant_jateng")
    ),
    "demand.Target": _target,
    "demand.FeeRule": lambda request: FeeRuleFactory(),
    "training.CompetencyUnit": _from_world("training.CompetencyUnit", training_world, "unit_pk"),
    "training.Programme": _from_world("training.Programme", training_world, "programme_pk"),
    "training.Batch": _from_world("training.Batch", training_world, "batch_pk"),
    "training.Enrolment": _from_world("training.Enrolment", training_world, "enrolment_pk"),
    "training.Certificate": _from_world("training.Certificate", training_world, "certificate_pk"),
    "training.CertificateSeries": _certificate_series,
    "selection.StageType": _first("selection.StageType"),
    "selection.SelectionRound": _from_world(
        "selection.SelectionRound", selection_world, "round_pk"
    ),
    "selection.RoundStage": _from_world("selection.RoundStage", selection_world, "stage_pk"),
    "selection.ImpactAssessment": lambda request: ImpactAssessment.objects.get(
        round_id=selection_world(request)["round_pk"]
    ),
    "selection.Candidacy": _from_world("selection.Candidacy", selection_world, "candidacy_pk"),
    "selection.Score": _score,
    "selection.Shortlist": lambda request: Shortlist.objects.get(
        pk=_shortlist_world(request)["shortlist_pk"]
    ),
    "selection.ShortlistEntry": lambda request: ShortlistEntry.objects.get(
        pk=_shortlist_world(request)["entry_pk"]
    ),
    "matching.MatchingRun": lambda request: MatchingRun.objects.get(pk=finished_run_pk(request)),
    "matching.RunOutcome": lambda request: RunOutcome.objects.get(run_id=finished_run_pk(request)),
    "matching.CandidatePreference": lambda request: CandidatePreferenceFactory(
        participant=request.getfixturevalue("participant_jateng"),
        rank=1,
        job_order=JobOrderFactory(partner=request.getfixturevalue("im_japan"), approved=True),
    ),
}

# Lists whose rows name or point at people: each view of them must be logged.
PERSONAL_DATA_LISTS = {
    "organisations.ContactPerson",
    "participants.Participant",
    "participants.ParticipantStatusChange",
    "participants.Consent",
    "participants.DuplicateFlag",
    "documents.Document",
    "documents.PersonalDataExport",
    "demand.Placement",
    "training.Enrolment",
    "training.Certificate",
    "selection.Candidacy",
    "selection.Score",
    "selection.ShortlistEntry",
    "matching.RunOutcome",
    "matching.CandidatePreference",
}

REGISTERED = sorted(model._meta.label for model in admin.site._registry)


def _model_admin(label: str) -> admin.ModelAdmin[Any]:
    return next(ma for m, ma in admin.site._registry.items() if m._meta.label == label)


def _url(label: str, page: str, *args: Any) -> str:
    opts = _model_admin(label).opts
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{page}", args=args)


@pytest.fixture
def root(db: None) -> User:
    return User.objects.create_superuser(
        "root", "root@example.id", DEFAULT_PASSWORD, role=Role.NATIONAL_ADMIN
    )


@pytest.fixture
def root_client(root: User) -> Client:
    client = Client()
    client.force_login(root)
    return client


@pytest.fixture(params=REGISTERED)
def record(request: pytest.FixtureRequest) -> models.Model:
    """One record of the registered model the test is parametrized with."""
    label = request.param
    assert label in MAKERS, f"The admin walk cannot make a {label}: add it to MAKERS."
    made = MAKERS[label](request)
    assert made._meta.label == label
    return made


def _reads(root: User) -> list[tuple[str, str, str, str]]:
    rows = AccessLog.objects.filter(actor=root).order_by("id")
    return [(a.purpose, a.method, a.path, a.object_id) for a in rows]


def _purpose(instance: models.Model, page: str) -> str:
    return f"admin.{instance._meta.app_label}.{instance._meta.model_name}.{page}"


# --- every registered admin -------------------------------------------------------------


def test_every_registered_admin_is_read_only() -> None:
    assert not unrecorded_admins(admin.site)
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, ReadOnlyAdmin), model._meta.label


def test_every_list_naming_people_is_logged() -> None:
    for label in PERSONAL_DATA_LISTS:
        assert label in REGISTERED, label
        assert getattr(_model_admin(label), "lists_personal_data", False), label


def test_the_change_page_answers_and_logs_the_read(
    root: User, root_client: Client, record: models.Model
) -> None:
    url = _url(record._meta.label, "change", record.pk)
    response = root_client.get(url)
    assert response.status_code == 200
    assert _reads(root) == [(_purpose(record, "change"), "GET", url, str(record.pk))]
    log = AccessLog.objects.get(actor=root)
    assert log.content_type is not None
    assert log.content_type.model_class() is type(record)


def test_the_list_answers_and_logs_the_read_when_it_names_people(
    root: User, root_client: Client, record: models.Model
) -> None:
    url = _url(record._meta.label, "changelist") + "?o=1"
    response = root_client.get(url)
    assert response.status_code == 200
    model_admin = _model_admin(record._meta.label)
    expected = [(_purpose(record, "changelist"), "GET", url, "")]
    assert _reads(root) == (expected if getattr(model_admin, "lists_personal_data", True) else [])


def test_the_history_page_logs_the_read(
    root: User, root_client: Client, record: models.Model
) -> None:
    url = _url(record._meta.label, "history", record.pk)
    assert root_client.get(url).status_code == 200
    assert _reads(root) == [(_purpose(record, "history"), "GET", url, str(record.pk))]


def _constrained(model: type[models.Model]) -> set[str]:
    """Fields that take part in a unique constraint (changing them may clash)."""
    names = {f.name for f in model._meta.concrete_fields if f.unique}
    for together in model._meta.unique_together:
        names.update(together)
    for constraint in model._meta.constraints:
        names.update(getattr(constraint, "fields", ()))
    return names


def _field_to_change(form: forms.ModelForm[Any], model: type[models.Model]) -> str:
    """An editable field of ``model`` to change: free text, else a number, else a date.

    Fields under a unique constraint come last (one record cannot clash with itself).
    """
    fields = [model._meta.get_field(name) for name in form.fields]
    kinds = (
        lambda f: (
            isinstance(f, models.CharField | models.TextField)
            and not isinstance(f, models.SlugField)
        ),
        lambda f: isinstance(f, models.IntegerField | models.DecimalField),
        lambda f: isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField),
    )
    constrained = _constrained(model)
    for free in (True, False):
        for kind in kinds:
            for field in fields:
                if kind(field) and not field.choices and (field.name in constrained) != free:
                    return str(field.name)
    raise AssertionError(f"{model._meta.label} has no field to change")


def _changed(value: Any) -> Any:
    """A different value of the same kind."""
    if isinstance(value, dt.date):
        return value + dt.timedelta(days=1)
    if isinstance(value, int | Decimal):
        return value + 1
    if value is None:
        return 1
    return str(value)[:20] + ("Y" if str(value).endswith("X") else "X")


def _post_data(form: forms.ModelForm[Any]) -> dict[str, Any]:
    """What a browser would send back for ``form`` unchanged."""
    data: dict[str, Any] = {}
    for bound in form:
        widget, value = bound.field.widget, bound.value()
        if isinstance(widget, forms.MultiWidget):
            parts = widget.decompress(value)
            for i, (sub, part) in enumerate(zip(widget.widgets, parts, strict=True)):
                data[f"{bound.html_name}_{i}"] = sub.format_value(part) or ""
        elif isinstance(widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(widget, forms.FileInput):
            continue
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        elif isinstance(widget, forms.Select):
            data[bound.html_name] = "" if value is None else str(value)
        elif value is not None:
            data[bound.html_name] = widget.format_value(value) or ""
    return data


def _accepted_change(record: models.Model, root: User) -> dict[str, Any]:
    """POST data for ``record``'s change page with one field changed.

    The changed field alone passes a writable admin's form for that field: a
    writable admin would have saved it.
    """
    model = type(record)
    request: HttpRequest = RequestFactory().get("/")
    request.user = root
    full_form = admin.ModelAdmin(model, admin.AdminSite()).get_form(request, record, change=True)
    data = _post_data(full_form(instance=record))
    form = full_form(instance=record)
    name = _field_to_change(form, model)
    data[name] = form[name].field.widget.format_value(_changed(getattr(record, name)))
    writable = type("Writable", (admin.ModelAdmin,), {"fields": [name]})(model, admin.AdminSite())
    one_field = writable.get_form(request, record, change=True)
    check = one_field(data, instance=model.objects.get(pk=record.pk))
    assert check.is_valid(), check.errors
    assert check.has_changed()
    return data


def test_a_change_posted_to_the_change_page_is_refused_and_changes_nothing(
    root: User, root_client: Client, record: models.Model
) -> None:
    data = _accepted_change(record, root)
    before = snapshot(type(record).objects.get(pk=record.pk))
    counts = (ChangeRecord.objects.count(), LogEntry.objects.count(), AccessLog.objects.count())

    response = root_client.post(_url(record._meta.label, "change", record.pk), data)

    assert response.status_code == 403
    assert snapshot(type(record).objects.get(pk=record.pk)) == before
    after = (ChangeRecord.objects.count(), LogEntry.objects.count(), AccessLog.objects.count())
    assert after == counts


def test_the_add_page_is_refused(root_client: Client, record: models.Model) -> None:
    count = type(record).objects.count()
    url = _url(record._meta.label, "add")
    assert root_client.get(url).status_code == 403
    assert root_client.post(url, {}).status_code == 403
    assert type(record).objects.count() == count


def test_the_delete_page_is_refused(root_client: Client, record: models.Model) -> None:
    url = _url(record._meta.label, "delete", record.pk)
    assert root_client.get(url).status_code == 403
    assert root_client.post(url, {"post": "yes"}).status_code == 403
    assert type(record).objects.filter(pk=record.pk).exists()


def test_no_action_is_offered_and_delete_selected_deletes_nothing(
    root: User, root_client: Client, record: models.Model
) -> None:
    request: HttpRequest = RequestFactory().get("/")
    request.user = root
    assert _model_admin(record._meta.label).get_actions(request) == {}
    data = {"action": "delete_selected", "_selected_action": [str(record.pk)], "post": "yes"}
    root_client.post(_url(record._meta.label, "changelist"), data)
    assert type(record).objects.filter(pk=record.pk).exists()
    assert not LogEntry.objects.exists()


# --- what the walk does not reach -------------------------------------------------------


def test_the_autocomplete_search_answers_no_names(
    root_client: Client, participant_jateng: Participant
) -> None:
    query = {
        "app_label": "documents",
        "model_name": "document",
        "field_name": "participant",
        "term": participant_jateng.nik,
    }
    response = root_client.get(reverse("admin:autocomplete"), query)
    assert response.status_code == 404
    assert participant_jateng.full_name.encode() not in response.content


def test_a_staff_member_who_is_no_superuser_is_refused(
    client_for: Callable[[User | None], Client], participant_jateng: Participant
) -> None:
    staff = UserFactory(role=Role.NATIONAL_ADMIN)
    User.objects.filter(pk=staff.pk).update(is_staff=True)
    url = _url("participants.Participant", "change", participant_jateng.pk)
    assert client_for(staff).get(url).status_code == 403
    assert not AccessLog.objects.filter(actor=staff).exists()


def test_the_group_admin_is_gone() -> None:
    """Roles are one field on the user; Django's groups grant nothing in Jembatan."""
    assert Group not in admin.site._registry


# --- the site check ---------------------------------------------------------------------


def test_a_model_registered_without_the_base_class_fails_the_check_and_the_walk() -> None:
    admin.site.register(AccessLog, admin.ModelAdmin)
    try:
        assert unrecorded_admins(admin.site) == ["core.AccessLog: ModelAdmin"]
        assert [error.id for error in check_admin_site()] == ["jembatan.E001"]
    finally:
        admin.site.unregister(AccessLog)
    assert check_admin_site() == []


class ConsentInline(admin.TabularInline[Any, Any]):
    model = Consent


class ReadOnlyConsentInline(ReadOnlyInline):
    model = Consent


def test_a_writable_inline_fails_the_check() -> None:
    site = admin.AdminSite()
    inlines = [ReadOnlyConsentInline, ConsentInline]
    site.register(Participant, type("ParticipantAdmin", (ReadOnlyAdmin,), {"inlines": inlines}))
    assert unrecorded_admins(site) == ["participants.Participant: inline ConsentInline"]


def test_a_read_only_inline_adds_changes_and_deletes_nothing(
    root: User, participant_jateng: Participant
) -> None:
    request: HttpRequest = RequestFactory().get("/")
    request.user = root
    inline = ReadOnlyConsentInline(Participant, admin.site)
    assert not inline.has_add_permission(request, participant_jateng)
    assert not inline.has_change_permission(request, participant_jateng)
    assert not inline.has_delete_permission(request, participant_jateng)
    assert inline.has_view_permission(request, participant_jateng)
