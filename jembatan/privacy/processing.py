"""The record of processing activities (UU PDP art. 31), declared in code beside the models.

Each :class:`Activity` says what the programme collects (data categories), why
(purpose), on which legal basis (art. 20(2)), who sees it, how long it is kept,
whether it goes abroad, and which models hold it. The page
``/data-pribadi/pemrosesan/`` renders these declarations in Indonesian and
English, and ``tests/test_processing.py`` fails when a model holding personal
data (:func:`holds_personal_data`) is in no activity: a new model with personal
data is declared here before it ships.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Text = str | Promise


class LegalBasis(models.TextChoices):
    """The grounds of UU PDP art. 20(2) for processing personal data."""

    CONSENT = "consent", _("The person's consent (UU PDP art. 20(2)(a))")
    CONTRACT = "contract", _("An agreement with the person (art. 20(2)(b))")
    LEGAL_OBLIGATION = "legal_obligation", _("A legal obligation of the ministry (art. 20(2)(c))")
    PUBLIC_TASK = (
        "public_task",
        _(
            "The ministry's public task and authority under the law (art. 20(2)(e)): "
            "Permenakertrans PER.08/MEN/V/2008 on overseas apprenticeship"
        ),
    )


@dataclass(frozen=True)
class Category:
    """A kind of personal data; ``specific`` ones are sensitive data (UU PDP art. 4(2))."""

    code: str
    label: Text
    specific: bool = False


CATEGORIES = (
    Category("identity", _("Identity: NIK, name, sex, place and date of birth")),
    Category("contact", _("Address, phone number and e-mail")),
    Category("emergency_contact", _("Emergency contact: a relative's name and phone")),
    Category("passport", _("Passport number and validity")),
    Category("education", _("Education")),
    Category("marital_status", _("Marital status, only where a job order lawfully requires it")),
    Category("journey", _("Stage in the programme and its history")),
    Category("consent", _("Consents given and withdrawn, and transfers abroad")),
    Category("documents", _("Scans of identity and civil documents, diplomas, permissions")),
    Category("health", _("Health: medical check results"), specific=True),
    Category("criminal_record", _("Police record (SKCK)"), specific=True),
    Category("training", _("Training, attendance, assessments and certificates")),
    Category("language", _("Language test results")),
    Category("selection", _("Selection scores, rankings and interview decisions")),
    Category("matching", _("Job choices and matching results")),
    Category("placement", _("Placement with a partner abroad")),
    Category(
        "stay_abroad",
        _("The stay abroad: contract, visa, flight, host company, reports and check-ins"),
    ),
    Category("account", _("Sign-in account: user name, e-mail, language")),
    Category("activity", _("What an account changed or read, when, and from which address")),
    Category("rights", _("Requests about one's own data, their outcomes and restrictions")),
    Category("breach", _("Whether one's data were affected by a breach")),
    Category("organisation_contact", _("Contact persons and trainers: name, position, phone")),
    Category(
        "protection_case",
        _(
            "Protection cases: what happened to the person (violence, harassment, exploitation, "
            "health), who reported it, the messages, files and referrals"
        ),
        specific=True,
    ),
)
CATEGORY_CODES = frozenset(c.code for c in CATEGORIES)


@dataclass(frozen=True)
class Activity:
    """One processing activity of the programme, as the record of processing lists it."""

    code: str
    name: Text
    purpose: Text
    bases: tuple[LegalBasis, ...]
    categories: tuple[str, ...]
    subjects: Text
    recipients: Text
    retention: Text
    models: tuple[str, ...]
    abroad: Text = ""

    def category_list(self) -> list[Category]:
        """The declared categories, in the order of :data:`CATEGORIES`."""
        return [c for c in CATEGORIES if c.code in self.categories]


PARTICIPANTS = _("Candidates and apprentices of the programme")
WHILE_TAKING_PART = _(
    "As long as the person takes part in the programme. Afterwards the record is kept for "
    "people who departed or hold a certificate, and anonymised on request for others "
    "(the retention rules of the personal-data pages)."
)

ACTIVITIES = (
    Activity(
        code="registry",
        name=_("Registering candidates and following their journey"),
        purpose=_(
            "Register candidates for overseas apprenticeship, check their identity against the "
            "NIK rules, find duplicate records, record each step of their journey and invite "
            "them to sign in; read spreadsheets of candidates sent by organisations."
        ),
        bases=(LegalBasis.CONSENT, LegalBasis.PUBLIC_TASK),
        categories=(
            "identity",
            "contact",
            "emergency_contact",
            "passport",
            "education",
            "marital_status",
            "journey",
        ),
        subjects=PARTICIPANTS,
        recipients=_(
            "Officers of the ministry and of the person's province; the sending organisation "
            "and the training centre that work with the person; partners abroad see only what "
            "a placement needs (name, sex, age, education, results, a masked NIK)."
        ),
        retention=WHILE_TAKING_PART,
        models=(
            "participants.Participant",
            "participants.ParticipantStatusChange",
            "participants.DuplicateFlag",
            "participants.Invitation",
            "core.ImportJob",
        ),
    ),
    Activity(
        code="consents",
        name=_("Consents and transfers of full records abroad"),
        purpose=_(
            "Keep proof of what each person agreed to, in which version and language, and "
            "record each hand-over of a full record to a partner abroad with its purpose."
        ),
        bases=(LegalBasis.CONSENT,),
        categories=("consent",),
        subjects=PARTICIPANTS,
        recipients=_("Officers and the sending organisation; the person on their own page."),
        retention=_("As long as the record it proves is kept."),
        models=("participants.Consent", "participants.DataTransfer", "privacy.NoticeConfirmation"),
        abroad=_(
            "To the partner named in each recorded transfer, only while the person's consent "
            "to the transfer abroad stands (UU PDP art. 56)."
        ),
    ),
    Activity(
        code="documents",
        name=_("Checking documents"),
        purpose=_(
            "Receive the documents each route requires and let officers verify them before "
            "training, selection and departure."
        ),
        bases=(LegalBasis.CONSENT, LegalBasis.PUBLIC_TASK),
        categories=("documents", "health", "criminal_record"),
        subjects=PARTICIPANTS,
        recipients=_(
            "Officers, the sending organisation and the person; every opening of a file is logged."
        ),
        retention=_("As the registry record; the files are removed when the record is anonymised."),
        models=("documents.Document",),
    ),
    Activity(
        code="training",
        name=_("Training, assessment and certification"),
        purpose=_(
            "Enrol participants in training batches, record attendance, assessments and "
            "language results, and issue certificates that anyone can verify."
        ),
        bases=(LegalBasis.PUBLIC_TASK,),
        categories=("training", "language"),
        subjects=PARTICIPANTS,
        recipients=_(
            "The training centre, officers, the sending organisation; the public sees whether "
            "a certificate number is genuine."
        ),
        retention=_("Certificates and what they rest on are kept; the rest as the registry."),
        models=(
            "training.Enrolment",
            "training.Attendance",
            "training.Assessment",
            "training.LanguageResult",
            "training.Certificate",
        ),
    ),
    Activity(
        code="selection",
        name=_("Selection rounds"),
        purpose=_(
            "Score candidates stage by stage, rank them, shortlist them for interviews and "
            "report selection rates by sex, region and age band."
        ),
        bases=(LegalBasis.PUBLIC_TASK,),
        categories=("selection",),
        subjects=PARTICIPANTS,
        recipients=_(
            "Officers and examiners of the round; the partner sees its shortlist. Each round "
            "has an impact assessment (UU PDP art. 34)."
        ),
        retention=WHILE_TAKING_PART,
        models=("selection.Candidacy", "selection.Score", "selection.ShortlistEntry"),
    ),
    Activity(
        code="matching",
        name=_("Matching candidates to job orders"),
        purpose=_(
            "Match selected candidates to job orders from their choices, ranks and "
            "requirements, and explain each result in words."
        ),
        bases=(LegalBasis.PUBLIC_TASK,),
        categories=("matching",),
        subjects=PARTICIPANTS,
        recipients=_(
            "National officers who run and approve matching; the person sees their own "
            "result and may object to it (UU PDP art. 10)."
        ),
        retention=WHILE_TAKING_PART,
        models=("matching.CandidatePreference", "matching.RunOutcome"),
    ),
    Activity(
        code="placements",
        name=_("Placements with partners abroad"),
        purpose=_("Offer matched candidates to the partner, who confirms or declines."),
        bases=(LegalBasis.PUBLIC_TASK, LegalBasis.CONTRACT),
        categories=("placement", "identity", "education", "training", "language"),
        subjects=PARTICIPANTS,
        recipients=_("The partner abroad of the job order; officers."),
        retention=WHILE_TAKING_PART,
        models=("demand.Placement",),
        abroad=_(
            "The partner abroad sees what a placement needs; the full record only after a "
            "recorded transfer (see consents)."
        ),
    ),
    Activity(
        code="deployment",
        name=_("Departure and the stay abroad"),
        purpose=_(
            "Prepare each departure against its hard gates (contract, visa, medical check, "
            "insurance, passport, flight), know where every apprentice is and with which host "
            "company, and follow the monitoring reports and check-ins so that nobody goes silent."
        ),
        bases=(LegalBasis.PUBLIC_TASK, LegalBasis.CONTRACT),
        categories=("stay_abroad", "identity", "passport", "health", "placement"),
        subjects=PARTICIPANTS,
        recipients=_(
            "Officers, the sending organisation, the partner and supervising organisation "
            "abroad; the person on their own page."
        ),
        retention=WHILE_TAKING_PART,
        models=(
            "deployment.Deployment",
            "deployment.Contract",
            "deployment.PreDepartureStep",
            "deployment.StayStage",
            "deployment.MonitoringReport",
            "deployment.MonitoringAlert",
            "deployment.DeploymentEvent",
        ),
        abroad=_(
            "The partner and the supervising organisation abroad see the apprentices placed "
            "with them; a flight manifest shows a masked passport unless a transfer is recorded."
        ),
    ),
    Activity(
        code="protection",
        name=_("Protection cases"),
        purpose=_(
            "Receive complaints of discrimination, violence, harassment, exploitation and other "
            "harm from apprentices, their families, organisations or anyone anonymously; handle "
            "each within its deadline, escalate what is overdue, refer it abroad, and weigh what "
            "is found on the sending organisation's licence."
        ),
        bases=(LegalBasis.LEGAL_OBLIGATION, LegalBasis.PUBLIC_TASK),
        categories=("protection_case", "identity", "contact", "stay_abroad", "health"),
        subjects=_(
            "Apprentices concerned by a case and the people who report it (who may stay anonymous)"
        ),
        recipients=_(
            "The officer who owns the case and the officers of its level, national "
            "administrators and auditors; never the organisation a case is about, which never "
            "learns who reported it. The reporter reads the public replies and the outcome."
        ),
        retention=_(
            "Ten years after the case is closed (the retention schedule), then the narrative and "
            "the people's details are anonymised."
        ),
        models=(
            "protection.Case",
            "protection.CaseEvent",
            "protection.CaseAttachment",
            "protection.Referral",
            "protection.SanctionCase",
        ),
        abroad=_(
            "A referral to the embassy, the partner or the foreign supervisory body shares what "
            "the officer writes in it, for the apprentice's protection (UU PDP art. 56)."
        ),
    ),
    Activity(
        code="accounts",
        name=_("Sign-in accounts"),
        purpose=_("Let officials, operators, partners and participants sign in with one role."),
        bases=(LegalBasis.PUBLIC_TASK,),
        categories=("account",),
        subjects=_("Everyone who signs in"),
        recipients=_("National administrators."),
        retention=_(
            "As long as the account is in use; a participant's account is closed when their "
            "record is anonymised."
        ),
        models=("accounts.User",),
    ),
    Activity(
        code="audit",
        name=_("The audit trail: changes and reads"),
        purpose=_(
            "Record who changed which record and how, and who read personal data, when and "
            "why, so that every processing can be accounted for (UU PDP art. 31)."
        ),
        bases=(LegalBasis.LEGAL_OBLIGATION,),
        categories=("activity",),
        subjects=_("Everyone whose record is processed, and everyone who acts"),
        recipients=_(
            "National administrators and auditors; each person sees the trail about them in "
            "their data export."
        ),
        retention=_(
            "Without an end date: the trail is append-only, so earlier values of a corrected "
            "or anonymised record stay in it."
        ),
        models=("core.ChangeRecord", "core.AccessLog"),
    ),
    Activity(
        code="organisations",
        name=_("Organisations, their contact persons and trainers"),
        purpose=_(
            "License sending organisations, keep in touch with organisations and record who "
            "teaches each training batch."
        ),
        bases=(LegalBasis.PUBLIC_TASK,),
        categories=("organisation_contact",),
        subjects=_("Contact persons of organisations and trainers"),
        recipients=_("Officers; the organisation itself."),
        retention=_("As long as the organisation takes part; contacts are archived, not deleted."),
        models=("organisations.Organisation", "organisations.ContactPerson", "training.Trainer"),
    ),
    Activity(
        code="rights",
        name=_("People's requests about their own data"),
        purpose=_(
            "Hand each person their data, and correct, delete, restrict or stop processing it "
            "on their request, within the time limits of the law (UU PDP art. 6 to 14)."
        ),
        bases=(LegalBasis.LEGAL_OBLIGATION,),
        categories=("rights",),
        subjects=PARTICIPANTS,
        recipients=_("Officers of the person's province and national officers; the person."),
        retention=_("As long as the record they concern."),
        models=(
            "documents.PersonalDataExport",
            "privacy.RightsRequest",
            "privacy.ProcessingRestriction",
            "privacy.RetentionErasure",
        ),
    ),
    Activity(
        code="breaches",
        name=_("The register of personal-data breaches"),
        purpose=_(
            "Record each failure of protection, find the people it affected from the access "
            "log and notify them and the institution within 3 × 24 hours (UU PDP art. 46)."
        ),
        bases=(LegalBasis.LEGAL_OBLIGATION,),
        categories=("breach",),
        subjects=PARTICIPANTS,
        recipients=_("National administrators and auditors; the people affected are told."),
        retention=_("Without an end date."),
        models=("privacy.Breach", "privacy.BreachAffected"),
    ),
)

# Field names that are personal data wherever they appear.
PERSONAL_FIELDS = frozenset(
    {"nik", "full_name", "email", "phone", "birth_date", "address", "passport_number", "ip_address"}
)
SUBJECT_MODELS = frozenset({"participants.Participant", "accounts.User"})


def _points_at(model: type[models.Model], labels: set[str]) -> bool:
    return any(
        isinstance(f.related_model, type) and f.related_model._meta.label in labels
        for f in model._meta.concrete_fields
    )


def holds_personal_data() -> list[str]:
    """Every model of Jembatan that holds personal data, by label.

    A person's own record (a participant, a user), any field named as personal
    data (NIK, name, e-mail, phone, birth date, address, passport, IP address),
    a record about a participant, and a record about such a record (a score of
    a candidacy, the attendance of an enrolment).
    """
    own = [m for m in apps.get_models() if m.__module__.startswith("jembatan.")]
    direct = {m._meta.label for m in own if _points_at(m, {"participants.Participant"})}
    found = set(SUBJECT_MODELS) | direct
    for model in own:
        names = {f.name for f in model._meta.concrete_fields}
        if names & PERSONAL_FIELDS or _points_at(model, direct - {"participants.Participant"}):
            found.add(model._meta.label)
    return sorted(found)


def declared_models() -> dict[str, Activity]:
    """Each declared model's activity (a model in two activities keeps the first)."""
    declared: dict[str, Activity] = {}
    for activity in ACTIVITIES:
        for label in activity.models:
            declared.setdefault(label, activity)
    return declared


def undeclared() -> list[str]:
    """Models holding personal data that no activity declares (the record must have none)."""
    declared = declared_models()
    return [label for label in holds_personal_data() if label not in declared]
