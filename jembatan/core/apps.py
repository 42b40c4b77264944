from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app uses: access rules, audit, reference data."""

    name = "jembatan.core"
    label = "core"
    verbose_name = _("Core")
