"""The document checklist per route (reference data) and the files participants hand in."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jembatan.core.uploads import ACCEPTED_TYPES, TYPE_LABELS, name_for_type


def default_max_bytes() -> int:
    """The size limit of a new checklist line: ``JEMBATAN_DOCUMENT_MAX_BYTES`` or 5 MB."""
    return int(getattr(settings, "JEMBATAN_DOCUMENT_MAX_BYTES", 5 * 1024 * 1024))


def ceiling_bytes() -> int:
    """No checklist line may allow more than ``JEMBATAN_DOCUMENT_CEILING_BYTES`` (20 MB)."""
    return int(getattr(settings, "JEMBATAN_DOCUMENT_CEILING_BYTES", 20 * 1024 * 1024))


class Route(models.TextChoices):
    """The two real orders of the programme (domain.md); each has its own checklist."""

    IM_JAPAN = "im_japan", _("IM Japan (government to government)")
    LPK = "lpk", _("Through a licensed LPK")


class DocumentKind(models.TextChoices):
    """The codes of the document types code refers to; the types themselves are data.

    :class:`DocumentType` (loaded from ``core/data/document-types.csv``, extended by
    national administrators) is the list; these names only let code say "the passport"
    without a string. The first eight codes are those documents were stored under
    before the types became data, and never change.
    """

    PASSPORT = "passport", _("Passport")
    ID_CARD = "id_card", _("Identity card (KTP)")
    DIPLOMA = "diploma", _("Diploma (ijazah)")
    MEDICAL = "medical", _("Medical check result")
    POLICE_RECORD = "police_record", _("Police record (SKCK)")
    GUARDIAN_PERMISSION = "guardian_permission", _("Permission of a parent, guardian or spouse")
    COMPETENCY_CERTIFICATE = "competency_certificate", _("Competency certificate")
    LANGUAGE_CERTIFICATE = "language_certificate", _("Language certificate")
    FAMILY_CARD = "family_card", _("Family card (KK)")
    AK1 = "ak1", _("Job-seeker card (AK1)")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    TRAINING_CERTIFICATE = "training_certificate", _("Training certificate (at least 160 hours)")
    NO_EARLIER_APPRENTICESHIP = (
        "no_earlier_apprenticeship",
        _("Statement of no earlier apprenticeship in Japan"),
    )
    VILLAGE_RECOMMENDATION = "village_recommendation", _("Recommendation of the village head")
    APPRENTICESHIP_AGREEMENT = (
        "apprenticeship_agreement",
        _("Apprenticeship agreement (perjanjian pemagangan)"),
    )


class DocumentType(models.Model):
    """What a document is (reference data): its names, whether it is sensitive, its basis."""

    code = models.SlugField(_("code"), max_length=30, primary_key=True)
    name_en = models.CharField(_("name (English)"), max_length=150)
    name_id = models.CharField(_("name (Indonesian)"), max_length=150)
    # UU PDP 27/2022 art. 4: health and criminal-record data are specific personal data.
    sensitive = models.BooleanField(_("specific (sensitive) personal data"), default=False)
    basis = models.TextField(_("basis or source"))
    added_by_label = models.CharField(_("added by (name)"), max_length=150)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("document type")
        verbose_name_plural = _("document types")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language."""
        return self.name_en if get_language() == "en" else self.name_id


def kind_label(code: str) -> str:
    """The name of document type ``code`` in the active language (the code if unknown)."""
    found = DocumentType.objects.filter(pk=code).first()
    return found.name if found else code


class Stage(models.TextChoices):
    """The step of the journey that cannot be passed without the document."""

    VERIFICATION = "verification", _("Verification (before training)")
    SELECTION = "selection", _("Selection")
    DEPARTURE = "departure", _("Departure")


class DocumentRequirement(models.Model):
    """One version of one line of a route's checklist; revising it closes this version."""

    route = models.CharField(_("route"), max_length=20, choices=Route.choices)
    # A DocumentType's code (checked by clean(); documents keep the code they were filed under).
    kind = models.CharField(_("kind"), max_length=30)
    name_id = models.CharField(_("name (Indonesian)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    guidance_id = models.TextField(_("guidance (Indonesian)"), blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    needed_for = models.CharField(
        _("needed for"), max_length=20, choices=Stage.choices, default=Stage.VERIFICATION
    )
    required = models.BooleanField(_("required for everyone"), default=True)
    # Parent's permission: required only below this age (21, the age of majority in
    # Indonesian civil law for consent purposes), unless ``required`` says always.
    required_below_age = models.PositiveSmallIntegerField(
        _("required below age"), null=True, blank=True
    )
    # UU PDP 27/2022 art. 4: health and criminal-record data are specific personal data.
    sensitive = models.BooleanField(_("specific (sensitive) personal data"), default=False)
    accepted_types = models.JSONField(_("accepted file types"), default=list)
    max_size_bytes = models.PositiveIntegerField(
        _("maximum size (bytes)"), default=default_max_bytes, validators=[MinValueValidator(1024)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["route", "order", "kind", "-version"]
        verbose_name = _("document requirement")
        verbose_name_plural = _("document requirements")
        constraints = [
            models.UniqueConstraint(
                fields=["route", "kind"],
                condition=Q(valid_to__isnull=True),
                name="one_current_requirement_per_route_kind",
            ),
            models.UniqueConstraint(
                fields=["route", "kind", "version"], name="requirement_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_route_display()}: {self.name} (v{self.version})"

    def get_kind_display(self) -> str:
        """The document type's name in the active language."""
        return kind_label(self.kind)

    def clean(self) -> None:
        """A known document type; only PDF, JPEG and PNG, never above the site's ceiling."""
        if not DocumentType.objects.filter(pk=self.kind).exists():
            raise ValidationError({"kind": _("Choose a document type from the list.")})
        types = self.accepted_types
        if not isinstance(types, list) or not types or not set(types) <= set(ACCEPTED_TYPES):
            raise ValidationError({"accepted_types": _("Choose one or more of PDF, JPEG and PNG.")})
        ceiling = ceiling_bytes()
        if self.max_size_bytes and self.max_size_bytes > ceiling:
            raise ValidationError(
                {
                    "max_size_bytes": _("At most %(mb)s MB per file.")
                    % {"mb": ceiling // (1024 * 1024)}
                }
            )

    @property
    def name(self) -> str:
        """The name in the active language."""
        return self.name_en if get_language() == "en" else self.name_id

    @property
    def guidance(self) -> str:
        """The guidance in the active language."""
        return self.guidance_en if get_language() == "en" else self.guidance_id

    @property
    def accepted_labels(self) -> str:
        """The accepted types as people know them: ``PDF, JPEG``."""
        return ", ".join(TYPE_LABELS.get(t, t) for t in self.accepted_types)

    @property
    def max_size_mb(self) -> str:
        """The size limit in megabytes, for messages and forms."""
        return f"{self.max_size_bytes / (1024 * 1024):.1f}".removesuffix(".0")


class DocumentStatus(models.TextChoices):
    """Where a handed-in document stands with the officers."""

    PENDING = "pending", _("Waiting for verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


def storage_name(_instance: Any, _filename: str) -> str:
    """A random name under ``documents/``: the person's file name never reaches the disk."""
    return f"documents/{secrets.token_hex(20)}"


class Document(models.Model):
    """One file a participant handed in for one checklist line; re-uploads keep the old one."""

    participant = models.ForeignKey(
        "participants.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    requirement = models.ForeignKey(
        DocumentRequirement,
        verbose_name=_("requirement"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    # Denormalised from the requirement: "the current passport" is one indexed lookup.
    kind = models.CharField(_("kind"), max_length=30)
    file = models.FileField(_("file"), upload_to=storage_name, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type (detected)"), max_length=50)
    # The id of the key the stored file is encrypted under (core/encryption.py), or empty
    # when it is stored as it is: specific personal data is encrypted (ADR 0015).
    encryption_key = models.CharField(_("encryption key id"), max_length=8, blank=True, default="")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.PENDING
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    is_current = models.BooleanField(_("current version"), default=True)
    replaced_by = models.OneToOneField(
        "self",
        verbose_name=_("replaced by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
    )

    class Meta:
        ordering = ["participant", "kind", "-uploaded_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["participant", "kind", "is_current"])]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "kind"],
                condition=Q(is_current=True),
                name="one_current_document_per_kind",
            ),
            models.CheckConstraint(
                condition=~Q(status=DocumentStatus.REJECTED) | ~Q(rejection_reason=""),
                name="rejected_document_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status=DocumentStatus.PENDING) | Q(verified_at__isnull=False),
                name="decided_document_has_decision_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.original_name}"

    def get_kind_display(self) -> str:
        """The document type's name in the active language."""
        return kind_label(self.kind)

    @property
    def sensitive(self) -> bool:
        """True for specific personal data (health, police record) under UU PDP."""
        return self.requirement.sensitive

    @property
    def download_name(self) -> str:
        """The name the file is offered under, its extension that of what it really is.

        Uploads are named so when stored; this also covers documents handed in before
        (``ijazah.html`` that is a PDF is downloaded as ``ijazah.pdf``).
        """
        return name_for_type(self.original_name, self.content_type)


class ExportFormat(models.TextChoices):
    """How the personal data is handed over."""

    JSON = "json", _("JSON (machine-readable)")
    PDF = "pdf", _("PDF (readable)")
    ZIP = "zip", _("ZIP (JSON and the files themselves)")


class PersonalDataExport(models.Model):
    """One hand-over of a person's data to them (UU PDP right of access): who asked and why.

    It lives beside the documents because it hands over the same personal files;
    the export itself is built by :mod:`jembatan.privacy.export`.
    """

    participant = models.ForeignKey(
        "participants.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="data_exports",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason or request reference"), blank=True)
    format = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    sha256 = models.CharField(_("SHA-256 of the file handed over"), max_length=64)
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("personal data export")
        verbose_name_plural = _("personal data exports")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_format_display()}"
