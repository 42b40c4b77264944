from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """Participants' documents: the checklist per route, uploads, verification, serving."""

    name = "jembatan.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        """A participant cannot be verified while a required document is not verified.

        Sensitive documents' files are stored encrypted; rotation reaches them here.
        """
        from jembatan.core.services.encryption import EncryptedFiles, register_encrypted_files
        from jembatan.documents.rules import document_blockers
        from jembatan.documents.services import (
            document_key_counts,
            documents_follow_merge,
            documents_reencrypt_batch,
        )
        from jembatan.participants.rules import register_verification_check
        from jembatan.participants.services.duplicates import register_merge_step

        register_verification_check(document_blockers)
        register_merge_step(documents_follow_merge)
        register_encrypted_files(
            EncryptedFiles(
                label="documents.Document.file",
                count_by_key=document_key_counts,
                rotate_batch=documents_reencrypt_batch,
            )
        )
