"""The registry: apprentices, their identity and where they are in the journey."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    """Sex as recorded on the identity card (KTP)."""

    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Education(models.TextChoices):
    """Highest completed education (Indonesian levels)."""

    SD = "sd", _("Primary school (SD)")
    SMP = "smp", _("Junior high school (SMP)")
    SMA = "sma", _("Senior high school (SMA)")
    SMK = "smk", _("Vocational high school (SMK)")
    D1 = "d1", _("Diploma 1")
    D2 = "d2", _("Diploma 2")
    D3 = "d3", _("Diploma 3")
    S1 = "s1", _("Bachelor (S1/D4)")
    S2 = "s2", _("Master (S2)")


class JourneyStatus(models.TextChoices):
    """Where a participant is on the journey of domain.md."""

    REGISTERED = "registered", _("Registered")
    VERIFIED = "verified", _("Verified")
    IN_TRAINING = "in_training", _("In training")
    CERTIFIED = "certified", _("Certified")
    IN_SELECTION = "in_selection", _("In selection")
    SELECTED = "selected", _("Selected")
    MATCHED = "matched", _("Matched")
    CONTRACTED = "contracted", _("Contracted / visa")
    DEPARTED = "departed", _("Departed")
    IN_PLACEMENT = "in_placement", _("In placement")
    COMPLETED = "completed", _("Completed and returned")
    RETURNED_EARLY = "returned_early", _("Returned early")
    ALUMNUS = "alumnus", _("Alumnus")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REJECTED = "rejected", _("Rejected")


class Participant(models.Model):
    """One apprentice (peserta magang), identified by NIK."""

    nik = models.CharField(_("NIK"), max_length=16, unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_place = models.CharField(_("place of birth"), max_length=100)
    birth_date = models.DateField(_("date of birth"))
    regency = models.ForeignKey(
        "core.Region",
        verbose_name=_("regency/city"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Denormalised from the regency so provincial scoping is one indexed filter.
    province = models.ForeignKey(
        "core.Region",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone (E.164)"), max_length=16, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    education = models.CharField(
        _("education"), max_length=4, choices=Education.choices, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=JourneyStatus.choices,
        default=JourneyStatus.REGISTERED,
    )
    status_changed_at = models.DateTimeField(_("status changed at"))
    sending_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("sending organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sent_participants",
    )
    training_centre = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("training centre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trained_participants",
    )
    partner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("partner abroad"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placed_participants",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participant",
    )
    created_at = models.DateTimeField(_("registered at"))

    class Meta:
        ordering = ["-id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        indexes = [
            models.Index(fields=["status", "id"]),
            models.Index(fields=["province", "status", "id"]),
            models.Index(fields=["sending_organisation", "status", "id"]),
            models.Index(fields=["training_centre", "status", "id"]),
            models.Index(fields=["partner", "status", "id"]),
            models.Index(fields=["full_name", "birth_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(nik__regex=r"^[0-9]{16}$"), name="participant_nik_16_digits"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name
