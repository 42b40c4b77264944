from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtectionConfig(AppConfig):
    """Protection cases: reports of abuse, their handling, deadlines and escalation."""

    name = "jembatan.protection"
    label = "protection"
    verbose_name = _("Protection cases")

    def ready(self) -> None:
        """Case files are stored encrypted (ADR 0015); rotation reaches them here."""
        from jembatan.core.services.encryption import EncryptedFiles, register_encrypted_files
        from jembatan.protection.services.attachments import (
            attachment_key_counts,
            attachments_reencrypt_batch,
        )

        register_encrypted_files(
            EncryptedFiles(
                label="protection.CaseAttachment.file",
                count_by_key=attachment_key_counts,
                rotate_batch=attachments_reencrypt_batch,
            )
        )
