"""One programme's rules, one version at a time (core/scheme_rules.py reads them)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SchemeRuleSet(models.Model):
    """One version of one programme's rules (ages, education, tests, physical), with sources."""

    programme = models.CharField(_("programme"), max_length=20)
    version = models.PositiveSmallIntegerField(_("version"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.TextField(_("source followed"))
    rules = models.JSONField(_("rules"), default=list)
    reason = models.TextField(_("reason for the change"), blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_by_label = models.CharField(_("published by (name)"), max_length=150)
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        ordering = ["programme", "-version"]
        verbose_name = _("scheme rule set")
        verbose_name_plural = _("scheme rule sets")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "version"], name="scheme_rule_version_unique"
            ),
            models.UniqueConstraint(
                fields=["programme"],
                condition=Q(valid_to__isnull=True),
                name="one_current_rule_set_per_programme",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} v{self.version}"
