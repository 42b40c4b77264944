"""Organisations of every kind and the licences of those that send apprentices."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    """What an organisation is in the programme."""

    LPK = "lpk", _("Private training institute (LPK)")
    BLK = "blk", _("Public training centre (BLK)")
    SENDING_COMPANY = "sending_company", _("Sending company")
    PARTNER = "partner", _("Partner abroad")
    HOST_COMPANY = "host_company", _("Host company")
    ASSOCIATION = "association", _("Association")
    COOPERATION = "cooperation", _("International cooperation partner")


TRAINING_KINDS = frozenset({OrganisationKind.LPK, OrganisationKind.BLK})
SENDING_KINDS = frozenset({OrganisationKind.LPK, OrganisationKind.SENDING_COMPANY})


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
        indexes = [models.Index(fields=["kind", "name"])]

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


# An organisation may act only while its licence is in one of these states.
ACTING_STATUSES = frozenset({LicenceStatus.ACTIVE, LicenceStatus.RENEWAL})
# At most one licence per organisation may be in force (or about to be) at once.
IN_FORCE_STATUSES = frozenset(
    {LicenceStatus.GRANTED, LicenceStatus.ACTIVE, LicenceStatus.RENEWAL, LicenceStatus.SUSPENDED}
)


class Licence(models.Model):
    """Kemnaker's licence to organise overseas apprenticeships (izin penyelenggaraan)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="licences"
    )
    number = models.CharField(_("licence number"), max_length=60, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=LicenceStatus.choices, default=LicenceStatus.DRAFT
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
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
    def lets_organisation_act(self) -> bool:
        """True while this licence allows its organisation to send apprentices."""
        return self.status in ACTING_STATUSES
