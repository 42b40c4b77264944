"""Organisations of every kind and the licences of those that send apprentices."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jembatan.core import legal_frame
from jembatan.core.legal_frame import OrganiserType

NIB_VALIDATOR = RegexValidator(
    r"^\d{13}$", _("A NIB (Nomor Induk Berusaha) has exactly 13 digits.")
)


class OrganisationKind(models.TextChoices):
    """What an organisation is in the programme."""

    LPK = "lpk", _("Private training institute (LPK)")
    BLK = "blk", _("Public training centre (BLK)")
    SENDING_COMPANY = "sending_company", _("Sending company")
    PARTNER = "partner", _("Partner abroad")
    HOST_COMPANY = "host_company", _("Host company")
    ASSOCIATION = "association", _("Association")
    COOPERATION = "cooperation", _("International cooperation partner")
    LSP = "lsp", _("Professional certification body (LSP, licensed by BNSP)")
    GOVERNMENT_AGENCY = "government_agency", _("Government agency")
    EDUCATION = "education", _("Education institution")
    DISNAKER = "disnaker", _("Regency/city manpower office (Disnaker kabupaten/kota)")


TRAINING_KINDS = frozenset({OrganisationKind.LPK, OrganisationKind.BLK})
# The organiser types of apprenticeship abroad (PER.08/MEN/V/2008, core/data/organiser-types.csv):
# the education institution registers rather than holds a licence.
SENDING_KINDS = frozenset(
    {
        OrganisationKind.LPK,
        OrganisationKind.SENDING_COMPANY,
        OrganisationKind.GOVERNMENT_AGENCY,
        OrganisationKind.EDUCATION,
    }
)


class Organisation(models.Model):
    """An organisation taking part in the programme, at home or abroad."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    country = models.ForeignKey(
        "core.Country", verbose_name=_("country"), on_delete=models.PROTECT, default="ID"
    )
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("regency/city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    province = models.ForeignKey(
        "core.Region",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("member of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    nib = models.CharField(
        _("NIB (business registration number)"),
        max_length=13,
        blank=True,
        validators=[NIB_VALIDATOR],
        help_text=_("Nomor Induk Berusaha from OSS; 13 digits. Leave empty for partners abroad."),
    )
    registration_number = models.CharField(
        _("other registration number"),
        max_length=60,
        blank=True,
        help_text=_(
            "For organisations abroad or without a NIB: the number their own registry uses."
        ),
    )
    # Only for an LSP: the BNSP licence that lets it certify competency (PP 10/2018).
    bnsp_licence_number = models.CharField(
        _("BNSP licence number"),
        max_length=60,
        blank=True,
        help_text=_("For a professional certification body (LSP): its licence from BNSP."),
    )
    bnsp_licence_valid_until = models.DateField(
        _("BNSP licence valid until"), null=True, blank=True
    )
    address = models.TextField(_("address"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    website = models.URLField(_("website"), blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["kind", "name"]), models.Index(fields=["name", "id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["nib"], condition=~Q(nib=""), name="organisation_nib_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def certifies_on(self, day: dt.date) -> bool:
        """An LSP with a BNSP licence valid on ``day`` (competency certificates need one)."""
        return (
            self.kind == OrganisationKind.LSP
            and bool(self.bnsp_licence_number)
            and (self.bnsp_licence_valid_until is None or self.bnsp_licence_valid_until >= day)
        )

    @property
    def may_hold_licence(self) -> bool:
        """Only organisers of apprenticeship abroad hold (and need) a licence or registration."""
        return self.kind in SENDING_KINDS

    @property
    def organiser_type(self) -> OrganiserType | None:
        """What this organisation is as an organiser of apprenticeship abroad, if it is one."""
        return legal_frame.organiser_types().get(self.kind)


class ContactPerson(models.Model):
    """Someone the ministry contacts at an organisation (personal data: never public)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["organisation", "-is_primary", "name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return self.name


class LicenceStatus(models.TextChoices):
    """The lifecycle of a sending licence (domain.md)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    GRANTED = "granted", _("Granted")
    ACTIVE = "active", _("Active")
    RENEWAL = "renewal", _("Renewal in progress")
    EXPIRED = "expired", _("Expired")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    REJECTED = "rejected", _("Rejected")


OPEN_APPLICATION_STATUSES = frozenset(
    {LicenceStatus.DRAFT, LicenceStatus.SUBMITTED, LicenceStatus.UNDER_REVIEW}
)
# An organisation may act only while its licence is in one of these states.
ACTING_STATUSES = frozenset({LicenceStatus.ACTIVE, LicenceStatus.RENEWAL})
# At most one licence per organisation may be in force (or about to be) at once.
IN_FORCE_STATUSES = frozenset(
    {LicenceStatus.GRANTED, LicenceStatus.ACTIVE, LicenceStatus.RENEWAL, LicenceStatus.SUSPENDED}
)


class LicenceType(models.TextChoices):
    """What a licence covers; the scheme's legal frame says which one may send under it."""

    APPRENTICESHIP = (
        "apprenticeship",
        _("Licence to organise apprenticeship abroad (PER.08/MEN/V/2008)"),
    )
    REGISTRATION = (
        "registration",
        _("Registration as an organiser of apprenticeship abroad (education institution)"),
    )
    P3MI = "p3mi", _("Licence to place migrant workers (SIP3MI, UU 18/2017)")


LICENCE_BASIS: dict[str, str] = {
    LicenceType.APPRENTICESHIP: "UU 13/2003 art. 25; Permenakertrans PER.08/MEN/V/2008",
    LicenceType.REGISTRATION: "UU 13/2003 art. 25; Permenakertrans PER.08/MEN/V/2008",
    LicenceType.P3MI: "UU 18/2017; Permenaker 9/2019",
}


class Licence(models.Model):
    """A licence (or registration) to send people abroad: apprenticeship or P3MI placement."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="licences"
    )
    licence_type = models.CharField(
        _("licence type"),
        max_length=20,
        choices=LicenceType.choices,
        default=LicenceType.APPRENTICESHIP,
    )
    number = models.CharField(_("licence number"), max_length=60, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=LicenceStatus.choices, default=LicenceStatus.DRAFT
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    resumes_as = models.CharField(
        _("status after the suspension"),
        max_length=20,
        choices=LicenceStatus.choices,
        blank=True,
        help_text=_("Set while suspended: the status the licence returns to when lifted."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["organisation", "-valid_to"]
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status__in=sorted(IN_FORCE_STATUSES)),
                name="one_licence_in_force_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status__in=sorted(OPEN_APPLICATION_STATUSES)),
                name="one_open_application_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["number"], condition=~Q(number=""), name="licence_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
                name="licence_valid_to_after_valid_from",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"{self.organisation} ({self.get_status_display()})"

    @property
    def basis(self) -> str:
        """The regulation this licence is granted under, for licence pages."""
        return str(LICENCE_BASIS.get(self.licence_type, ""))

    @property
    def lets_organisation_act(self) -> bool:
        """True while this licence allows its organisation to send apprentices."""
        return self.status in ACTING_STATUSES


class LicenceActivity(models.TextChoices):
    """What a licence lets its organisation do; a partial suspension names some of these."""

    REGISTER = "register", _("Recruit and register participants")
    SUBMIT = "submit", _("Submit participants to selection and job orders")
    SEND = "send", _("Send participants abroad")


class DecisionKind(models.TextChoices):
    """The decisions the ministry takes on a licence."""

    GRANT = "grant", _("Licence granted")
    REJECTION = "rejection", _("Application rejected")
    RENEWAL = "renewal", _("Renewal granted")
    RENEWAL_REFUSAL = "renewal_refusal", _("Renewal refused")
    # The sanctions in Indonesian terms, each sourced in core/data/licence-sanctions.csv.
    WARNING = "warning", _("Written warning")
    # The code predates the rename: Indonesia has no "improvement order" (Japan's
    # instrument); this is a written warning that sets a deadline to remedy.
    IMPROVEMENT_ORDER = "improvement_order", _("Written warning with a deadline to remedy")
    SUSPENSION = "suspension", _("Temporary suspension")
    SUSPENSION_LIFT = "suspension_lift", _("Temporary suspension lifted")
    REVOCATION = "revocation", _("Revocation of the licence")


SANCTION_KINDS = frozenset(
    {
        DecisionKind.WARNING,
        DecisionKind.IMPROVEMENT_ORDER,
        DecisionKind.SUSPENSION,
        DecisionKind.REVOCATION,
    }
)
# Decisions the ministry may publish on the public register.
PUBLISHABLE_KINDS = SANCTION_KINDS | {DecisionKind.SUSPENSION_LIFT}


def decision_upload_to(instance: LicenceDecision, filename: str) -> str:
    """Attachments live in the file storage (never the web root), one folder per licence."""
    return f"licence-decisions/{instance.licence_id}/{filename}"


class LicenceDecision(models.Model):
    """One decision on a licence: what, why, who, when; sanctions may be published."""

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(_("decision"), max_length=20, choices=DecisionKind.choices)
    reason = models.TextField(_("reason"))
    attachment = models.FileField(
        _("attachment"), upload_to=decision_upload_to, blank=True, max_length=300
    )
    attachment_public = models.BooleanField(_("attachment is public"), default=False)
    published = models.BooleanField(_("published on the public register"), default=False)
    deadline = models.DateField(_("deadline for improvement"), null=True, blank=True)
    bar_until = models.DateField(_("may not apply again before"), null=True, blank=True)
    suspended_activities = models.JSONField(_("suspended activities"), default=list, blank=True)
    suspended_countries = models.ManyToManyField(
        "core.Country",
        verbose_name=_("suspended destination countries"),
        blank=True,
        related_name="+",
    )
    status_before = models.CharField(_("status before"), max_length=20, blank=True)
    status_after = models.CharField(_("status after"), max_length=20, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by_label = models.CharField(_("decided by (name)"), max_length=150)
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("licence decision")
        verbose_name_plural = _("licence decisions")
        indexes = [models.Index(fields=["licence", "kind"])]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="decision_has_reason"),
            models.CheckConstraint(
                condition=~Q(kind=DecisionKind.IMPROVEMENT_ORDER) | Q(deadline__isnull=False),
                name="improvement_order_has_deadline",
            ),
            models.CheckConstraint(
                condition=Q(kind=DecisionKind.REVOCATION) | Q(bar_until__isnull=True),
                name="only_revocation_bars",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=sorted(PUBLISHABLE_KINDS)) | Q(published=False),
                name="only_sanctions_published",
            ),
            models.CheckConstraint(
                condition=Q(published=True) | Q(attachment_public=False),
                name="public_attachment_needs_published_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.licence}"

    @property
    def basis(self) -> str:
        """Where this sanction comes from (empty for decisions that are not sanctions)."""
        sanction = legal_frame.sanctions().get(self.kind)
        return sanction.basis if sanction else ""

    @property
    def suspended_activity_labels(self) -> list[str]:
        """The suspended activities in words, for pages."""
        labels = dict(LicenceActivity.choices)
        return [str(labels.get(code, code)) for code in self.suspended_activities or []]


class LicenceReminder(models.Model):
    """A reminder sent before expiry, kept so each threshold is sent once per validity."""

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="reminders")
    days_before = models.PositiveSmallIntegerField(_("days before expiry"))
    valid_to = models.DateField(_("valid to (when sent)"))
    recipients = models.JSONField(_("recipients"), default=list)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("licence reminder")
        verbose_name_plural = _("licence reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["licence", "days_before", "valid_to"], name="one_reminder_per_threshold"
            )
        ]

    def __str__(self) -> str:
        return f"{self.licence} · {self.days_before}"
