from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    """The registry of apprentices and their journey."""

    name = "jembatan.participants"
    label = "participants"
    verbose_name = _("Participants")
