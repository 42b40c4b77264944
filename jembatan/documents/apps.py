from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """Participants' documents: the checklist per route, uploads, verification, serving."""

    name = "jembatan.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        """A participant cannot be verified while a required document is not verified."""
        from jembatan.documents.rules import document_blockers
        from jembatan.documents.services import documents_follow_merge
        from jembatan.participants.rules import register_verification_check
        from jembatan.participants.services.duplicates import register_merge_step

        register_verification_check(document_blockers)
        register_merge_step(documents_follow_merge)
