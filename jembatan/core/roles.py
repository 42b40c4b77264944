"""The roles of the programme and the groups the access rules are written in.

A role says what kind of work a person does; the scope (an organisation, a
province, one's own record) says on which records. See docs/architecture.md.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a signed-in person does in the programme."""

    NATIONAL_ADMIN = "national_admin", _("National administrator")
    NATIONAL_OFFICER = "national_officer", _("National officer (Binalavotas)")
    PROVINCIAL_OFFICER = "provincial_officer", _("Provincial officer")
    TRAINING_OPERATOR = "training_operator", _("Training-centre operator")
    SENDER_OPERATOR = "sender_operator", _("Sending-organisation operator")
    PARTNER = "partner", _("Partner abroad")
    PARTICIPANT = "participant", _("Participant")
    AUDITOR = "auditor", _("Auditor")


ALL_ROLES = frozenset(Role)
NATIONAL = frozenset({Role.NATIONAL_ADMIN, Role.NATIONAL_OFFICER})
# Officials who work on people's records; every such read of personal data is logged.
STAFF = NATIONAL | {Role.PROVINCIAL_OFFICER, Role.TRAINING_OPERATOR, Role.SENDER_OPERATOR}
# Everyone who may read across the registry within their scope, the auditor included.
READERS = STAFF | {Role.AUDITOR}
ORGANISATION_SCOPED = frozenset({Role.TRAINING_OPERATOR, Role.SENDER_OPERATOR, Role.PARTNER})
