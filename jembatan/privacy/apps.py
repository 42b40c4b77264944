from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Personal data (UU PDP 27/2022): the export of everything held about a person."""

    name = "jembatan.privacy"
    label = "privacy"
    verbose_name = _("Personal data")
