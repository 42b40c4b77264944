from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    """Sending organisations, training centres, partners abroad and their licences."""

    name = "jembatan.organisations"
    label = "organisations"
    verbose_name = _("Organisations")
