"""Reference data: versioned tables loaded from files, editable, never code."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class ReferenceDataset(models.Model):
    """One version of one reference table and where it came from."""

    class Kind(models.TextChoices):
        REGIONS = "regions", _("Administrative regions")
        COUNTRIES = "countries", _("Countries")
        OCCUPATIONS = "occupations", _("Occupations")
        SELECTION_STAGES = "selection_stages", _("Selection stage types")
        RETENTION = "retention", _("Retention schedule")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    version = models.CharField(_("version"), max_length=40)
    source = models.TextField(_("source"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    checksum = models.CharField(_("file checksum (SHA-256)"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("reference dataset")
        verbose_name_plural = _("reference datasets")

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"


class RegionLevel(models.TextChoices):
    """Kemendagri's levels that the programme uses."""

    PROVINCE = "province", _("Province")
    REGENCY = "regency", _("Regency")
    CITY = "city", _("City")


class Region(models.Model):
    """A province, regency or city under its Kemendagri code (``33`` or ``33.74``)."""

    code = models.CharField(_("code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    dataset = models.ForeignKey(ReferenceDataset, on_delete=models.PROTECT)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [models.Index(fields=["level", "code"])]

    def __str__(self) -> str:
        return self.name


class Country(models.Model):
    """A country under its ISO 3166-1 codes."""

    alpha2 = models.CharField(_("ISO code"), max_length=2, primary_key=True)
    alpha3 = models.CharField(_("ISO alpha-3"), max_length=3, unique=True)
    numeric = models.CharField(_("ISO numeric"), max_length=3)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_id = models.CharField(_("name (Indonesian)"), max_length=120)
    dataset = models.ForeignKey(ReferenceDataset, on_delete=models.PROTECT)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name_en if get_language() == "en" else self.name_id


class Occupation(models.Model):
    """An entry of an occupation table (KBJI, Japan's TITP or SSW lists)."""

    dataset = models.ForeignKey(
        ReferenceDataset, on_delete=models.PROTECT, related_name="occupations"
    )
    code = models.CharField(_("code"), max_length=40)
    name_id = models.CharField(_("name (Indonesian)"), max_length=250)
    name_en = models.CharField(_("name (English)"), max_length=250)
    name_ja = models.CharField(_("name (Japanese)"), max_length=250, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        ordering = ["dataset", "code"]
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")
        constraints = [
            models.UniqueConstraint(fields=["dataset", "code"], name="occupation_code_unique")
        ]

    def __str__(self) -> str:
        name = self.name_en if get_language() == "en" else self.name_id
        return f"{self.code} {name}"
