from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, their roles and their scopes."""

    name = "jembatan.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
