"""Users: one role each, and the scope the role works in."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jembatan.core.roles import Role


class User(AbstractUser):
    """A person who signs in; what they may see follows from role and scope."""

    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="operators",
    )
    province = models.ForeignKey(
        "core.Region",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": "province"},
    )
    preferred_language = models.CharField(
        _("language"),
        max_length=5,
        choices=[("id", "Bahasa Indonesia"), ("en", "English")],
        default="id",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=Role.PROVINCIAL_OFFICER) | Q(province__isnull=False),
                name="provincial_officer_has_province",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=[Role.TRAINING_OPERATOR, Role.SENDER_OPERATOR, Role.PARTNER])
                | Q(organisation__isnull=False),
                name="organisation_role_has_organisation",
            ),
        ]

    @property
    def role_enum(self) -> Role | None:
        """The role as an enum, or None if the stored value is unknown."""
        try:
            return Role(self.role)
        except ValueError:
            return None
